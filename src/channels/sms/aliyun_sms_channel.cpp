#include "channels/sms/aliyun_sms_channel.h"

#include <openssl/rand.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "channels/sms/aliyun_signature.h"

namespace depot::channels {
namespace {

constexpr std::size_t kLongestResponse = 300;

// Codes that say "not now" rather than "not this request".
bool is_temporary_code(std::string_view code) {
  static constexpr std::string_view kTemporary[] = {
      "isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isv.SYSTEM_ERROR",
      "isv.OUT_OF_SERVICE",         "isv.AMOUNT_NOT_ENOUGH", "SignatureNonceUsed",
      "InvalidTimeStamp.Expired",   "ServiceUnavailable",    "InternalError"};
  return code.starts_with("Throttling") || code.starts_with("isp.") ||
         std::find(std::begin(kTemporary), std::end(kTemporary), code) != std::end(kTemporary);
}

// At most kLongestResponse bytes, never ending inside a UTF-8 character.
std::string shortened(std::string_view text) {
  if (text.size() <= kLongestResponse) return std::string(text);
  std::size_t cut = kLongestResponse;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::string text_field(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr) return {};
  if (const auto* text = value->if_string()) return std::string(*text);
  if (value->is_int64()) return std::to_string(value->get_int64());
  return {};
}

std::optional<std::chrono::milliseconds> retry_after_header(const net::HttpResponse& response) {
  auto found = response.headers.find("retry-after");
  if (found == response.headers.end()) return std::nullopt;
  const std::string& value = found->second;
  if (value.empty() || value.size() > 9 ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::stol(value));
}

std::string utc_timestamp(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// A random (version 4) UUID: Aliyun refuses a SignatureNonce it has seen before.
std::string random_uuid() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

}  // namespace

SendOutcome read_send_sms_answer(const net::HttpResponse& response) {
  SendOutcome outcome;
  if (response.error != CURLE_OK) {
    outcome.kind = SendOutcome::Kind::retry_later;
    outcome.response = "no answer: " + response.error_text;
    return outcome;
  }
  outcome.response = "HTTP " + std::to_string(response.status) + " " + shortened(response.body);
  outcome.retry_after = retry_after_header(response);

  boost::system::error_code parse_error;
  boost::json::value json = boost::json::parse(response.body, parse_error);
  const boost::json::object* answer = parse_error ? nullptr : json.if_object();
  std::string code = answer != nullptr ? text_field(*answer, "Code") : std::string();
  if (code.empty()) {
    bool temporary = response.status >= 500 || response.status == 408 || response.status == 429 ||
                     (response.status >= 200 && response.status < 300);
    outcome.kind = temporary ? SendOutcome::Kind::retry_later : SendOutcome::Kind::permanent;
    return outcome;
  }
  if (code == "OK") {
    outcome.kind = SendOutcome::Kind::sent;
    outcome.provider_id = text_field(*answer, "BizId");
    return outcome;
  }
  outcome.kind = is_temporary_code(code) || response.status >= 500 ? SendOutcome::Kind::retry_later
                                                                   : SendOutcome::Kind::permanent;
  return outcome;
}

AliyunSmsChannel::AliyunSmsChannel(net::CurlLoop& loop, AliyunSmsOptions options)
    : loop_(loop), options_(options) {}

void AliyunSmsChannel::send(const ChannelAccount& account, const OutgoingMessage& message,
                            std::function<void(SendOutcome)> done) {
  for (const char* name : {"access_key_id", "access_key_secret", "sign_name"}) {
    if (account.setting(name).empty()) {
      done(SendOutcome::refused(std::string("the SMS account has no ") + name));
      return;
    }
  }
  auto template_code = account.templates.find(message.event);
  if (template_code == account.templates.end() || template_code->second.empty()) {
    done(SendOutcome::refused("the SMS account has no Aliyun template for " + message.event));
    return;
  }
  if (message.recipient.empty()) {
    done(SendOutcome::refused("the message has no phone number"));
    return;
  }
  std::string base = account.url.empty() ? kAliyunSmsDefaultUrl : account.url;
  if (!base.starts_with("http://") && !base.starts_with("https://")) {
    done(SendOutcome::refused("the SMS account's url must start with http:// or https://"));
    return;
  }
  while (base.ends_with('/')) base.pop_back();

  std::map<std::string, std::string> params;
  try {
    params["SignatureNonce"] = random_uuid();
  } catch (const std::exception& failure) {
    SendOutcome outcome;
    outcome.kind = SendOutcome::Kind::retry_later;
    outcome.response = failure.what();
    done(std::move(outcome));
    return;
  }
  params["Action"] = "SendSms";
  params["Version"] = "2017-05-25";
  params["Format"] = "JSON";
  std::string region = account.setting("region_id");
  params["RegionId"] = region.empty() ? "cn-hangzhou" : region;
  params["AccessKeyId"] = account.setting("access_key_id");
  params["SignatureMethod"] = "HMAC-SHA1";
  params["SignatureVersion"] = "1.0";
  params["Timestamp"] = utc_timestamp(std::chrono::system_clock::now());
  params["PhoneNumbers"] = message.recipient;
  params["SignName"] = account.setting("sign_name");
  params["TemplateCode"] = template_code->second;
  if (!message.variables.empty()) {
    boost::json::object variables;
    for (const auto& [name, value] : message.variables) variables[name] = value;
    params["TemplateParam"] = boost::json::serialize(variables);
  }
  params["OutId"] = message.key;

  std::string signature =
      aliyun_rpc_signature("POST", params, account.setting("access_key_secret"));
  net::HttpRequest request;
  request.method = "POST";
  request.url = base + "/";
  request.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  request.body = aliyun_canonical_query(params) + "&Signature=" + aliyun_percent_encode(signature);
  request.connect_timeout = options_.connect_timeout;
  request.timeout = options_.timeout;
  loop_.http(request, [done = std::move(done)](const net::HttpResponse& response) {
    done(read_send_sms_answer(response));
  });
}

}  // namespace depot::channels
