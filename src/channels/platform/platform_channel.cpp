#include "channels/platform/platform_channel.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "app/signing.h"
#include "channels/endpoint/endpoint_outcome.h"
#include "channels/platform/shopify_fulfillment.h"
#include "domain/text.h"

namespace depot::channels {

std::string depot_signature(std::string_view secret, std::string_view body) {
  return "sha256=" + lower_hex(hmac_sha256(secret, body));
}

PlatformChannel::PlatformChannel(net::CurlLoop& loop, PlatformChannelOptions options)
    : loop_(loop), options_(options) {}

void PlatformChannel::send(const ChannelAccount& account, const OutgoingMessage& message,
                           std::function<void(SendOutcome)> done) {
  std::string host = net::host_of(account.url);
  auto refuse = [&](std::string why) {
    spdlog::warn("write-back to {}: not sent: {}", host, why);
    done(SendOutcome::refused(std::move(why)));
  };
  std::string platform = account.setting("platform");
  if (platform == "shopify") {
    return send_shopify_fulfillment(loop_, options_, account, message, std::move(done));
  }
  if (platform != "generic") {
    return refuse("write-back to a " + platform + " connection is not supported");
  }
  if (!is_http_url(account.url)) {
    return refuse("the connection's callback_url must start with http:// or https://");
  }
  std::string secret = account.setting("secret");
  if (secret.empty()) return refuse("the connection has no signing secret");
  if (message.payload.empty()) return refuse("the write-back has no body");

  net::HttpRequest request;
  request.method = "POST";
  request.url = account.url;
  request.body = message.payload;
  request.connect_timeout = options_.connect_timeout;
  request.timeout = options_.timeout;
  request.headers = {"Content-Type: application/json", "X-Depot-Event: " + message.event,
                     "X-Depot-Delivery: " + message.key,
                     "X-Depot-Signature: " + depot_signature(secret, message.payload)};
  loop_.http(
      request, [host = std::move(host), done = std::move(done)](const net::HttpResponse& response) {
        SendOutcome outcome = endpoint_outcome(response, "the platform");
        if (outcome.kind != SendOutcome::Kind::sent) {
          spdlog::warn("write-back to {}: {}: {}", host, to_string(outcome.kind), outcome.response);
        }
        done(std::move(outcome));
      });
}

}  // namespace depot::channels
