#pragma once
// The Channel port spoken to the platform an order came from (issue 9, 自动发货回传): the
// write-back of a shipment to a generic connection's callback URL, or Shopify's fulfillment call
// for a shopify connection (channels/platform/shopify_fulfillment.h). The account is the order's
// connection (the sender builds it): url = its callback_url, settings "platform", "secret" and
// "access_token".
//
//   POST {account.url}
//   Content-Type: application/json
//   X-Depot-Event: {message.event}               ("shipment.created")
//   X-Depot-Delivery: {message.key}              (the same on every retry: the platform dedupes)
//   X-Depot-Signature: sha256={lower-case hex HMAC-SHA256(secret, body)}
//   body: message.payload                        (http/write_back_payload.h)
//
// The signature is the one the connection's inbound webhooks carry, under the same secret, so a
// platform checks both directions with one function. Redirects are not followed.
//
// Outcomes: any 2xx → sent; 408, 425, 429, 5xx and transport failures → retry_later, with the
// wait a Retry-After asks for; every other status (3xx, 4xx) → permanent. A connection of another
// platform than "generic" or "shopify", a generic one without a secret, or with a URL that is not
// http(s), or a message without a payload → permanent without sending.
//
// Thread safety: send() may be called from any thread at once and never waits on the network.
// A message refused before sending is answered on the caller's thread before send() returns; any
// other answer runs `done` on the CurlLoop's thread. The loop must outlive the channel's sends.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "app/channel.h"
#include "net/curl_loop.h"

namespace depot::channels {

// "sha256=" and the lower-case hex HMAC-SHA256 of `body` under `secret`.
std::string depot_signature(std::string_view secret, std::string_view body);

struct PlatformChannelOptions {
  std::chrono::milliseconds connect_timeout{3000};
  // A platform should take the write-back at once; a slow one is tried again.
  std::chrono::milliseconds timeout{10000};
};

class PlatformChannel final : public Channel {
 public:
  explicit PlatformChannel(net::CurlLoop& loop, PlatformChannelOptions options = {});

  void send(const ChannelAccount& account, const OutgoingMessage& message,
            std::function<void(SendOutcome)> done) override;

 private:
  net::CurlLoop& loop_;
  const PlatformChannelOptions options_;
};

}  // namespace depot::channels
