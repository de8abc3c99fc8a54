#include "channels/webhook/webhook_channel.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <utility>

namespace depot::channels {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64, padded or not; nothing when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text) {
  for (int padding = 0; padding < 2 && text.ends_with('='); ++padding) text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int digit = base64_digit(c);
    if (digit < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

bool is_http_url(std::string_view url) {
  std::string head(url.substr(0, 8));
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return head.starts_with("http://") || head.starts_with("https://");
}

SendOutcome refused(std::string response) {
  SendOutcome outcome;
  outcome.kind = SendOutcome::Kind::permanent;
  outcome.response = std::move(response);
  return outcome;
}

SendOutcome outcome_of(const net::HttpResponse& response) {
  SendOutcome outcome;
  outcome.response = net::summary(response);
  if (response.error == CURLE_ABORTED_BY_CALLBACK) {
    outcome.kind = SendOutcome::Kind::retry_later;
    outcome.response = "interrupted: depot stopped before the endpoint answered";
  } else if (response.error == CURLE_UNSUPPORTED_PROTOCOL ||
             response.error == CURLE_URL_MALFORMAT) {
    outcome.kind = SendOutcome::Kind::permanent;
  } else if (response.error != CURLE_OK) {
    outcome.kind = SendOutcome::Kind::retry_later;
  } else if (response.status >= 200 && response.status < 300) {
    outcome.kind = SendOutcome::Kind::sent;
  } else if (response.status == 410) {
    outcome.kind = SendOutcome::Kind::permanent;
    outcome.disable_account = true;
  } else if (response.status == 408 || response.status == 425 || response.status == 429 ||
             response.status >= 500) {
    outcome.kind = SendOutcome::Kind::retry_later;
    outcome.retry_after = net::retry_after(response);
  } else {
    outcome.kind = SendOutcome::Kind::permanent;
  }
  return outcome;
}

std::string_view kind_name(SendOutcome::Kind kind) {
  switch (kind) {
    case SendOutcome::Kind::sent:
      return "sent";
    case SendOutcome::Kind::retry_later:
      return "retry later";
    case SendOutcome::Kind::permanent:
      return "permanent";
  }
  return "unknown";
}

}  // namespace

std::optional<std::string> webhook_signature(std::string_view secret, std::string_view id,
                                             std::int64_t timestamp, std::string_view body) {
  std::string key;
  if (secret.starts_with(kSecretPrefix)) {
    auto decoded = base64_decode(secret.substr(kSecretPrefix.size()));
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
  return "v1," + base64(std::string_view(reinterpret_cast<const char*>(digest), length));
}

WebhookChannel::WebhookChannel(net::CurlLoop& loop, WebhookChannelOptions options)
    : loop_(loop), options_(options) {}

void WebhookChannel::send(const ChannelAccount& account, const OutgoingMessage& message,
                          std::function<void(SendOutcome)> done) {
  std::string host = net::host_of(account.url);
  auto refuse = [&](std::string why, bool disable = false) {
    spdlog::warn("webhook to {}: not sent: {}", host, why);
    SendOutcome outcome = refused(std::move(why));
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
                       done = std::move(done)](net::HttpResponse response) {
    SendOutcome outcome = outcome_of(response);
    if (outcome.kind != SendOutcome::Kind::sent) {
      spdlog::warn("webhook {} to {}: {}: {}", event, host, kind_name(outcome.kind),
                   outcome.response);
    }
    done(std::move(outcome));
  });
}

}  // namespace depot::channels
