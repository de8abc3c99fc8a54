#include "channels/webhook/webhook_channel.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <utility>

#include "channels/endpoint/endpoint_outcome.h"
#include "domain/text.h"
#include "net/encoding.h"

namespace depot::channels {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

// A merchant endpoint that answers 410 Gone is gone: its account is disabled.
SendOutcome outcome_of(const net::HttpResponse& response) {
  SendOutcome outcome = endpoint_outcome(response, "the endpoint");
  if (response.error == CURLE_OK && response.status == 410) outcome.disable_account = true;
  return outcome;
}

}  // namespace

std::optional<std::string> webhook_signature(std::string_view secret, std::string_view id,
                                             std::int64_t timestamp, std::string_view body) {
  std::string key;
  if (secret.starts_with(kSecretPrefix)) {
    auto decoded = net::base64_decode(secret.substr(kSecretPrefix.size()));
    if (!decoded) return std::nullopt;
    key = std::move(*decoded);
  } else {
    key = std::string(secret);
  }
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest, &length);
  return "v1," +
         net::base64_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

WebhookChannel::WebhookChannel(net::CurlLoop& loop, WebhookChannelOptions options)
    : loop_(loop), options_(options) {}

void WebhookChannel::send(const ChannelAccount& account, const OutgoingMessage& message,
                          std::function<void(SendOutcome)> done) {
  std::string host = net::host_of(account.url);
  auto refuse = [&](std::string why, bool disable = false) {
    spdlog::warn("webhook to {}: not sent: {}", host, why);
    SendOutcome outcome = SendOutcome::refused(std::move(why));
    outcome.disable_account = disable;
    done(std::move(outcome));
  };
  if (account.disabled) {
    return refuse("the webhook endpoint is disabled: it answered 410 Gone", true);
  }
  if (!is_http_url(account.url)) {
    return refuse("the webhook url must start with http:// or https://");
  }
  std::string secret = account.setting("secret");
  if (secret.empty()) return refuse("the webhook account has no signing secret");

  auto timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto signature = webhook_signature(secret, message.key, timestamp, message.payload);
  if (!signature) return refuse("the webhook secret is not base64 after \"whsec_\"");

  net::HttpRequest request;
  request.method = "POST";
  request.url = account.url;
  request.body = message.payload;
  request.connect_timeout = options_.connect_timeout;
  request.timeout = options_.timeout;
  request.headers = {"Content-Type: application/json", "webhook-id: " + message.key,
                     "webhook-timestamp: " + std::to_string(timestamp),
                     "webhook-signature: " + *signature};
  loop_.http(request, [host = std::move(host), event = message.event,
                       done = std::move(done)](const net::HttpResponse& response) {
    SendOutcome outcome = outcome_of(response);
    if (outcome.kind != SendOutcome::Kind::sent) {
      spdlog::warn("webhook {} to {}: {}: {}", event, host, to_string(outcome.kind),
                   outcome.response);
    }
    done(std::move(outcome));
  });
}

}  // namespace depot::channels
