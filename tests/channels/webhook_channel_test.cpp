#include "channels/webhook/webhook_channel.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <ctime>
#include <future>
#include <memory>
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

// The Standard Webhooks test vector (standard-webhooks libraries' own tests).
constexpr const char* kSpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

SendOutcome deliver(Channel& channel, const ChannelAccount& account,
                    const OutgoingMessage& message) {
  std::promise<SendOutcome> promise;
  auto future = promise.get_future();
  channel.send(account, message,
               [&promise](SendOutcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

ChannelAccount account_for(const std::string& url, std::string secret = kSpecSecret) {
  ChannelAccount account;
  account.kind = ChannelKind::webhook;
  account.url = url;
  account.settings["secret"] = std::move(secret);
  return account;
}

OutgoingMessage shipment_created() {
  OutgoingMessage message;
  message.key = "msg_7.webhook.shipments";
  message.event = "shipment.created";
  message.recipient = "https://merchant.example/hooks";
  message.payload = R"({"type":"shipment.created","data":{"order":"SO-1001","tracking":"SF123"}})";
  return message;
}

// HMAC-SHA256 with OpenSSL, apart from the channel's own code, as a receiver would check it.
std::string expected_signature(const std::string& key, const std::string& signed_content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), digest,
       &length);
  std::string encoded(4 * ((length + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), digest,
                  static_cast<int>(length));
  return "v1," + encoded;
}

std::string decoded_spec_key() {
  std::string base64 = std::string(kSpecSecret).substr(6);  // 32 characters, no padding
  std::string key(base64.size() * 3 / 4, '\0');
  EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()),
                  reinterpret_cast<const unsigned char*>(base64.data()),
                  static_cast<int>(base64.size()));
  return key;
}

ReceiverAnswer answer(int status, std::string body = "{}",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
  ReceiverAnswer out;
  out.status = status;
  out.body = std::move(body);
  out.headers = std::move(headers);
  return out;
}

std::string closed_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

TEST(WebhookSignature, MatchesTheStandardWebhooksTestVector) {
  EXPECT_EQ(webhook_signature(kSpecSecret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                              R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, ChangesWithEverySignedPart) {
  auto base = webhook_signature(kSpecSecret, "msg_1", 1614265330, "{}");
  EXPECT_NE(base, webhook_signature(kSpecSecret, "msg_2", 1614265330, "{}"));
  EXPECT_NE(base, webhook_signature(kSpecSecret, "msg_1", 1614265331, "{}"));
  EXPECT_NE(base, webhook_signature(kSpecSecret, "msg_1", 1614265330, "{ }"));
  EXPECT_NE(base,
            webhook_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", "msg_1", 1614265330, "{}"));
}

TEST(WebhookSignature, UsesAPlainSecretsOwnBytesAsTheKey) {
  EXPECT_EQ(webhook_signature("plain-secret", "msg_1", 1700000000, R"({"a":1})"),
            expected_signature("plain-secret", R"(msg_1.1700000000.{"a":1})"));
}

TEST(WebhookSignature, RefusesAWhsecSecretThatIsNotBase64) {
  EXPECT_EQ(webhook_signature("whsec_not*base64!", "msg_1", 1700000000, "{}"), std::nullopt);
  EXPECT_EQ(webhook_signature("whsec_A", "msg_1", 1700000000, "{}"), std::nullopt);
}

TEST(WebhookChannel, PostsTheSignedPayload) {
  HttpReceiver receiver([](const ReceivedRequest&) { return answer(204, ""); });
  net::CurlLoop loop;
  WebhookChannel channel(loop);
  auto before = std::time(nullptr);
  SendOutcome outcome =
      deliver(channel, account_for(receiver.url() + "/hooks/depot?shop=7"), shipment_created());
  auto after = std::time(nullptr);
  EXPECT_EQ(outcome.kind, Kind::sent) << outcome.response;
  EXPECT_EQ(outcome.response, "HTTP 204");
  EXPECT_FALSE(outcome.disable_account);

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& received = requests[0];
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.target, "/hooks/depot?shop=7");
  EXPECT_EQ(received.body, shipment_created().payload);
  EXPECT_EQ(received.headers.at("content-type"), "application/json");
  EXPECT_EQ(received.headers.at("webhook-id"), "msg_7.webhook.shipments");
  std::int64_t timestamp = std::stoll(received.headers.at("webhook-timestamp"));
  EXPECT_GE(timestamp, before);
  EXPECT_LE(timestamp, after);
  // The receiver's check: the signature over what arrived, with the key from the secret.
  EXPECT_EQ(received.headers.at("webhook-signature"),
            expected_signature(decoded_spec_key(), received.headers.at("webhook-id") + "." +
                                                       received.headers.at("webhook-timestamp") +
                                                       "." + received.body));
}

TEST(WebhookChannel, RetriesA503AfterItsRetryAfter) {
  HttpReceiver receiver([](const ReceivedRequest&) {
    return answer(503, R"({"error":"maintenance"})", {{"Retry-After", "30"}});
  });
  net::CurlLoop loop;
  WebhookChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(receiver.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_EQ(outcome.response, R"(HTTP 503: {"error":"maintenance"})");
  EXPECT_EQ(outcome.retry_after, seconds(30));
  EXPECT_FALSE(outcome.disable_account);
}

TEST(WebhookChannel, ReadsARetryAfterDateOnA429) {
  std::time_t in_two_minutes = std::time(nullptr) + 120;
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&in_two_minutes));
  HttpReceiver receiver([date = std::string(date)](const ReceivedRequest&) {
    return answer(429, "slow down", {{"Retry-After", date}});
  });
  net::CurlLoop loop;
  WebhookChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(receiver.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  ASSERT_TRUE(outcome.retry_after.has_value());
  EXPECT_GE(*outcome.retry_after, seconds(115));
  EXPECT_LE(*outcome.retry_after, seconds(121));
}

TEST(WebhookChannel, ARefusalRetryingCannotFixIsPermanent) {
  HttpReceiver receiver([](const ReceivedRequest&) { return answer(400, "unknown event type"); });
  net::CurlLoop loop;
  WebhookChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(receiver.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_EQ(outcome.response, "HTTP 400: unknown event type");
  EXPECT_FALSE(outcome.disable_account);
  EXPECT_EQ(outcome.response.find(kSpecSecret), std::string::npos);
}

TEST(WebhookChannel, GoneDisablesTheEndpoint) {
  HttpReceiver receiver([](const ReceivedRequest&) { return answer(410, ""); });
  net::CurlLoop loop;
  WebhookChannel channel(loop);
  ChannelAccount account = account_for(receiver.url());
  SendOutcome outcome = deliver(channel, account, shipment_created());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_TRUE(outcome.disable_account);
  EXPECT_EQ(outcome.response, "HTTP 410");

  // Once disabled, nothing more goes out.
  account.disabled = true;
  SendOutcome again = deliver(channel, account, shipment_created());
  EXPECT_EQ(again.kind, Kind::permanent);
  EXPECT_EQ(receiver.count(), 1u);
}

TEST(WebhookChannel, ShortensALongBodyInTheResponse) {
  HttpReceiver receiver([](const ReceivedRequest&) { return answer(500, std::string(5000, 'e')); });
  net::CurlLoop loop;
  WebhookChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(receiver.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_EQ(outcome.response, "HTTP 500: " + std::string(300, 'e'));
  EXPECT_EQ(outcome.retry_after, std::nullopt);
}

TEST(WebhookChannel, AnEndpointThatIsDownIsRetried) {
  net::CurlLoop loop;
  WebhookChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(closed_url() + "/hooks"), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_FALSE(outcome.response.empty());
  EXPECT_EQ(outcome.response.find("HTTP"), std::string::npos) << outcome.response;
}

TEST(WebhookChannel, ASlowEndpointIsRetried) {
  HttpReceiver receiver([](const ReceivedRequest&) {
    ReceiverAnswer slow;
    slow.delay = milliseconds(3000);
    return slow;
  });
  net::CurlLoop loop;
  WebhookChannel channel(loop, {.timeout = milliseconds(200)});
  SendOutcome outcome = deliver(channel, account_for(receiver.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_NE(outcome.response.find("imed out"), std::string::npos) << outcome.response;
}

TEST(WebhookChannel, RefusesAnAccountItCannotSignFor) {
  HttpReceiver receiver;
  net::CurlLoop loop;
  WebhookChannel channel(loop);
  SendOutcome no_secret = deliver(channel, account_for(receiver.url(), ""), shipment_created());
  EXPECT_EQ(no_secret.kind, Kind::permanent);
  EXPECT_NE(no_secret.response.find("secret"), std::string::npos);
  SendOutcome bad_secret =
      deliver(channel, account_for(receiver.url(), "whsec_%%%"), shipment_created());
  EXPECT_EQ(bad_secret.kind, Kind::permanent);
  EXPECT_EQ(bad_secret.response.find("%%%"), std::string::npos);
  SendOutcome not_http = deliver(channel, account_for("ftp://127.0.0.1/hooks"), shipment_created());
  EXPECT_EQ(not_http.kind, Kind::permanent);
  EXPECT_EQ(receiver.count(), 0u);
}

TEST(WebhookChannel, StoppingAnswersASendInFlightOnce) {
  HttpReceiver receiver([](const ReceivedRequest&) {
    ReceiverAnswer slow;
    slow.delay = milliseconds(5000);
    return slow;
  });
  int calls = 0;  // written on the loop's thread, read once it has stopped
  SendOutcome last;
  {
    auto loop = std::make_unique<net::CurlLoop>();
    WebhookChannel channel(*loop);
    channel.send(account_for(receiver.url()), shipment_created(), [&](SendOutcome outcome) {
      ++calls;
      last = std::move(outcome);
    });
    while (receiver.count() == 0) std::this_thread::sleep_for(milliseconds(5));
    loop.reset();
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(last.kind, Kind::retry_later);
  EXPECT_NE(last.response.find("interrupted"), std::string::npos);
}

}  // namespace
}  // namespace depot::channels
