#pragma once
// Demo data for `depot serve --demo`: a merchant "demo" with products, stock in two locations,
// orders in several states (held ones among them), a rule, parcels, and notification channels
// pointed at depot's sandbox (so every customer message lands in the sandbox inbox, never at a
// provider), created once through the same use cases the API runs.

#include <string>

#include "app/access_service.h"
#include "app/channel_accounts.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "app/rule_service.h"
#include "app/shipping_service.h"

namespace depot::cli {

// Seeds the demo merchant unless it exists already; returns its owner key (kept in the data
// directory so later starts can show it again).
struct DemoServices {
  AccessService& access;
  InventoryService& inventory;
  OrderService& orders;
  ShippingService& shipping;
  RuleService& rules;
  ChannelAccounts& channels;
};

std::string seed_demo(const std::string& data_dir, const DemoServices& services);

}  // namespace depot::cli
