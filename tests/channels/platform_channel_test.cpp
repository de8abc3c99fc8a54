#include "channels/platform/platform_channel.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <utility>

#include "support/http_receiver.h"

namespace depot::channels {
namespace {

using depot::testing::HttpReceiver;
using depot::testing::ReceivedRequest;
using depot::testing::ReceiverAnswer;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Kind = SendOutcome::Kind;

constexpr const char* kSecret = "k3Jx9QvT2mWp7LzR4nB8cY6dF1gH5sA0";

SendOutcome deliver(Channel& channel, const ChannelAccount& account,
                    const OutgoingMessage& message) {
  std::promise<SendOutcome> promise;
  auto future = promise.get_future();
  channel.send(account, message,
               [&promise](SendOutcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

ChannelAccount connection(const std::string& url, std::string platform = "generic",
                          std::string secret = kSecret) {
  ChannelAccount account;
  account.kind = ChannelKind::platform;
  account.url = url;
  account.settings["platform"] = std::move(platform);
  account.settings["secret"] = std::move(secret);
  return account;
}

OutgoingMessage write_back() {
  OutgoingMessage message;
  message.key = "depot-1-42-platform-00ff00ff00ff00ff";
  message.event = "shipment.created";
  message.recipient = "https://shop.example/depot/shipped";
  message.payload =
      R"({"event":"shipment.created","external_no":"G-1001","carrier":"SF","tracking_no":"SF1234567890123"})";
  return message;
}

// HMAC-SHA256 with OpenSSL as lower-case hex, apart from the channel's own code, as a platform
// would check it.
std::string expected_signature(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return "sha256=" + hex;
}

ReceiverAnswer answer(int status, std::string body = "{}",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
  ReceiverAnswer out;
  out.status = status;
  out.body = std::move(body);
  out.headers = std::move(headers);
  return out;
}

TEST(DepotSignature, IsTheHexHmacSha256OfTheBody) {
  // RFC 4231 test case 2.
  EXPECT_EQ(depot_signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_NE(depot_signature(kSecret, "{}"), depot_signature(kSecret, "{ }"));
}

TEST(PlatformChannel, PostsTheSignedWriteBack) {
  HttpReceiver receiver([](const ReceivedRequest&) { return answer(200, R"({"ok":true})"); });
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome outcome =
      deliver(channel, connection(receiver.url() + "/depot/shipped?shop=7"), write_back());
  EXPECT_EQ(outcome.kind, Kind::sent) << outcome.response;

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& received = requests[0];
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.target, "/depot/shipped?shop=7");
  EXPECT_EQ(received.body, write_back().payload);
  EXPECT_EQ(received.headers.at("content-type"), "application/json");
  EXPECT_EQ(received.headers.at("x-depot-event"), "shipment.created");
  EXPECT_EQ(received.headers.at("x-depot-delivery"), write_back().key);
  EXPECT_EQ(received.headers.at("x-depot-signature"), expected_signature(kSecret, received.body));
}

TEST(PlatformChannel, ARetryCarriesTheSameDeliveryId) {
  HttpReceiver receiver([](const ReceivedRequest&) { return answer(204, ""); });
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  deliver(channel, connection(receiver.url()), write_back());
  deliver(channel, connection(receiver.url()), write_back());
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.at("x-depot-delivery"), requests[1].headers.at("x-depot-delivery"));
  EXPECT_EQ(requests[0].headers.at("x-depot-signature"),
            requests[1].headers.at("x-depot-signature"));
}

TEST(PlatformChannel, RetriesA503AfterItsRetryAfter) {
  HttpReceiver receiver([](const ReceivedRequest&) {
    return answer(503, R"({"error":"maintenance"})", {{"Retry-After", "30"}});
  });
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome outcome = deliver(channel, connection(receiver.url()), write_back());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_EQ(outcome.response, R"(HTTP 503: {"error":"maintenance"})");
  EXPECT_EQ(outcome.retry_after, seconds(30));
}

TEST(PlatformChannel, RetriesThrottlingAndTimeouts) {
  for (int status : {408, 425, 429, 500, 502}) {
    HttpReceiver receiver([status](const ReceivedRequest&) { return answer(status); });
    net::CurlLoop loop;
    PlatformChannel channel(loop);
    EXPECT_EQ(deliver(channel, connection(receiver.url()), write_back()).kind, Kind::retry_later)
        << status;
  }
}

TEST(PlatformChannel, ARefusalRetryingCannotFixIsPermanent) {
  for (int status : {400, 401, 404, 410, 301}) {
    HttpReceiver receiver([status](const ReceivedRequest&) { return answer(status, "no"); });
    net::CurlLoop loop;
    PlatformChannel channel(loop);
    SendOutcome outcome = deliver(channel, connection(receiver.url()), write_back());
    EXPECT_EQ(outcome.kind, Kind::permanent) << status;
    EXPECT_FALSE(outcome.disable_account);
    EXPECT_EQ(outcome.response.find(kSecret), std::string::npos);
  }
}

TEST(PlatformChannel, APlatformThatIsDownOrSlowIsRetried) {
  std::string closed;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    closed = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
  }
  net::CurlLoop loop;
  PlatformChannel channel(loop, {.timeout = milliseconds(200)});
  EXPECT_EQ(deliver(channel, connection(closed), write_back()).kind, Kind::retry_later);

  HttpReceiver slow([](const ReceivedRequest&) {
    ReceiverAnswer late;
    late.delay = milliseconds(3000);
    return late;
  });
  SendOutcome outcome = deliver(channel, connection(slow.url()), write_back());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_NE(outcome.response.find("imed out"), std::string::npos) << outcome.response;
}

TEST(PlatformChannel, RefusesWhatItCannotSendWithoutSending) {
  HttpReceiver receiver;
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome no_secret = deliver(channel, connection(receiver.url(), "generic", ""), write_back());
  EXPECT_EQ(no_secret.kind, Kind::permanent);
  EXPECT_NE(no_secret.response.find("secret"), std::string::npos);
  SendOutcome taobao = deliver(channel, connection(receiver.url(), "taobao"), write_back());
  EXPECT_EQ(taobao.kind, Kind::permanent);
  EXPECT_NE(taobao.response.find("taobao"), std::string::npos);
  SendOutcome not_http = deliver(channel, connection("ftp://127.0.0.1/hooks"), write_back());
  EXPECT_EQ(not_http.kind, Kind::permanent);
  OutgoingMessage empty = write_back();
  empty.payload.clear();
  EXPECT_EQ(deliver(channel, connection(receiver.url()), empty).kind, Kind::permanent);
  EXPECT_EQ(receiver.count(), 0u);
}

// ---- Shopify's fulfillment call ----

constexpr const char* kShopifyToken = "shpat_0123456789abcdef0123456789abcdef";
constexpr const char* kFulfillmentOrders =
    "/admin/api/2024-01/orders/450789469/fulfillment_orders.json";
constexpr const char* kFulfillments = "/admin/api/2024-01/fulfillments.json";

ChannelAccount shop(const std::string& url, std::string token = kShopifyToken) {
  ChannelAccount account = connection(url, "shopify");
  account.settings["access_token"] = std::move(token);
  return account;
}

OutgoingMessage shopify_write_back() {
  OutgoingMessage message = write_back();
  message.payload = R"({"event":"shipment.created","platform":"shopify","external_no":"#1001",)"
                    R"("platform_order_id":"450789469","carrier":"SF","carrier_code":"shunfeng",)"
                    R"("carrier_name":"顺丰速运","tracking_no":"SF1234567890123",)"
                    R"("tracking_url":"https://depot.example/t/abc"})";
  return message;
}

// A shop whose order 450789469 has the given fulfillment orders; it answers the fulfillment call
// with `created` and refuses any request without the token.
HttpReceiver shopify_receiver(std::string fulfillment_orders, ReceiverAnswer created) {
  return HttpReceiver([fulfillment_orders = std::move(fulfillment_orders),
                       created = std::move(created)](const ReceivedRequest& request) {
    auto token = request.headers.find("x-shopify-access-token");
    if (token == request.headers.end() || token->second != kShopifyToken) {
      return answer(401, R"({"errors":"[API] Invalid API key or access token"})");
    }
    if (request.method == "GET" && request.target == kFulfillmentOrders) {
      return answer(200, fulfillment_orders);
    }
    if (request.method == "POST" && request.target == kFulfillments) return created;
    return answer(404, R"({"errors":"Not Found"})");
  });
}

TEST(ShopifyFulfillment, FulfilsTheOpenFulfillmentOrdersWithTheTrackingNumber) {
  HttpReceiver receiver = shopify_receiver(
      R"({"fulfillment_orders":[{"id":1046000811,"status":"open"},)"
      R"({"id":1046000812,"status":"closed"},{"id":1046000813,"status":"in_progress"}]})",
      answer(201, R"({"fulfillment":{"id":255858046}})"));
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome outcome = deliver(channel, shop(receiver.url() + "/"), shopify_write_back());
  EXPECT_EQ(outcome.kind, Kind::sent) << outcome.response;

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, kFulfillmentOrders);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].target, kFulfillments);
  EXPECT_EQ(requests[1].headers.at("x-shopify-access-token"), kShopifyToken);
  EXPECT_EQ(requests[1].headers.at("content-type"), "application/json");
  EXPECT_EQ(boost::json::parse(requests[1].body),
            boost::json::parse(
                R"({"fulfillment":{"line_items_by_fulfillment_order":[)"
                R"({"fulfillment_order_id":1046000811},{"fulfillment_order_id":1046000813}],)"
                R"("tracking_info":{"number":"SF1234567890123","company":"顺丰速运",)"
                R"("url":"https://depot.example/t/abc"},"notify_customer":false}})"));
}

TEST(ShopifyFulfillment, AnOrderWithNothingOpenIsFulfilledAlreadyAndNotPostedAgain) {
  HttpReceiver receiver = shopify_receiver(
      R"({"fulfillment_orders":[{"id":1046000811,"status":"closed"}]})", answer(201));
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome outcome = deliver(channel, shop(receiver.url()), shopify_write_back());
  EXPECT_EQ(outcome.kind, Kind::sent) << outcome.response;
  EXPECT_NE(outcome.response.find("fulfilled already"), std::string::npos) << outcome.response;
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
}

TEST(ShopifyFulfillment, AnOrderHeldOnShopifyIsPermanentWithoutAPost) {
  HttpReceiver receiver =
      shopify_receiver(R"({"fulfillment_orders":[{"id":1046000811,"status":"closed"},)"
                       R"({"id":1046000812,"status":"on_hold"}]})",
                       answer(201));
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome outcome = deliver(channel, shop(receiver.url()), shopify_write_back());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_NE(outcome.response.find("on_hold"), std::string::npos) << outcome.response;
  EXPECT_EQ(receiver.count(), 1u);
}

TEST(ShopifyFulfillment, AFulfillmentShopifyRefusesIsPermanentInItsWords) {
  HttpReceiver receiver = shopify_receiver(
      R"({"fulfillment_orders":[{"id":1046000811,"status":"open"}]})",
      answer(422, R"({"errors":["Fulfillment order 1046000811 has an unfulfillable status"]})"));
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome outcome = deliver(channel, shop(receiver.url()), shopify_write_back());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_NE(outcome.response.find("HTTP 422"), std::string::npos) << outcome.response;
  EXPECT_NE(outcome.response.find("unfulfillable status"), std::string::npos) << outcome.response;
  EXPECT_EQ(receiver.count(), 2u);
}

TEST(ShopifyFulfillment, AWrongTokenIsPermanentAndAThrottledLookupWaits) {
  HttpReceiver receiver = shopify_receiver(R"({"fulfillment_orders":[]})", answer(201));
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome wrong = deliver(channel, shop(receiver.url(), "shpat_wrong"), shopify_write_back());
  EXPECT_EQ(wrong.kind, Kind::permanent);
  EXPECT_NE(wrong.response.find("HTTP 401"), std::string::npos) << wrong.response;
  EXPECT_EQ(wrong.response.find("shpat_wrong"), std::string::npos);

  HttpReceiver throttled([](const ReceivedRequest&) {
    return answer(429, R"({"errors":"Exceeded 2 calls per second"})", {{"Retry-After", "2.0"}});
  });
  SendOutcome later = deliver(channel, shop(throttled.url()), shopify_write_back());
  EXPECT_EQ(later.kind, Kind::retry_later);
  EXPECT_EQ(later.retry_after, seconds(2));
  EXPECT_EQ(throttled.count(), 1u);
}

TEST(ShopifyFulfillment, RefusesWithoutTokenOrShopifyOrderIdWithoutSending) {
  HttpReceiver receiver;
  net::CurlLoop loop;
  PlatformChannel channel(loop);
  SendOutcome no_token = deliver(channel, shop(receiver.url(), ""), shopify_write_back());
  EXPECT_EQ(no_token.kind, Kind::permanent);
  EXPECT_NE(no_token.response.find("access_token"), std::string::npos);
  SendOutcome no_id = deliver(channel, shop(receiver.url()), write_back());
  EXPECT_EQ(no_id.kind, Kind::permanent);
  EXPECT_NE(no_id.response.find("Shopify id"), std::string::npos) << no_id.response;
  EXPECT_EQ(receiver.count(), 0u);
}

}  // namespace
}  // namespace depot::channels
