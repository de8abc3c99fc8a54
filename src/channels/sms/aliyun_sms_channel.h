#pragma once
// The Channel port spoken to Aliyun's SMS service (Dysmsapi, 短信服务), API version 2017-05-25,
// action SendSms, RPC style, through the shared CurlLoop so send() never waits on the network:
//   POST {url}/   (url defaults to https://dysmsapi.aliyuncs.com)
//   Content-Type: application/x-www-form-urlencoded
//   Action=SendSms&Version=2017-05-25&Format=JSON&RegionId={region_id or cn-hangzhou}
//   &AccessKeyId={access_key_id}&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0
//   &SignatureNonce={random UUID}&Timestamp={UTC, 2017-07-12T02:42:19Z}
//   &PhoneNumbers={recipient}&SignName={sign_name}&TemplateCode={templates[event]}
//   &TemplateParam={the message's variables as a JSON object, when it has any}&OutId={key}
//   &Signature={aliyun_rpc_signature("POST", the above, access_key_secret)}
// The template is Aliyun's (approved in its console): the message's own text is not sent.
//
// Answers: {"Code":"OK","BizId":…,"RequestId":…} → sent, provider_id = BizId (delivery reports
// carry it back, with OutId, see sms_reports.h). Any other Code:
//   Throttling*, isv.BUSINESS_LIMIT_CONTROL, isv.DAY_LIMIT_CONTROL (rate limits), isp.*,
//   isv.SYSTEM_ERROR, InternalError, ServiceUnavailable (Aliyun's own faults), isv.OUT_OF_SERVICE
//   and isv.AMOUNT_NOT_ENOUGH (the account ran out of balance: sends resume once it is topped up),
//   SignatureNonceUsed and InvalidTimeStamp.Expired (a fresh nonce and time fix them) → retry_later
//   anything else (isv.MOBILE_NUMBER_ILLEGAL, isv.INVALID_PARAMETERS, isv.SMS_TEMPLATE_ILLEGAL,
//   isv.SMS_SIGNATURE_ILLEGAL, isv.TEMPLATE_MISSING_PARAMETERS, isv.BLACK_KEY_CONTROL_LIMIT,
//   InvalidAccessKeyId.NotFound, SignatureDoesNotMatch, …): the same request cannot succeed
//                                                                           → permanent
// Without a Code: HTTP 5xx, 408, 429, an unreadable 2xx, or no answer at all → retry_later (with
// Retry-After when given); other statuses → permanent. No template for the event, or an account
// without access_key_id, access_key_secret or sign_name → permanent, nothing sent.
// `response` is the HTTP status and Aliyun's answer, shortened; it never holds the secret.
//
// Thread safety: send() may be called from any thread at once; `done` runs on the loop's thread
// (or on the caller's, before send() returns, for a message refused before it is sent).

#include <chrono>
#include <functional>

#include "app/channel.h"
#include "net/curl_loop.h"

namespace depot::channels {

inline constexpr const char* kAliyunSmsDefaultUrl = "https://dysmsapi.aliyuncs.com";

struct AliyunSmsOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
};

class AliyunSmsChannel final : public Channel {
 public:
  // `loop` must outlive the channel and every send in flight.
  explicit AliyunSmsChannel(net::CurlLoop& loop, AliyunSmsOptions options = {});

  void send(const ChannelAccount& account, const OutgoingMessage& message,
            std::function<void(SendOutcome)> done) override;

 private:
  net::CurlLoop& loop_;
  const AliyunSmsOptions options_;
};

// How Aliyun's answer to SendSms ends the send.
SendOutcome read_send_sms_answer(const net::HttpResponse& response);

}  // namespace depot::channels
