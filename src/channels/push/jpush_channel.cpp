#include "channels/push/jpush_channel.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "domain/text.h"
#include "net/encoding.h"

namespace depot::channels {
namespace {

namespace json = boost::json;
using Kind = SendOutcome::Kind;

std::string redacted(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

std::string text_of(const json::value* value) {
  if (value == nullptr) return {};
  if (const auto* text = value->if_string()) return std::string(*text);
  if (value->is_int64()) return std::to_string(value->get_int64());
  if (value->is_uint64()) return std::to_string(value->get_uint64());
  return {};
}

// JPush's error code from {"error":{"code":…}}, or nothing.
std::optional<std::int64_t> error_code(const std::optional<json::object>& answer) {
  if (!answer) return std::nullopt;
  const json::value* error = answer->if_contains("error");
  const json::object* fields = error != nullptr ? error->if_object() : nullptr;
  const json::value* code = fields != nullptr ? fields->if_contains("code") : nullptr;
  if (code == nullptr || !code->is_int64()) return std::nullopt;
  return code->get_int64();
}

std::optional<json::object> json_object(std::string_view body) {
  boost::system::error_code error;
  json::value value = json::parse(body, error);
  if (error || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

// The wait a throttled answer asks for: Retry-After, else the seconds until JPush's rate window
// resets.
std::optional<std::chrono::milliseconds> wait_asked(const net::HttpResponse& response) {
  if (auto wait = net::retry_after(response)) return wait;
  auto reset = response.headers.find("x-rate-limit-reset");
  if (reset == response.headers.end() || reset->second.empty() || reset->second.size() > 6 ||
      !std::all_of(reset->second.begin(), reset->second.end(),
                   [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::stoi(reset->second));
}

SendOutcome outcome_of(const net::HttpResponse& response) {
  SendOutcome outcome;
  outcome.response = net::summary(response);
  if (response.error == CURLE_ABORTED_BY_CALLBACK) {
    outcome.kind = Kind::retry_later;
    outcome.response = "interrupted: depot stopped before JPush answered";
    return outcome;
  }
  if (response.error == CURLE_UNSUPPORTED_PROTOCOL || response.error == CURLE_URL_MALFORMAT) {
    outcome.kind = Kind::permanent;
    return outcome;
  }
  if (response.error != CURLE_OK) {
    outcome.kind = Kind::retry_later;
    return outcome;
  }
  auto answer = json_object(response.body);
  if (response.status >= 200 && response.status < 300) {
    outcome.kind = Kind::sent;
    if (answer) outcome.provider_id = text_of(answer->if_contains("msg_id"));
    return outcome;
  }
  std::optional<std::int64_t> code = error_code(answer);
  bool throttled = response.status == 429 || code == 2002;
  bool jpush_failed = response.status >= 500 || code == 1000 || code == 1030;
  if (throttled || jpush_failed) {
    outcome.kind = Kind::retry_later;
    outcome.retry_after = wait_asked(response);
  } else {
    outcome.kind = Kind::permanent;
  }
  return outcome;
}

json::object push_body(const OutgoingMessage& message, const JpushChannelOptions& options) {
  json::object extras{{"event", message.event}, {"key", message.key}};
  if (!message.link.empty()) extras["link"] = message.link;

  json::object android{{"alert", message.text}};
  if (!message.subject.empty()) android["title"] = message.subject;
  android["extras"] = extras;

  json::object ios;
  if (message.subject.empty()) {
    ios["alert"] = message.text;
  } else {
    ios["alert"] = json::object{{"title", message.subject}, {"body", message.text}};
  }
  ios["extras"] = std::move(extras);

  return json::object{
      {"platform", "all"},
      {"audience", {{"registration_id", json::array{json::value(message.recipient)}}}},
      {"notification", {{"alert", message.text}, {"android", android}, {"ios", ios}}},
      {"options",
       {{"time_to_live", options.time_to_live.count()},
        {"apns_production", options.apns_production}}}};
}

}  // namespace

JpushChannel::JpushChannel(net::CurlLoop& loop, JpushChannelOptions options)
    : loop_(loop), options_(options) {}

void JpushChannel::send(const ChannelAccount& account, const OutgoingMessage& message,
                        std::function<void(SendOutcome)> done) {
  std::string app_key = account.setting("app_key");
  std::string master_secret = account.setting("master_secret");
  auto refuse = [&](std::string why) {
    spdlog::warn("jpush app_key {}: {}: not sent: {}", app_key, message.event, why);
    SendOutcome outcome;
    outcome.kind = Kind::permanent;
    outcome.response = std::move(why);
    done(std::move(outcome));
  };
  if (!is_http_url(account.url)) return refuse("the JPush url must be http:// or https://");
  if (app_key.empty() || master_secret.empty()) {
    return refuse("the JPush account needs an app_key and a master_secret");
  }
  if (message.recipient.empty()) return refuse("the customer has no push registration id");
  if (message.text.empty()) return refuse("the push message has no text");

  std::string base = account.url;
  while (base.ends_with('/')) base.pop_back();
  std::string credentials = net::base64_encode(app_key + ":" + master_secret);

  net::HttpRequest request;
  request.method = "POST";
  request.url = base + "/v3/push";
  request.headers = {"Content-Type: application/json", "Authorization: Basic " + credentials};
  request.body = json::serialize(push_body(message, options_));
  request.connect_timeout = options_.connect_timeout;
  request.timeout = options_.timeout;
  loop_.http(request, [host = net::host_of(base), app_key = std::move(app_key),
                       master_secret = std::move(master_secret),
                       credentials = std::move(credentials), event = message.event,
                       done = std::move(done)](const net::HttpResponse& response) {
    SendOutcome outcome = outcome_of(response);
    outcome.response = redacted(redacted(std::move(outcome.response), master_secret), credentials);
    if (outcome.kind != Kind::sent) {
      spdlog::warn("jpush {} app_key {}: {}: {}: {}", host, app_key, event, to_string(outcome.kind),
                   outcome.response);
    }
    done(std::move(outcome));
  });
}

}  // namespace depot::channels
