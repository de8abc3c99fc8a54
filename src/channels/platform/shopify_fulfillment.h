#pragma once
// The write-back of a shipment to a Shopify connection (issue 9, 自动发货回传): Shopify learns of
// a shipment through its Admin API's fulfillment call, not a POST of depot's body. The account is
// the order's connection: url = the shop's base URL (https://{shop}.myshopify.com), setting
// "access_token" = its Admin API access token (not the webhook signing secret). The message's
// payload is depot's write-back body (http/write_back_payload.h) with Shopify's numeric order id
// as "platform_order_id".
//
//   GET  {url}/admin/api/2024-01/orders/{platform_order_id}/fulfillment_orders.json
//   POST {url}/admin/api/2024-01/fulfillments.json                  (both with
//   X-Shopify-Access-Token)
//        {"fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": N}, …],
//                         "tracking_info": {"number", "company", "url"}, "notify_customer": false}}
//
// Every fulfillment order whose status is open or in_progress is fulfilled whole, with the
// parcel's tracking number. When none is open and none is held (all closed or cancelled), the
// order is fulfilled already, by an earlier attempt whose answer was lost or by hand: that is sent
// without a POST, so a repeat after a crash fulfils nothing twice. When none is open but some are
// on_hold, scheduled or incomplete, that is permanent: the merchant decides on Shopify.
// Outcomes of either call as for the generic write-back (channels/endpoint/endpoint_outcome.h):
// 2xx goes on; 401/403/404/422 and other 3xx/4xx are permanent with Shopify's words; 429 waits as
// Retry-After asks; 5xx and transport failures retry. A 2xx GET without fulfillment_orders in its
// answer is permanent.

#include <functional>

#include "app/channel.h"
#include "channels/platform/platform_channel.h"
#include "net/curl_loop.h"

namespace depot::channels {

// Runs `done` on the caller's thread when the account or message cannot be sent at all, else on
// the CurlLoop's thread after the calls.
void send_shopify_fulfillment(net::CurlLoop& loop, const PlatformChannelOptions& options,
                              const ChannelAccount& account, const OutgoingMessage& message,
                              std::function<void(SendOutcome)> done);

}  // namespace depot::channels
