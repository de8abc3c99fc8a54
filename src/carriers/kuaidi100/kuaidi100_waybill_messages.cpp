#include "carriers/kuaidi100/kuaidi100_waybill_messages.h"

#include <boost/json.hpp>

#include <array>
#include <cstdio>
#include <utility>

#include "carriers/kuaidi100/kuaidi100_wire.h"
#include "net/encoding.h"

namespace depot::carriers::kuaidi100 {
namespace {

namespace json = boost::json;

// The fields of a carrier account that say whose account it is, which a cancellation repeats.
constexpr std::array<std::string_view, 8> kIdentityFields = {
    "partnerId", "partnerKey", "partnerSecret", "partnerName", "net", "code", "checkMan", "tbNet",
};

json::object party(const WaybillParty& who) {
  return {{"name", who.name}, {"mobile", who.mobile}, {"printAddr", who.print_addr}};
}

// Kilograms as Kuaidi100's clients write them, "0.5" (boost::json would write a double "5E-1"),
// to the gram.
std::string kilograms(double weight) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", weight);
  std::string out(text);
  while (out.ends_with('0')) out.pop_back();
  if (out.ends_with('.')) out.pop_back();
  return out;
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code parse_error;
  json::value value = json::parse(text, parse_error);
  if (parse_error || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

bool is_http_link(std::string_view text) {
  return text.starts_with("http://") || text.starts_with("https://");
}

// Bytes given inline: plain base64, or a data: URL holding base64 ("data:image/png;base64,…").
std::optional<std::string> inline_bytes(std::string_view text) {
  if (text.starts_with("data:")) {
    std::size_t comma = text.find(',');
    if (comma == std::string_view::npos || !text.substr(0, comma).ends_with(";base64")) {
      return std::nullopt;
    }
    text.remove_prefix(comma + 1);
  }
  return net::base64_decode(text);
}

// The verdict of an answer's success/code/message; the answer itself when it is a success.
Result<json::object> read_verdict(std::string_view body) {
  std::optional<json::object> answer = parse_object(body);
  if (!answer || (!answer->contains("success") && !answer->contains("code"))) {
    return error(ErrorCode::unavailable,
                 "the aggregator's answer is not Kuaidi100's: " + std::string(body.substr(0, 200)));
  }
  std::string code = text_field(*answer, "code");
  std::string message = text_field(*answer, "message");
  const json::value* success = answer->if_contains("success");
  bool succeeded = success != nullptr && success->is_bool() ? success->get_bool() : code == "200";
  if (succeeded) return std::move(*answer);
  bool retryable = code == "429" || (code.size() == 3 && code.front() == '5');
  std::string what = "Kuaidi100 refused (code " + (code.empty() ? "none" : code) +
                     "): " + (message.empty() ? "no reason given" : message);
  return error(retryable ? ErrorCode::unavailable : ErrorCode::invalid, std::move(what));
}

}  // namespace

std::string order_param(const WaybillRequest& request) {
  json::object param;
  for (const auto& [name, value] : request.carrier_account) {
    if (!is_waybill_parcel_field(name)) param[name] = value;
  }
  param["kuaidicom"] = request.company;
  param["recMan"] = party(request.recipient);
  param["sendMan"] = party(request.sender);
  param["cargo"] = request.cargo;
  param["count"] = request.count;
  if (request.weight_kg > 0) param["weight"] = kilograms(request.weight_kg);
  param["orderId"] = request.parcel_key;
  if (!param.contains("expType")) param["expType"] = "标准快递";
  if (!param.contains("printType")) param["printType"] = "IMAGE";
  if (!param.contains("payType")) param["payType"] = "SHIPPER";
  if (!request.callback_url.empty()) {
    param["needSubscribe"] = true;
    param["pollCallBackUrl"] = request.callback_url;
    param["resultv2"] = "1";
  }
  return json::serialize(param);
}

std::string cancel_param(const WaybillCancel& request) {
  json::object param;
  for (std::string_view name : kIdentityFields) {
    auto found = request.carrier_account.find(std::string(name));
    if (found != request.carrier_account.end()) param[name] = found->second;
  }
  param["kuaidicom"] = request.company;
  param["kuaidinum"] = request.tracking_no;
  if (!request.provider_order_no.empty()) param["orderId"] = request.provider_order_no;
  param["reason"] = request.reason;
  return json::serialize(param);
}

std::string signed_form(std::string_view param, std::string_view key, std::string_view secret,
                        std::int64_t t_millis) {
  std::string t = std::to_string(t_millis);
  std::string signed_text = std::string(param) + t + std::string(key) + std::string(secret);
  std::string sign = md5_upper_hex(signed_text);
  return form_body({{"param", param}, {"key", key}, {"t", t}, {"sign", sign}});
}

Result<OrderAnswer> read_order_answer(std::string_view body) {
  Result<json::object> answer = read_verdict(body);
  if (!answer.ok()) return answer.error();
  const json::value* data_value = answer->if_contains("data");
  const json::object* data = data_value != nullptr ? data_value->if_object() : nullptr;
  OrderAnswer read;
  if (data != nullptr) {
    read.tracking_no = text_field(*data, "kuaidinum");
    read.provider_order_no = text_field(*data, "kdComOrderNum");
  }
  if (read.tracking_no.empty()) {
    return error(ErrorCode::unavailable,
                 "Kuaidi100 answered success without a tracking number (kuaidinum)");
  }
  std::string image = text_field(*data, "imgBase64");
  std::string label = text_field(*data, "label");
  if (!image.empty()) {
    read.label_bytes = inline_bytes(image).value_or("");
  } else if (is_http_link(label)) {
    read.label_url = std::move(label);
  } else if (!label.empty()) {
    read.label_bytes = inline_bytes(label).value_or("");
  }
  return read;
}

Status read_cancel_answer(std::string_view body) {
  Result<json::object> answer = read_verdict(body);
  if (!answer.ok()) return answer.error();
  return Status();
}

std::optional<WaybillLabel> label_of(std::string bytes) {
  static constexpr std::string_view kPng = "\x89PNG\r\n\x1a\n";
  static constexpr std::string_view kPdf = "%PDF-";
  if (bytes.starts_with(kPng)) return WaybillLabel{"png", std::move(bytes)};
  if (bytes.starts_with(kPdf)) return WaybillLabel{"pdf", std::move(bytes)};
  return std::nullopt;
}

}  // namespace depot::carriers::kuaidi100
