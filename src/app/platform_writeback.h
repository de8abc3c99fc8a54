#pragma once
// Write-back to the platform (自动发货回传, issue 9): when an order a platform connection created
// ships, depot tells that platform, as a delivery on the `platform` channel carried by the
// notification machinery (dedupe key, retries, attempt log, a ticket when it dies). This is what
// a write-back says; the HTTP edge encodes it as JSON (so the app stays free of JSON), and the
// composer stores that body when it plans the delivery.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/shipment.h"
#include "domain/time.h"

namespace depot {

// One shipped parcel of a platform's order, in the platform's terms and depot's.
struct WriteBack {
  std::string platform;           // the connection's platform: "generic", "shopify", …
  std::string external_no;        // the platform's order number
  std::string platform_order_id;  // the platform's id of the order (Shopify's), "" when none
  std::string order_no;           // depot's
  std::string carrier;            // depot's carrier code ("SF"), as the shipment names it
  std::string carrier_kuaidi100;  // the carrier's Kuaidi100 code ("shunfeng"), "" when unknown
  std::string carrier_name;       // "顺丰速运", "" when unknown
  std::string tracking_no;
  Instant shipped_at;
  std::vector<ShipmentLine> lines;
  std::string tracking_url;  // the order's public tracking page; "" when depot's address is unknown
};

// The body of a write-back (JSON, made by the HTTP edge).
using WriteBackEncoder = std::function<std::string(const WriteBack&)>;

// The ticket depot opens when a write-back dies: at most one per shipment event.
inline constexpr std::string_view kWritebackFailed = "writeback_failed";

}  // namespace depot
