#pragma once
// Platforms' order shapes read into depot's (SPEC INT-2), for the platform webhooks
// (POST /api/v1/hooks/platforms/{tenant}/{id}); docs/integrations.md has each field mapping.
//   generic  depot's own order input (POST /api/v1/orders) with external_no required, plus
//            optional `payment` {amount?, method?, reference?, paid_at?} and `cancellation`
//            {reason?}.
//   shopify  Shopify's order JSON (the orders/* webhooks' body, or {"order": {...}}).
//   taobao   a Taobao trade (taobao.trade.fullinfo.get's `trade`, or {"trade": {...}}).
// Faults are named by the platform's own field paths ("line_items[0].sku"), and errors the use
// case answers in depot's terms are renamed the same way. Pure functions; thread-safe.

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/integration_service.h"
#include "domain/result.h"
#include "http/message.h"

namespace depot::http {

// A delivery's body read for its platform, with what it takes to name depot's fields as the
// platform does.
struct PlatformReading {
  PlatformOrder order;
  std::string lines_path;                 // where the lines are: "lines", "line_items", "orders"
  std::vector<std::size_t> line_sources;  // the platform's index of each of depot's lines
};

// The topic: X-Depot-Topic, else Shopify's X-Shopify-Topic: orders/create, orders/updated,
// orders/paid or orders/cancelled. Without either, orders/updated: the body says what the order
// is, paid and cancelled included. Another topic is refused (422 naming the header).
Result<PlatformTopic> read_topic(const Request& request);

// Reads a delivery's JSON object for `platform` (one of kPlatforms).
Result<PlatformReading> read_platform_order(std::string_view platform,
                                            const boost::json::object& body);

// `e` with depot's field paths ("lines[0].sku", "customer.name") renamed to the platform's
// ("line_items[0].sku", "shipping_address.first_name").
Error in_platform_terms(std::string_view platform, const PlatformReading& reading, Error e);

// A decimal amount of money ("199", "199.5", "199.00") in minor units (19900, 19950, 19900):
// at most two decimals; nothing for anything else (signs, exponents, more decimals).
std::optional<std::int64_t> parse_minor_units(std::string_view text);

}  // namespace depot::http
