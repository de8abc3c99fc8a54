#pragma once
// The Channel port spoken to JPush (极光推送) with its REST API v3, at {account.url}
// (https://api.jpush.cn):
//
//   POST {url}/v3/push
//   Authorization: Basic base64("{app_key}:{master_secret}")
//   {"platform":"all",
//    "audience":{"registration_id":[recipient]},
//    "notification":{"alert":text,
//                    "android":{"alert":text,"title":subject,"extras":{…}},
//                    "ios":{"alert":{"title":subject,"body":text},"extras":{…}}},
//    "options":{"time_to_live":86400,"apns_production":true}}
//   → 200 {"sendno":"0","msg_id":"54043195528456213"}
//
// The extras carry the event, the delivery key and the link (when there is one), so the app can
// open the right screen and drop a repeat. Refusals come as {"error":{"code":…,"message":…}}.
//
// Outcomes: 2xx → sent (provider_id = msg_id); HTTP 429 or code 2002 (rate limit), 5xx or codes
// 1000 and 1030 (JPush's own failures), and transport failures → retry_later, with the wait a
// Retry-After (or JPush's X-Rate-Limit-Reset) asks for; every other refusal → permanent: 1011 (no
// device has that registration id), 401 and 1004 (app_key and master_secret refused), 1003, 1008
// and 1010 (bad parameters), other 4xx. Responses and logs never hold the master secret.
//
// Thread safety: send() may be called from any thread at once and never waits on the network.
// A message refused before sending is answered on the caller's thread before send() returns; any
// other answer runs `done` on the CurlLoop's thread. The loop must outlive the channel's sends;
// the channel itself may go before the answers come.

#include <chrono>
#include <functional>

#include "app/channel.h"
#include "net/curl_loop.h"

namespace depot::channels {

struct JpushChannelOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
  // How long JPush keeps a notification for a device that is offline.
  std::chrono::seconds time_to_live{86400};
  // iOS notifications go through APNs' production environment (JPush's default is development).
  bool apns_production = true;
};

class JpushChannel final : public Channel {
 public:
  explicit JpushChannel(net::CurlLoop& loop, JpushChannelOptions options = {});

  void send(const ChannelAccount& account, const OutgoingMessage& message,
            std::function<void(SendOutcome)> done) override;

 private:
  net::CurlLoop& loop_;
  const JpushChannelOptions options_;
};

}  // namespace depot::channels
