#include "carriers/kuaidi100/kuaidi100_messages.h"
#include "carriers/kuaidi100/kuaidi100_wire.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "carriers/kuaidi100_receiver.h"

namespace depot::carriers::kuaidi100 {
namespace {

TEST(Kuaidi100Messages, SignsWithUpperCaseHexMd5) {
  EXPECT_EQ(md5_upper_hex("abc"), "900150983CD24FB0D6963F7D28E17F72");
  EXPECT_EQ(md5_upper_hex(""), "D41D8CD98F00B204E9800998ECF8427E");
  std::string param = R"({"com":"yuantong","num":"YT7520386201839","resultv2":"1"})";
  EXPECT_EQ(md5_upper_hex(param + "key" + "customer"),
            depot::testing::upper_md5(param + "keycustomer"));
}

TEST(Kuaidi100Messages, EncodesFormFieldsSoTheyDecodeBack) {
  std::string param = R"({"callbackurl":"http://d.example/p?a=1&b=2","context":"已签收 +"})";
  std::string body = form_body({{"schema", "json"}, {"param", param}});
  EXPECT_EQ(body.find(' '), std::string::npos);
  EXPECT_EQ(body.find('&'), body.find("&param="));
  auto fields = depot::testing::form_fields(body);
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields["schema"], "json");
  EXPECT_EQ(fields["param"], param);
}

TEST(Kuaidi100Messages, ChinaTimeIsEightHoursAheadOfUtc) {
  // 2024-05-01 08:30:00 in China is 2024-05-01 00:30:00 UTC.
  EXPECT_EQ(china_time("2024-05-01 08:30:00"), from_millis(1714523400000));
  // Just after midnight in China is still the day before in UTC.
  EXPECT_EQ(china_time("2024-03-01 00:00:00"), from_millis(1709222400000));
  EXPECT_EQ(china_time("2024-02-29 23:59:59"), from_millis(1709222399000));
  // Estimates come shortened to the minute, the hour or the day.
  EXPECT_EQ(china_time("2024-05-01 08:30"), from_millis(1714523400000));
  EXPECT_EQ(china_time("2024-05-01 08"), from_millis(1714521600000));
  EXPECT_EQ(china_time("2024-05-01"), from_millis(1714492800000));
}

TEST(Kuaidi100Messages, RefusesTimesThatAreNotOnTheCalendarOrClock) {
  for (const char* text : {"", "2023-02-29 10:00:00", "2024-13-01 10:00:00", "2024-05-01 24:00:00",
                           "2024-05-01 10:60:00", "2024-05-01 10:00:60", "2024/05/01 10:00:00",
                           "2024-05-01T10:00:00", "2024-05-01 10:00:0", "2024-05-01 1:00:00",
                           "2024-05-01 10:00:00Z", "२०२४-05-01", "20240501 10:00:00"}) {
    EXPECT_EQ(china_time(text), std::nullopt) << text;
  }
}

TEST(Kuaidi100Messages, ReadsANumberWrittenAsANumber) {
  auto report = read_query_answer(
      R"({"message":"ok","status":200,"state":3,"ischeck":1,"com":"ems","nu":"EA1","data":[]})");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->state, 3);
  EXPECT_TRUE(report->signed_for);
}

TEST(Kuaidi100Messages, SubscriptionAnswersMapToOutcomes) {
  EXPECT_TRUE(
      read_subscribe_answer(R"({"result":true,"returnCode":"200","message":"提交成功"})").ok());
  EXPECT_TRUE(
      read_subscribe_answer(R"({"result":false,"returnCode":"501","message":"重复订阅"})").ok());
  for (const char* code : {"600", "601", "700", "701", "702"}) {
    std::string body =
        std::string(R"({"result":false,"returnCode":")") + code + R"(","message":"x"})";
    Status status = read_subscribe_answer(body);
    ASSERT_FALSE(status.ok()) << code;
    EXPECT_EQ(status.error().code, ErrorCode::invalid) << code;
  }
  for (const char* body :
       {R"({"result":false,"returnCode":"500","message":"服务器错误"})",
        R"({"result":false,"returnCode":"503","message":"x"})", "not json", "[]"}) {
    Status status = read_subscribe_answer(body);
    ASSERT_FALSE(status.ok()) << body;
    EXPECT_EQ(status.error().code, ErrorCode::unavailable) << body;
  }
}

}  // namespace
}  // namespace depot::carriers::kuaidi100
