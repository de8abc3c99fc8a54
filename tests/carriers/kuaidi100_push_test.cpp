#include "carriers/kuaidi100/kuaidi100_tracker.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "carriers/kuaidi100_receiver.h"
#include "carriers/kuaidi100_samples.h"
#include "domain/tracking.h"

// Pushes to the callback URL: the sign checked against the salt, the param read into a report.

namespace depot::carriers {
namespace {

namespace json = boost::json;
using namespace depot::testing;

TEST(Kuaidi100Tracker, ASignedPushOfState5Then3IsOutForDeliveryThenDelivered) {
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  TrackingAccount account = account_at("http://127.0.0.1:9");

  std::string first = push_param("polling", "5", "0", {kOutForDelivery, kMoving, kCollected});
  auto out = tracker.read_push(account, first, upper_md5(first + kSalt));
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->state, 5);
  EXPECT_FALSE(out->signed_for);
  EXPECT_EQ(out->company, "zhongtong");
  EXPECT_EQ(out->number, "73100054187651");
  EXPECT_EQ(parcel_status(out->checkpoints), ParcelStatus::out_for_delivery);

  std::string second =
      push_param("shutdown", "3", "1", {kSigned, kOutForDelivery, kMoving, kCollected});
  auto delivered = tracker.read_push(account, second, upper_md5(second + kSalt));
  ASSERT_TRUE(delivered.ok()) << delivered.error().message;
  EXPECT_EQ(delivered->state, 3);
  EXPECT_TRUE(delivered->signed_for);
  EXPECT_FALSE(delivered->aborted);
  ASSERT_EQ(delivered->checkpoints.size(), 4u);
  EXPECT_EQ(delivered->checkpoints[0].status, ParcelStatus::delivered);
  EXPECT_EQ(delivered->checkpoints[0].text, "【杭州市】已签收，签收人：本人");
  EXPECT_EQ(to_millis(delivered->checkpoints[0].at), 1714646400000);  // 2024-05-02 18:40 China
  EXPECT_EQ(delivered->checkpoints[1].status, ParcelStatus::out_for_delivery);
  EXPECT_EQ(parcel_status(delivered->checkpoints), ParcelStatus::delivered);
}

TEST(Kuaidi100Tracker, CheckpointsWithoutAStateTakeTheParcels) {
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  json::object bare = kOutForDelivery;
  bare.erase("status");
  std::string param = push_param("polling", "5", "0", {bare});
  auto report =
      tracker.read_push(account_at("http://127.0.0.1:9"), param, upper_md5(param + kSalt));
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->checkpoints.size(), 1u);
  EXPECT_EQ(report->checkpoints[0].status, ParcelStatus::out_for_delivery);
  EXPECT_EQ(report->checkpoints[0].raw_state, "5");
}

TEST(Kuaidi100Tracker, APushWithAWrongSignIsRefused) {
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  TrackingAccount account = account_at("http://127.0.0.1:9");
  std::string param = push_param("polling", "3", "1", {kSigned});
  std::string tampered = push_param("polling", "6", "0", {kSigned});
  const std::vector<std::pair<std::string, std::string>> forgeries = {
      {param, upper_md5(param + "another-salt")},
      {tampered, upper_md5(param + kSalt)},
      {param, ""},
      {param, upper_md5(param + kSalt) + "00"},
      {param, upper_md5(param)},
  };
  for (const auto& [body, sign] : forgeries) {
    auto report = tracker.read_push(account, body, sign);
    ASSERT_FALSE(report.ok()) << sign;
    EXPECT_EQ(report.error().code, ErrorCode::unauthenticated) << sign;
  }
  // Without a salt nothing can be authenticated, not even a push signed with the empty one.
  TrackingAccount no_salt = account;
  no_salt.salt.clear();
  auto unsalted = tracker.read_push(no_salt, param, upper_md5(param));
  ASSERT_FALSE(unsalted.ok());
  EXPECT_EQ(unsalted.error().code, ErrorCode::unauthenticated);

  std::string lower = upper_md5(param + kSalt);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_TRUE(tracker.read_push(account, param, lower).ok());
}

TEST(Kuaidi100Tracker, APushThatCannotBeReadIsInvalidNamingTheField) {
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  TrackingAccount account = account_at("http://127.0.0.1:9");
  auto field_of = [&](const std::string& param) {
    auto report = tracker.read_push(account, param, upper_md5(param + kSalt));
    EXPECT_FALSE(report.ok()) << param;
    if (report.ok()) return std::string();
    EXPECT_EQ(report.error().code, ErrorCode::invalid);
    return report.error().fields.at(0).field;
  };
  EXPECT_EQ(field_of("{\"status\":\"polling\",\"lastResult\":"), "param");
  EXPECT_EQ(field_of("[1,2,3]"), "param");
  EXPECT_EQ(field_of(R"({"status":"polling","message":""})"), "param.lastResult");
  json::object bad_time = kMoving;
  bad_time["ftime"] = "2024-02-30 08:30:00";
  EXPECT_EQ(field_of(push_param("polling", "0", "0", {kOutForDelivery, bad_time})),
            "param.lastResult.data[1].ftime");
  EXPECT_EQ(field_of(push_param("polling", "zero", "0", {})), "param.lastResult.state");
  std::string not_array = push_param("polling", "0", "0", {});
  not_array.replace(not_array.find("\"data\":[]"), 9, "\"data\":{}");
  EXPECT_EQ(field_of(not_array), "param.lastResult.data");
}

TEST(Kuaidi100Tracker, AnAbortIsReportedWithItsReason) {
  net::CurlLoop loop;
  Kuaidi100Tracker tracker(loop);
  std::string param = push_param("abort", "0", "0", {}, "3天查询无记录");
  auto report =
      tracker.read_push(account_at("http://127.0.0.1:9"), param, upper_md5(param + kSalt));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->aborted);
  EXPECT_EQ(report->message, "3天查询无记录");
  EXPECT_TRUE(report->checkpoints.empty());

  std::string polling = push_param("polling", "0", "0", {kMoving});
  auto following =
      tracker.read_push(account_at("http://127.0.0.1:9"), polling, upper_md5(polling + kSalt));
  ASSERT_TRUE(following.ok());
  EXPECT_FALSE(following->aborted);
}

}  // namespace
}  // namespace depot::carriers
