#pragma once
// Aliyun SMS delivery reports (短信发送状态报告, "SmsReport"): Aliyun POSTs a JSON array of them to
// the callback URL the merchant registered, one object per message that reached a final state:
//   [{"phone_number":"1381111****","send_time":"2017-01-01 11:12:13",
//     "report_time":"2017-01-01 11:12:14","success":true,"err_code":"DELIVERED",
//     "err_msg":"用户接收成功","sms_size":"1","biz_id":"12345","out_id":"67890"}]
// `out_id` is the OutId SendSms was given (the delivery's key), `biz_id` the BizId it answered.
// Aliyun retries a callback until it is answered with kSmsReportAnswer.
//
// Pure functions; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace depot::http {

struct SmsReport {
  std::string out_id;
  std::string biz_id;
  std::string phone;  // as Aliyun shows it, often masked
  bool success = false;
  std::string err_code;  // "DELIVERED" on success, the operator's code otherwise
  std::string err_msg;
  std::string report_time;  // "2017-01-01 11:12:14", China time, as Aliyun writes it
};

// The answer Aliyun expects once the reports are taken.
inline constexpr std::string_view kSmsReportAnswer = R"({"code":0,"msg":"成功"})";

// Reads a callback body. An `invalid` error names each field at fault ("[0].out_id") when the
// body is not an array of report objects with a boolean `success` and text `out_id`/`biz_id`.
Result<std::vector<SmsReport>> parse_sms_reports(std::string_view body);

}  // namespace depot::http
