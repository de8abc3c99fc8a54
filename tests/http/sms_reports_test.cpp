#include "http/sms_reports.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace depot::http {
namespace {

TEST(SmsReports, ReadsAliyunsReportArray) {
  auto reports = parse_sms_reports(
      R"([{"phone_number":"1381111****","send_time":"2017-01-01 11:12:13",)"
      R"("report_time":"2017-01-01 11:12:14","success":true,"err_code":"DELIVERED",)"
      R"("err_msg":"用户接收成功","sms_size":"1","biz_id":"12345","out_id":"67890"},)"
      R"({"phone_number":"1390000****","success":false,"err_code":"MK:0001","err_msg":"空号",)"
      R"("biz_id":12346,"out_id":"67891"}])");
  ASSERT_TRUE(reports.ok()) << reports.error().message;
  ASSERT_EQ(reports->size(), 2u);
  const SmsReport& delivered = (*reports)[0];
  EXPECT_EQ(delivered.out_id, "67890");
  EXPECT_EQ(delivered.biz_id, "12345");
  EXPECT_EQ(delivered.phone, "1381111****");
  EXPECT_TRUE(delivered.success);
  EXPECT_EQ(delivered.err_code, "DELIVERED");
  EXPECT_EQ(delivered.err_msg, "用户接收成功");
  EXPECT_EQ(delivered.report_time, "2017-01-01 11:12:14");
  EXPECT_FALSE((*reports)[1].success);
  EXPECT_EQ((*reports)[1].biz_id, "12346");
  EXPECT_EQ((*reports)[1].err_code, "MK:0001");
  EXPECT_EQ((*reports)[1].report_time, "");

  auto none = parse_sms_reports("[]");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(SmsReports, NamesTheFieldAtFault) {
  auto field_of = [](std::string_view body) {
    auto reports = parse_sms_reports(body);
    EXPECT_FALSE(reports.ok()) << body;
    if (reports.ok()) return std::string();
    EXPECT_EQ(reports.error().code, ErrorCode::invalid);
    return reports.error().fields.empty() ? std::string() : reports.error().fields.front().field;
  };
  EXPECT_EQ(field_of(R"({"out_id":"1"})"), "body");
  EXPECT_EQ(field_of("not json"), "body");
  EXPECT_EQ(field_of("[1]"), "[0]");
  EXPECT_EQ(field_of(R"([{"biz_id":"1","success":true}])"), "[0].out_id");
  EXPECT_EQ(field_of(R"([{"biz_id":"1","out_id":"","success":true}])"), "[0].out_id");
  EXPECT_EQ(field_of(R"([{"biz_id":"1","out_id":"2","success":"true"}])"), "[0].success");
  EXPECT_EQ(
      field_of(R"([{"biz_id":"1","out_id":"2","success":true},{"out_id":"3","success":true}])"),
      "[1].biz_id");
  EXPECT_EQ(field_of(R"([{"biz_id":"1","out_id":"2","success":true,"err_msg":{}}])"),
            "[0].err_msg");
}

TEST(SmsReports, AnswersAliyunTheWayItExpects) {
  boost::json::value answer = boost::json::parse(kSmsReportAnswer);
  EXPECT_EQ(answer.at("code").as_int64(), 0);
  EXPECT_EQ(answer.at("msg").as_string(), "成功");
}

}  // namespace
}  // namespace depot::http
