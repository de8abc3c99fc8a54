#include "channels/push/jpush_channel.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "support/http_receiver.h"

namespace depot::channels {
namespace {

namespace json = boost::json;
using depot::testing::HttpReceiver;
using depot::testing::ReceivedRequest;
using depot::testing::ReceiverAnswer;
using std::chrono::seconds;
using Kind = SendOutcome::Kind;

// The credentials of JPush's own curl example and the header it shows for them.
constexpr const char* kAppKey = "7d431e42dfa6a6d693ac2d04";
constexpr const char* kMasterSecret = "5e987ac6d2e04d95a9d8f0d1";
constexpr const char* kAuthorization =
    "Basic N2Q0MzFlNDJkZmE2YTZkNjkzYWMyZDA0OjVlOTg3YWM2ZDJlMDRkOTVhOWQ4ZjBkMQ==";

ReceiverAnswer answer(int status, const json::object& body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
  ReceiverAnswer out;
  out.status = status;
  out.body = json::serialize(body);
  out.headers = std::move(headers);
  return out;
}

ReceiverAnswer jpush_error(int status, int code, std::string message) {
  return answer(status, {{"error", {{"code", code}, {"message", std::move(message)}}}});
}

// JPush's push endpoint: checks the credentials, then answers with `then`.
HttpReceiver::Handler jpush(std::function<ReceiverAnswer()> then = [] {
  return answer(200, {{"sendno", "0"}, {"msg_id", "54043195528456213"}});
}) {
  return [then = std::move(then)](const ReceivedRequest& request) {
    if (request.method != "POST" || request.target != "/v3/push") {
      return jpush_error(404, 1001, "not found");
    }
    auto authorization = request.headers.find("authorization");
    if (authorization == request.headers.end() || authorization->second != kAuthorization) {
      return jpush_error(401, 1004, "Authen failed");
    }
    return then();
  };
}

ChannelAccount account_for(const std::string& url, std::string master_secret = kMasterSecret) {
  ChannelAccount account;
  account.kind = ChannelKind::push;
  account.url = url;
  account.settings = {{"app_key", kAppKey}, {"master_secret", std::move(master_secret)}};
  return account;
}

OutgoingMessage shipment_created() {
  OutgoingMessage message;
  message.key = "d-42";
  message.event = "shipment.created";
  message.recipient = "1a0018970af1c2c1d25";
  message.subject = "Your order has shipped";
  message.text = "SO-1001 is on its way with SF Express: SF123";
  message.link = "https://track.example/SF123";
  return message;
}

SendOutcome deliver(Channel& channel, const ChannelAccount& account,
                    const OutgoingMessage& message) {
  std::promise<SendOutcome> promise;
  auto future = promise.get_future();
  channel.send(account, message,
               [&promise](SendOutcome outcome) { promise.set_value(std::move(outcome)); });
  return future.get();
}

std::string closed_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

TEST(JpushChannel, PushesANotificationToOneDevice) {
  HttpReceiver receiver(jpush());
  net::CurlLoop loop;
  JpushChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(receiver.url() + "/"), shipment_created());
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.response;
  EXPECT_EQ(outcome.provider_id, "54043195528456213");

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers["content-type"], "application/json");
  json::object body = json::parse(requests[0].body).as_object();
  json::object extras{
      {"event", "shipment.created"}, {"key", "d-42"}, {"link", "https://track.example/SF123"}};
  json::object expected{{"platform", "all"},
                        {"audience", {{"registration_id", json::array{"1a0018970af1c2c1d25"}}}},
                        {"notification",
                         {{"alert", "SO-1001 is on its way with SF Express: SF123"},
                          {"android",
                           {{"alert", "SO-1001 is on its way with SF Express: SF123"},
                            {"title", "Your order has shipped"},
                            {"extras", extras}}},
                          {"ios",
                           {{"alert",
                             {{"title", "Your order has shipped"},
                              {"body", "SO-1001 is on its way with SF Express: SF123"}}},
                            {"extras", extras}}}}},
                        {"options", {{"time_to_live", 86400}, {"apns_production", true}}}};
  EXPECT_EQ(body, expected) << requests[0].body;
}

TEST(JpushChannel, WithoutASubjectSendsTheTextAlone) {
  HttpReceiver receiver(jpush());
  net::CurlLoop loop;
  JpushChannel channel(loop);
  OutgoingMessage message = shipment_created();
  message.subject.clear();
  message.link.clear();
  ASSERT_EQ(deliver(channel, account_for(receiver.url()), message).kind, Kind::sent);
  json::object body = json::parse(receiver.requests().at(0).body).as_object();
  const json::object& notification = body["notification"].as_object();
  EXPECT_FALSE(notification.at("android").as_object().contains("title"));
  EXPECT_EQ(notification.at("ios").at("alert"), json::value(message.text));
  EXPECT_FALSE(notification.at("ios").at("extras").as_object().contains("link"));
}

TEST(JpushChannel, RefusedCredentialsArePermanentAndNotShown) {
  HttpReceiver receiver(jpush());
  net::CurlLoop loop;
  JpushChannel channel(loop);
  SendOutcome outcome =
      deliver(channel, account_for(receiver.url(), "wrong-master-secret"), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_NE(outcome.response.find("HTTP 401"), std::string::npos) << outcome.response;
  EXPECT_NE(outcome.response.find("1004"), std::string::npos) << outcome.response;
  EXPECT_EQ(outcome.response.find("wrong-master-secret"), std::string::npos);
}

TEST(JpushChannel, AnUnknownDeviceIsPermanent) {
  HttpReceiver receiver(
      jpush([] { return jpush_error(400, 1011, "cannot find user by this audience"); }));
  net::CurlLoop loop;
  JpushChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(receiver.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_EQ(outcome.response,
            R"(HTTP 400: {"error":{"code":1011,"message":"cannot find user by this audience"}})");
  EXPECT_EQ(outcome.provider_id, "");
}

TEST(JpushChannel, BadParametersArePermanent) {
  HttpReceiver receiver(jpush([] { return jpush_error(400, 1003, "value invalid"); }));
  net::CurlLoop loop;
  JpushChannel channel(loop);
  EXPECT_EQ(deliver(channel, account_for(receiver.url()), shipment_created()).kind,
            Kind::permanent);
}

TEST(JpushChannel, ARateLimitIsRetriedWhenTheWindowResets) {
  HttpReceiver receiver(jpush([] {
    ReceiverAnswer limited = jpush_error(429, 2002, "Request times is out of limit");
    limited.headers = {{"X-Rate-Limit-Limit", "600"}, {"X-Rate-Limit-Reset", "12"}};
    return limited;
  }));
  net::CurlLoop loop;
  JpushChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(receiver.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_EQ(outcome.retry_after, seconds(12));
}

TEST(JpushChannel, AnOutageIsRetriedAfterItsRetryAfter) {
  HttpReceiver receiver(jpush([] {
    ReceiverAnswer down = jpush_error(503, 1000, "Server Internal error");
    down.headers = {{"Retry-After", "20"}};
    return down;
  }));
  net::CurlLoop loop;
  JpushChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(receiver.url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_EQ(outcome.retry_after, seconds(20));
  EXPECT_NE(outcome.response.find("HTTP 503"), std::string::npos);
}

TEST(JpushChannel, AServiceThatIsDownIsRetried) {
  net::CurlLoop loop;
  JpushChannel channel(loop);
  SendOutcome outcome = deliver(channel, account_for(closed_url()), shipment_created());
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_FALSE(outcome.response.empty());
}

TEST(JpushChannel, RefusesAMessageItCannotAddress) {
  HttpReceiver receiver(jpush());
  net::CurlLoop loop;
  JpushChannel channel(loop);
  OutgoingMessage no_device = shipment_created();
  no_device.recipient.clear();
  EXPECT_EQ(deliver(channel, account_for(receiver.url()), no_device).kind, Kind::permanent);
  EXPECT_EQ(deliver(channel, account_for(receiver.url(), ""), shipment_created()).kind,
            Kind::permanent);
  EXPECT_EQ(receiver.count(), 0u);
}

}  // namespace
}  // namespace depot::channels
