#include "channels/wechat/wechat_channel.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "concurrency/mutex.h"
#include "domain/text.h"
#include "net/encoding.h"

namespace depot::channels {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using Kind = SendOutcome::Kind;

bool token_refused(std::int64_t errcode) {
  return errcode == 40001 || errcode == 40014 || errcode == 42001;
}
// System busy, and the daily and per-minute quotas: the same message goes through later.
bool worth_retrying(std::int64_t errcode) {
  return errcode == -1 || errcode == 45009 || errcode == 45011;
}

// What a send needs of its account, copied for the callbacks.
struct Account {
  std::string base;  // the API's URL, without a trailing slash
  std::string appid;
  std::string secret;
  // The secret is part of the key: a token is only ever used for an account that could fetch it
  // itself, never lent to another merchant who merely names the same (public) appid.
  std::string slot_key() const { return base + '\0' + appid + '\0' + secret; }
};

std::string redacted(std::string text, std::initializer_list<std::string_view> secrets) {
  for (std::string_view secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

SendOutcome outcome(Kind kind, std::string response) {
  SendOutcome out;
  out.kind = kind;
  out.response = std::move(response);
  return out;
}

// The outcome of an exchange that never got to WeChat's JSON answer; nothing when it did.
std::optional<SendOutcome> transport_outcome(const net::HttpResponse& response) {
  std::string text = net::summary(response);
  if (response.error == CURLE_ABORTED_BY_CALLBACK) {
    return outcome(Kind::retry_later, "interrupted: depot stopped before WeChat answered");
  }
  if (response.error == CURLE_UNSUPPORTED_PROTOCOL || response.error == CURLE_URL_MALFORMAT) {
    return outcome(Kind::permanent, std::move(text));
  }
  if (response.error != CURLE_OK) return outcome(Kind::retry_later, std::move(text));
  if (response.status >= 200 && response.status < 300) return std::nullopt;
  if (response.status == 429 || response.status >= 500) {
    SendOutcome later = outcome(Kind::retry_later, std::move(text));
    later.retry_after = net::retry_after(response);
    return later;
  }
  return outcome(Kind::permanent, std::move(text));
}

std::optional<json::object> json_object(std::string_view body) {
  boost::system::error_code error;
  json::value value = json::parse(body, error);
  if (error || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

std::int64_t errcode_of(const json::object& answer) {
  const json::value* errcode = answer.if_contains("errcode");
  if (errcode == nullptr) return 0;
  if (errcode->is_int64()) return errcode->get_int64();
  if (errcode->is_uint64()) return static_cast<std::int64_t>(errcode->get_uint64());
  return -1;  // an errcode WeChat never writes: something is wrong at its end
}

std::string text_of(const json::value* value) {
  if (value == nullptr) return {};
  if (const auto* text = value->if_string()) return std::string(*text);
  if (value->is_int64()) return std::to_string(value->get_int64());
  if (value->is_uint64()) return std::to_string(value->get_uint64());
  return {};
}

struct TokenAnswer {
  bool ok = false;
  std::string token;
  std::chrono::seconds lifetime{0};
  SendOutcome failure;  // when not ok
};

TokenAnswer read_token(const net::HttpResponse& response, const Account& account) {
  TokenAnswer answer;
  if (auto failed = transport_outcome(response)) {
    answer.failure = std::move(*failed);
    answer.failure.response = "WeChat gave no access token: " +
                              redacted(std::move(answer.failure.response), {account.secret});
    return answer;
  }
  auto object = json_object(response.body);
  std::string token = object ? text_of(object->if_contains("access_token")) : std::string();
  if (token.empty()) {
    Kind kind =
        object && !worth_retrying(errcode_of(*object)) ? Kind::permanent : Kind::retry_later;
    answer.failure = outcome(
        kind, "WeChat gave no access token: " + redacted(net::summary(response), {account.secret}));
    return answer;
  }
  answer.ok = true;
  answer.token = std::move(token);
  const json::value* expires_in = object->if_contains("expires_in");
  answer.lifetime = std::chrono::seconds(expires_in != nullptr && expires_in->is_int64()
                                             ? std::max<std::int64_t>(0, expires_in->get_int64())
                                             : 7200);
  return answer;
}

}  // namespace

struct WechatChannel::State : std::enable_shared_from_this<State> {
  using TokenCallback = std::function<void(const TokenAnswer&)>;
  struct Waiter {
    std::string refused;  // the token WeChat refused this send, if any
    TokenCallback answer;
  };
  struct TokenSlot {
    std::string token;
    Clock::time_point renew_at;
    bool fetching = false;
    std::vector<Waiter> waiting;
  };

  State(net::CurlLoop& loop, WechatChannelOptions options) : loop(loop), options(options) {}

  // Answers with a cached token other than `refused`, or waits for the one fetch under way, or
  // starts it.
  void with_token(const Account& account, std::string refused, TokenCallback answer);
  void fetch_token(const Account& account, bool force);
  void token_fetched(const Account& account, bool forced, const net::HttpResponse& response);
  void post_message(const Account& account, std::string body, std::string event, std::string token,
                    bool refreshed, std::function<void(SendOutcome)> done);

  net::CurlLoop& loop;
  const WechatChannelOptions options;
  Mutex mutex;
  std::map<std::string, TokenSlot> slots GUARDED_BY(mutex);  // by (url, appid, secret)
};

void WechatChannel::State::with_token(const Account& account, std::string refused,
                                      TokenCallback answer) {
  MutexLock lock(mutex);
  TokenSlot& slot = slots[account.slot_key()];
  if (!slot.fetching && !slot.token.empty() && slot.token != refused &&
      Clock::now() < slot.renew_at) {
    TokenAnswer cached;
    cached.ok = true;
    cached.token = slot.token;
    lock.unlock();
    answer(cached);
    return;
  }
  // WeChat hands out the refused token again unless told to make a new one.
  bool force = !refused.empty() && (slot.token == refused || slot.token.empty());
  slot.waiting.push_back({std::move(refused), std::move(answer)});
  if (slot.fetching) return;
  slot.fetching = true;
  if (force) slot.token.clear();
  lock.unlock();
  fetch_token(account, force);
}

void WechatChannel::State::fetch_token(const Account& account, bool force) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = account.base + "/cgi-bin/stable_token";
  request.headers = {"Content-Type: application/json"};
  request.body = json::serialize(json::object{{"grant_type", "client_credential"},
                                              {"appid", account.appid},
                                              {"secret", account.secret},
                                              {"force_refresh", force}});
  request.connect_timeout = options.connect_timeout;
  request.timeout = options.timeout;
  loop.http(request,
            [self = shared_from_this(), account, force](const net::HttpResponse& response) {
              self->token_fetched(account, force, response);
            });
}

void WechatChannel::State::token_fetched(const Account& account, bool forced,
                                         const net::HttpResponse& response) {
  TokenAnswer answer = read_token(response, account);
  std::vector<Waiter> answered;
  bool refetch = false;
  {
    MutexLock lock(mutex);
    TokenSlot& slot = slots[account.slot_key()];
    slot.fetching = false;
    if (answer.ok) {
      slot.token = answer.token;
      auto margin = std::min(options.token_renewal_margin, answer.lifetime / 2);
      slot.renew_at = Clock::now() + answer.lifetime - margin;
    }
    std::vector<Waiter> still_waiting;
    for (Waiter& waiter : slot.waiting) {
      // A plain fetch may hand back the very token a send saw refused: that send needs a new one.
      bool needs_new = answer.ok && !forced && waiter.refused == answer.token;
      (needs_new ? still_waiting : answered).push_back(std::move(waiter));
    }
    slot.waiting = std::move(still_waiting);
    if (!slot.waiting.empty()) {
      slot.fetching = true;
      slot.token.clear();
      refetch = true;
    }
  }
  if (!answer.ok) {
    spdlog::warn("wechat {} appid {}: {}", net::host_of(account.base), account.appid,
                 answer.failure.response);
  }
  if (refetch) fetch_token(account, true);
  for (Waiter& waiter : answered) waiter.answer(answer);
}

void WechatChannel::State::post_message(const Account& account, std::string body, std::string event,
                                        std::string token, bool refreshed,
                                        std::function<void(SendOutcome)> done) {
  net::HttpRequest request;
  request.method = "POST";
  request.url =
      account.base + "/cgi-bin/message/template/send?access_token=" + net::percent_encode(token);
  request.headers = {"Content-Type: application/json"};
  request.body = body;
  request.connect_timeout = options.connect_timeout;
  request.timeout = options.timeout;
  loop.http(request, [self = shared_from_this(), account, body = std::move(body),
                      event = std::move(event), token = std::move(token), refreshed,
                      done = std::move(done)](const net::HttpResponse& response) mutable {
    auto finish = [&](SendOutcome result) {
      if (result.kind != Kind::sent) {
        spdlog::warn("wechat {} appid {}: {}: {}: {}", net::host_of(account.base), account.appid,
                     event, to_string(result.kind), result.response);
      }
      done(std::move(result));
    };
    if (auto failed = transport_outcome(response)) {
      failed->response = redacted(std::move(failed->response), {token, account.secret});
      return finish(std::move(*failed));
    }
    std::string text = redacted(net::summary(response), {token, account.secret});
    auto answer = json_object(response.body);
    if (!answer) return finish(outcome(Kind::retry_later, "not a WeChat answer: " + text));
    std::int64_t errcode = errcode_of(*answer);
    if (errcode == 0) {
      SendOutcome sent = outcome(Kind::sent, std::move(text));
      sent.provider_id = text_of(answer->if_contains("msgid"));
      return finish(std::move(sent));
    }
    if (token_refused(errcode) && !refreshed) {
      self->with_token(account, token,
                       [self, account, body = std::move(body), event = std::move(event),
                        done = std::move(done)](const TokenAnswer& fresh) mutable {
                         if (!fresh.ok) return done(fresh.failure);
                         self->post_message(account, std::move(body), std::move(event), fresh.token,
                                            true, std::move(done));
                       });
      return;
    }
    bool later = worth_retrying(errcode) || token_refused(errcode);
    finish(outcome(later ? Kind::retry_later : Kind::permanent, std::move(text)));
  });
}

WechatChannel::WechatChannel(net::CurlLoop& loop, WechatChannelOptions options)
    : state_(std::make_shared<State>(loop, options)) {}

void WechatChannel::send(const ChannelAccount& account, const OutgoingMessage& message,
                         std::function<void(SendOutcome)> done) {
  Account credentials{account.url, account.setting("appid"), account.setting("secret")};
  while (credentials.base.ends_with('/')) credentials.base.pop_back();
  auto refuse = [&](std::string why) {
    spdlog::warn("wechat appid {}: {}: not sent: {}", credentials.appid, message.event, why);
    done(outcome(Kind::permanent, std::move(why)));
  };
  auto template_id = account.templates.find(message.event);
  if (template_id == account.templates.end() || template_id->second.empty()) {
    return refuse("no WeChat template is set for " + message.event);
  }
  if (!is_http_url(credentials.base)) return refuse("the WeChat url must be http:// or https://");
  if (credentials.appid.empty() || credentials.secret.empty()) {
    return refuse("the WeChat account needs an appid and a secret");
  }
  if (message.recipient.empty()) return refuse("the customer has no WeChat openid");

  json::object data;
  for (const auto& [name, value] : message.variables) data[name] = json::object{{"value", value}};
  json::object body{{"touser", message.recipient}, {"template_id", template_id->second}};
  if (!message.link.empty()) body["url"] = message.link;
  // WeChat sends one message per openid and client_msg_id, so a retry after a lost answer is
  // not a second message.
  if (!message.key.empty()) body["client_msg_id"] = message.key;
  body["data"] = std::move(data);

  state_->with_token(
      credentials, {},
      [state = state_, credentials, body = json::serialize(body), event = message.event,
       done = std::move(done)](const TokenAnswer& token) mutable {
        if (!token.ok) {
          spdlog::warn("wechat appid {}: {}: {}: {}", credentials.appid, event,
                       to_string(token.failure.kind), token.failure.response);
          return done(token.failure);
        }
        state->post_message(credentials, std::move(body), std::move(event), token.token, false,
                            std::move(done));
      });
}

}  // namespace depot::channels
