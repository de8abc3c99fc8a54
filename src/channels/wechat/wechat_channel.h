#pragma once
// The Channel port spoken to WeChat official accounts (微信公众号) as template messages
// (模板消息), over the API at {account.url} (https://api.weixin.qq.com):
//
//   access token: POST {url}/cgi-bin/stable_token
//     {"grant_type":"client_credential","appid":…,"secret":…,"force_refresh":false}
//     → {"access_token":…,"expires_in":7200}
//   message:      POST {url}/cgi-bin/message/template/send?access_token=…
//     {"touser": openid, "template_id": account.templates[event], "url": link (when there is
//      one), "client_msg_id": message.key, "data": {name: {"value": value}, …}}
//     → {"errcode":0,"errmsg":"ok","msgid":…}
//
// A token is cached per (url, appid, secret) until shortly before it expires, so an account that
// names another's appid without its secret never borrows its token; sends that need one while it
// is being fetched wait for that one fetch (on callbacks, never blocking a thread). When
// WeChat calls a token invalid or expired (errcode 40001, 40014, 42001) a fresh one is fetched
// with force_refresh (once for every send that saw the same token refused) and the message is
// sent once more.
//
// Outcomes: errcode 0 → sent (provider_id = msgid); -1 (system busy), 45009 and 45011 (quotas),
// 429, 5xx and transport failures → retry_later; a token refused again after a refresh →
// retry_later; 43004 (not subscribed), 40003 (bad openid), 40037 (bad template id), any other
// errcode, other HTTP statuses, refused credentials (40013, 40125, 40164 …) and a message with
// no template for its event → permanent. Responses and logs never hold the secret or a token.
//
// Thread safety: send() may be called from any thread at once and never waits on the network.
// A message refused before anything is sent is answered on the caller's thread before send()
// returns; any other answer runs `done` on the CurlLoop's thread. The loop must outlive the
// channel's sends; the channel itself may go before the answers come.

#include <chrono>
#include <functional>
#include <memory>

#include "app/channel.h"
#include "net/curl_loop.h"

namespace depot::channels {

struct WechatChannelOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
  // A token is renewed this long before WeChat says it expires (at most half its lifetime), so a
  // send never carries one that lapses on the way.
  std::chrono::seconds token_renewal_margin{300};
};

class WechatChannel final : public Channel {
 public:
  explicit WechatChannel(net::CurlLoop& loop, WechatChannelOptions options = {});

  void send(const ChannelAccount& account, const OutgoingMessage& message,
            std::function<void(SendOutcome)> done) override;

 private:
  struct State;
  // Shared with the transfers in flight, so their answers may outlive the channel.
  std::shared_ptr<State> state_;
};

}  // namespace depot::channels
