#include "carriers/kuaidi100/kuaidi100_tracker.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "carriers/kuaidi100_receiver.h"
#include "carriers/kuaidi100_samples.h"
#include "domain/tracking.h"

namespace depot::carriers {
namespace {

namespace json = boost::json;
using namespace depot::testing;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

Status subscribe_now(CarrierTracker& tracker, const TrackingAccount& account,
                     const TrackedParcel& parcel) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  tracker.subscribe(account, parcel, [&promise](Status status) { promise.set_value(status); });
  return future.get();
}

Result<TrackingReport> query_now(CarrierTracker& tracker, const TrackingAccount& account,
                                 const TrackedParcel& parcel) {
  std::promise<Result<TrackingReport>> promise;
  auto future = promise.get_future();
  tracker.query(account, parcel, [&promise](Result<TrackingReport> report) {
    promise.set_value(std::move(report));
  });
  return future.get();
}

// A port that was listening a moment ago and is closed now: connecting is refused at once.
std::string closed_url() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
}

// ---- subscribe ----

TEST(Kuaidi100Tracker, SubscribesWithTheFormKuaidi100Reads) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  Status status =
      subscribe_now(tracker, account_at(receiver.url()), parcel("zhongtong", "73100054187651"));
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_TRUE(receiver.problems().empty()) << receiver.problems().front();

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/poll");
  EXPECT_EQ(requests[0].headers["content-type"], "application/x-www-form-urlencoded");
  auto fields = form_fields(requests[0].body);
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields["schema"], "json");
  json::object param = json::parse(fields["param"]).as_object();
  EXPECT_EQ(param.at("company"), "zhongtong");
  EXPECT_EQ(param.at("number"), "73100054187651");
  EXPECT_EQ(param.at("key"), kKey);
  const json::object& parameters = param.at("parameters").as_object();
  EXPECT_EQ(parameters.at("callbackurl"), kCallback);
  EXPECT_EQ(parameters.at("salt"), kSalt);
  EXPECT_EQ(parameters.at("resultv2"), "1");
  EXPECT_FALSE(parameters.contains("phone"));
}

TEST(Kuaidi100Tracker, SendsThePhoneWhenThereIsOne) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  ASSERT_TRUE(subscribe_now(tracker, account_at(receiver.url() + "/"),
                            parcel("shunfeng", "SF1402938475610", "13812345678"))
                  .ok());
  auto params = receiver.params();
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].at("parameters").as_object().at("phone"), "13812345678");
  // A trailing slash on the configured URL does not make the path "//poll".
  EXPECT_EQ(receiver.requests()[0].target, "/poll");
}

TEST(Kuaidi100Tracker, ARepeatedSubscriptionStands) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  auto account = account_at(receiver.url());
  ASSERT_TRUE(subscribe_now(tracker, account, parcel("yuantong", "YT7520386201839")).ok());
  Status again = subscribe_now(tracker, account, parcel("yuantong", "YT7520386201839"));
  EXPECT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(receiver.count(), 2u);
}

TEST(Kuaidi100Tracker, ARefusedSubscriptionIsInvalidWithTheAggregatorsWords) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);

  TrackingAccount wrong_key = account_at(receiver.url());
  wrong_key.key = "not-the-key";
  Status refused = subscribe_now(tracker, wrong_key, parcel("zhongtong", "73100054187651"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  EXPECT_NE(refused.error().message.find("600"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("您不是合法的订阅者"), std::string::npos);

  Status unknown_carrier =
      subscribe_now(tracker, account_at(receiver.url()), parcel("nosuchcarrier", "1234567890"));
  ASSERT_FALSE(unknown_carrier.ok());
  EXPECT_EQ(unknown_carrier.error().code, ErrorCode::invalid);
  EXPECT_NE(unknown_carrier.error().message.find("700"), std::string::npos);
}

TEST(Kuaidi100Tracker, ServerErrorsAreWorthRetrying) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  auto account = account_at(receiver.url());
  const std::vector<ReceiverAnswer> answers = {
      http_answer(200, R"({"result":false,"returnCode":"500","message":"服务器错误"})"),
      http_answer(200, R"({"result":false,"returnCode":"502","message":"服务器繁忙"})"),
      http_answer(503, "<html>Service Unavailable</html>", "text/html"),
      http_answer(502, "Bad Gateway", "text/plain"),
      http_answer(200, "<html>maintenance</html>", "text/html"),
  };
  for (const ReceiverAnswer& answer : answers) {
    receiver.answer_next(answer);
    Status status = subscribe_now(tracker, account, parcel("zhongtong", "73100054187651"));
    ASSERT_FALSE(status.ok()) << answer.body;
    EXPECT_EQ(status.error().code, ErrorCode::unavailable) << answer.body;
  }
  // After all that the number was never taken, so the real answer comes now.
  EXPECT_TRUE(subscribe_now(tracker, account, parcel("zhongtong", "73100054187651")).ok());
}

TEST(Kuaidi100Tracker, AnAggregatorThatIsDownOrSlowIsUnavailable) {
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop,
                           {.connect_timeout = milliseconds(200), .timeout = milliseconds(300)});
  Status down = subscribe_now(tracker, account_at(closed_url()), parcel("zhongtong", "7310005418"));
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.error().code, ErrorCode::unavailable);

  Kuaidi100Receiver receiver(kKey, kCustomer);
  receiver.answer_next(http_answer(200,
                                   R"({"result":true,"returnCode":"200","message":"提交成功"})",
                                   "application/json", milliseconds(5000)));
  auto started = steady_clock::now();
  Status slow = subscribe_now(tracker, account_at(receiver.url()), parcel("zhongtong", "7310005"));
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code, ErrorCode::unavailable);
  EXPECT_LT(steady_clock::now() - started, milliseconds(3000));
}

TEST(Kuaidi100Tracker, AnIncompleteAccountIsRefusedWithoutSending) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  TrackingAccount no_salt = account_at(receiver.url());
  no_salt.salt.clear();
  Status refused = subscribe_now(tracker, no_salt, parcel("zhongtong", "73100054187651"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "salt");

  TrackedParcel no_callback = parcel("zhongtong", "73100054187651");
  no_callback.callback_url = "depot.example/push";
  Status bad = subscribe_now(tracker, account_at("ftp://127.0.0.1"), no_callback);
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> named;
  for (const FieldError& field : bad.error().fields) named.push_back(field.field);
  EXPECT_EQ(named, (std::vector<std::string>{"url", "callback_url"}));
  EXPECT_EQ(receiver.count(), 0u);
}

// ---- query ----

TEST(Kuaidi100Tracker, QueriesWithASignKuaidi100Accepts) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  receiver.add_parcel("zhongtong", "73100054187651",
                      {{"state", "5"},
                       {"ischeck", "0"},
                       {"data", json::array{kOutForDelivery, kMoving, kCollected}}});
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  auto report =
      query_now(tracker, account_at(receiver.url()), parcel("zhongtong", "73100054187651"));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(receiver.problems().empty()) << receiver.problems().front();

  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/poll/query.do");
  EXPECT_EQ(requests[0].headers["content-type"], "application/x-www-form-urlencoded");
  auto fields = form_fields(requests[0].body);
  EXPECT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields["customer"], kCustomer);
  EXPECT_EQ(fields["sign"], upper_md5(fields["param"] + kKey + kCustomer));
  json::object param = json::parse(fields["param"]).as_object();
  EXPECT_EQ(param.at("com"), "zhongtong");
  EXPECT_EQ(param.at("num"), "73100054187651");
  EXPECT_EQ(param.at("resultv2"), "1");
  EXPECT_FALSE(param.contains("phone"));

  EXPECT_EQ(report->company, "zhongtong");
  EXPECT_EQ(report->number, "73100054187651");
  EXPECT_EQ(report->state, 5);
  EXPECT_FALSE(report->signed_for);
  EXPECT_FALSE(report->aborted);
  ASSERT_EQ(report->checkpoints.size(), 3u);
  const Checkpoint& newest = report->checkpoints[0];
  EXPECT_EQ(newest.status, ParcelStatus::out_for_delivery);
  EXPECT_EQ(newest.text, "【杭州市】快件已在【杭州西湖】派件");
  EXPECT_EQ(newest.location, "浙江,杭州市,西湖区");
  EXPECT_EQ(newest.raw_state, "5");
  EXPECT_EQ(to_millis(newest.at), 1714629909000);  // 2024-05-02 14:05:09 in China
  EXPECT_EQ(report->checkpoints[1].status, ParcelStatus::in_transit);
  EXPECT_EQ(report->checkpoints[1].location, "");
  EXPECT_EQ(report->checkpoints[2].status, ParcelStatus::info_received);
  EXPECT_EQ(to_millis(report->checkpoints[2].at), 1714493400000);  // 2024-05-01 00:10 in China
  EXPECT_EQ(parcel_status(report->checkpoints), ParcelStatus::out_for_delivery);
}

TEST(Kuaidi100Tracker, QueriesSfWithThePhone) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  receiver.add_parcel("shunfeng", "SF1402938475610",
                      {{"state", "3"}, {"ischeck", "1"}, {"data", json::array{kSigned}}});
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  auto account = account_at(receiver.url());
  auto without = query_now(tracker, account, parcel("shunfeng", "SF1402938475610"));
  ASSERT_FALSE(without.ok());
  EXPECT_EQ(without.error().code, ErrorCode::invalid);
  EXPECT_NE(without.error().message.find("408"), std::string::npos);

  auto report = query_now(tracker, account, parcel("shunfeng", "SF1402938475610", "5678"));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(receiver.params().back().at("phone"), "5678");
  EXPECT_TRUE(report->signed_for);
  ASSERT_EQ(report->checkpoints.size(), 1u);
  EXPECT_EQ(report->checkpoints[0].status, ParcelStatus::delivered);
}

TEST(Kuaidi100Tracker, ANumberWithoutNewsIsNotFound) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  auto report =
      query_now(tracker, account_at(receiver.url()), parcel("yuantong", "YT7520386201839"));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::not_found);
  EXPECT_NE(report.error().message.find("查询无结果"), std::string::npos);
}

TEST(Kuaidi100Tracker, AQueryTheAggregatorCannotVerifyIsInvalid) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  TrackingAccount wrong_customer = account_at(receiver.url());
  wrong_customer.customer = "0000";
  auto refused = query_now(tracker, wrong_customer, parcel("zhongtong", "73100054187651"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  EXPECT_NE(refused.error().message.find("503"), std::string::npos);

  auto unknown = query_now(tracker, account_at(receiver.url()), parcel("nosuchcarrier", "12345"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::invalid);
  EXPECT_NE(unknown.error().message.find("400"), std::string::npos);

  TrackingAccount no_customer = account_at(receiver.url());
  no_customer.customer.clear();
  auto incomplete = query_now(tracker, no_customer, parcel("zhongtong", "73100054187651"));
  ASSERT_FALSE(incomplete.ok());
  EXPECT_EQ(incomplete.error().fields.at(0).field, "customer");
  EXPECT_EQ(receiver.count(), 2u);
}

TEST(Kuaidi100Tracker, ABusyAggregatorIsUnavailableForQueries) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  auto account = account_at(receiver.url());
  receiver.answer_next(
      http_answer(200, R"({"result":false,"returnCode":"502","message":"服务器繁忙"})"));
  receiver.answer_next(
      http_answer(200, R"({"result":false,"returnCode":"501","message":"服务器错误"})"));
  receiver.answer_next(http_answer(500, "Internal Server Error", "text/plain"));
  for (int i = 0; i < 3; ++i) {
    auto report = query_now(tracker, account, parcel("zhongtong", "73100054187651"));
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.error().code, ErrorCode::unavailable) << report.error().message;
  }
}

TEST(Kuaidi100Tracker, ReadsFinerCodesAndTheCarriersEstimate) {
  Kuaidi100Receiver receiver(kKey, kCustomer);
  json::object locker = kOutForDelivery;
  locker["statusCode"] = "501";
  json::object signed_at_locker = kSigned;
  signed_at_locker["statusCode"] = "304";
  json::object unknown_code = kMoving;
  unknown_code["statusCode"] = "9999";
  receiver.add_parcel("zhongtong", "73100054187651",
                      {{"state", "304"},
                       {"ischeck", "1"},
                       {"arrivalTime", "2024-05-03 12"},
                       {"data", json::array{signed_at_locker, locker, unknown_code}}});
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  auto report =
      query_now(tracker, account_at(receiver.url()), parcel("zhongtong", "73100054187651"));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->state, 304);
  ASSERT_EQ(report->checkpoints.size(), 3u);
  EXPECT_EQ(report->checkpoints[0].status, ParcelStatus::delivered);
  EXPECT_EQ(report->checkpoints[0].raw_state, "304");
  EXPECT_EQ(report->checkpoints[1].status, ParcelStatus::out_for_delivery);
  EXPECT_EQ(report->checkpoints[1].raw_state, "501");
  // A code the table does not know gives way to the checkpoint's state name.
  EXPECT_EQ(report->checkpoints[2].status, ParcelStatus::in_transit);
  EXPECT_EQ(report->checkpoints[2].raw_state, "0");
  ASSERT_TRUE(report->eta.has_value());
  EXPECT_EQ(to_millis(*report->eta), 1714708800000);  // 2024-05-03 12:00 in China
}

}  // namespace
}  // namespace depot::carriers
