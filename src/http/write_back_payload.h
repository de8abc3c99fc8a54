#pragma once
// The body a platform receives when one of its orders ships (issue 9, docs/integrations.md):
//   {"event": "shipment.created", "platform", "external_no", "order_no", "carrier" (depot's code),
//    "carrier_code" (Kuaidi100's), "carrier_name", "tracking_no", "shipped_at",
//    "lines": [{"sku", "quantity"}], "tracking_url" (null when depot's address is unknown),
//    "platform_order_id" (only when the platform gave its own id of the order: Shopify's)}
// Made here, at the HTTP edge, so the app stays free of JSON; the composer stores it when it plans
// the write-back.

#include <string>

#include "app/platform_writeback.h"

namespace depot::http {

std::string write_back_payload(const WriteBack& write_back);

}  // namespace depot::http
