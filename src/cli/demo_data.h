#pragma once
// Demo data for `depot serve --demo`: a merchant "demo" with a year of history (demo_history.h:
// products, orders, parcels and their scans, returns, refunds, feedback and complaints, so that
// reports and forecasts have something real to show), then today's orders in several states
// (held ones among them), a rule, parcels, and notification channels pointed at depot's sandbox
// (so every customer message lands in the sandbox inbox, never at a provider), created once
// through the same use cases the API runs. The history's customers hear nothing of it.

#include <string>

#include "app/access_service.h"
#include "app/channel_accounts.h"
#include "app/inventory_service.h"
#include "app/notification_dispatcher.h"
#include "app/order_service.h"
#include "app/rule_service.h"
#include "app/shipping_service.h"
#include "app/user_service.h"
#include "cli/demo_history.h"

namespace depot::cli {

struct DemoServices {
  AccessService& access;
  OrderService& orders;
  ShippingService& shipping;
  InventoryService& inventory;
  RuleService& rules;
  ChannelAccounts& channels;
  NotificationDispatcher& dispatcher;
  HistoryParts history;
};

// Seeds the demo merchant unless it exists already; returns its owner key (kept in the data
// directory so later starts can show it again).
std::string seed_demo(const std::string& data_dir, const DemoServices& services);

// The demo merchant's owner login for the console, kept in DATA/demo-login.txt (email, then
// password) and made on the first start.
struct DemoLogin {
  std::string email;
  std::string password;
};
DemoLogin seed_demo_login(const std::string& data_dir, UserService& users);

}  // namespace depot::cli
