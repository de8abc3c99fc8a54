#pragma once
// The Channel port spoken to a merchant's own endpoint as a Standard Webhook
// (https://www.standardwebhooks.com): POST {account.url} with the message's JSON payload as the
// body and the headers
//   content-type: application/json
//   webhook-id: {message.key}            (the same on every retry, so the receiver can dedupe)
//   webhook-timestamp: {unix seconds}
//   webhook-signature: v1,{base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")}
// where the key is the base64-decoded rest of a "whsec_…" secret (account.setting("secret")), or
// any other secret's own bytes. Redirects are not followed.
//
// Outcomes: any 2xx → sent; 410 Gone → permanent with disable_account (the endpoint is gone);
// 408, 425, 429, 5xx and transport failures → retry_later, with the wait a Retry-After asks for;
// every other status (3xx, 4xx) → permanent. An account without a secret, a secret that is not
// base64 after "whsec_", a URL that is not http(s), or a disabled account → permanent without
// sending.
//
// Thread safety: send() may be called from any thread at once and never waits on the network.
// A message refused before sending is answered on the caller's thread before send() returns; any
// other answer runs `done` on the CurlLoop's thread. The loop must outlive the channel's sends;
// the channel itself may go before the answers come.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/channel.h"
#include "net/curl_loop.h"

namespace depot::channels {

// The Standard Webhooks signature header value, "v1,<base64 signature>", of one message; nothing
// when a "whsec_" secret is not base64 after its prefix.
std::optional<std::string> webhook_signature(std::string_view secret, std::string_view id,
                                             std::int64_t timestamp, std::string_view body);

struct WebhookChannelOptions {
  std::chrono::milliseconds connect_timeout{3000};
  // A merchant's endpoint should answer at once and do its work later; a slow one is retried.
  std::chrono::milliseconds timeout{10000};
};

class WebhookChannel final : public Channel {
 public:
  explicit WebhookChannel(net::CurlLoop& loop, WebhookChannelOptions options = {});

  void send(const ChannelAccount& account, const OutgoingMessage& message,
            std::function<void(SendOutcome)> done) override;

 private:
  net::CurlLoop& loop_;
  const WebhookChannelOptions options_;
};

}  // namespace depot::channels
