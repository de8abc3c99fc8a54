#include "carriers/kuaidi100/kuaidi100_messages.h"

#include <boost/json.hpp>

#include <charconv>
#include <chrono>
#include <string>
#include <vector>

#include "carriers/kuaidi100/kuaidi100_wire.h"
#include "domain/tracking.h"

namespace depot::carriers::kuaidi100 {
namespace {

namespace json = boost::json;

std::optional<int> to_int(std::string_view text) {
  int number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code parse_error;
  json::value value = json::parse(text, parse_error);
  if (parse_error || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

// The state names resultv2=1 puts on each checkpoint, as their main state codes.
std::optional<int> state_of_name(std::string_view name) {
  static constexpr std::pair<std::string_view, int> kNames[] = {
      {"在途", 0},    {"揽收", 1},    {"疑难", 2},      {"签收", 3},  {"退签", 4},
      {"派件", 5},    {"退回", 6},    {"转投", 7},      {"清关", 8},  {"待清关", 10},
      {"清关中", 11}, {"已清关", 12}, {"清关异常", 13}, {"拒签", 14},
  };
  for (const auto& [text, code] : kNames) {
    if (text == name) return code;
  }
  return std::nullopt;
}

// A digit run of exactly `width` characters at `at`.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t width) {
  if (at + width > text.size()) return std::nullopt;
  std::string_view part = text.substr(at, width);
  for (char c : part) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return to_int(part);
}

// A checkpoint's state: its own finer code (resultv2=4) when the table knows it, else the state
// its name stands for (resultv2=1), else the parcel's.
struct SettledState {
  ParcelStatus status = ParcelStatus::in_transit;
  std::string raw;
};

SettledState settle_state(const json::object& item, const std::optional<int>& parcel_state,
                          const std::string& parcel_raw) {
  std::string code = text_field(item, "statusCode");
  if (auto number = to_int(code)) {
    if (auto status = status_of_kuaidi100_state(*number)) return {*status, code};
  }
  if (auto named = state_of_name(text_field(item, "status"))) {
    if (auto status = status_of_kuaidi100_state(*named)) return {*status, std::to_string(*named)};
  }
  if (parcel_state) {
    if (auto status = status_of_kuaidi100_state(*parcel_state)) return {*status, parcel_raw};
  }
  // Nothing known: kept as moving, with whatever code came, so it can be mapped again later.
  return {ParcelStatus::in_transit, code.empty() ? parcel_raw : code};
}

// One result object (a query answer, or a push's lastResult); `path` prefixes the fields named in
// errors.
Result<TrackingReport> read_result(const json::object& result, const std::string& path) {
  TrackingReport report;
  report.company = text_field(result, "com");
  report.number = text_field(result, "nu");
  std::string state = text_field(result, "state");
  if (!state.empty()) {
    report.state = to_int(state);
    if (!report.state) return invalid_field(path + "state", "not a number: " + state);
  }
  report.signed_for = text_field(result, "ischeck") == "1";
  if (std::string arrival = text_field(result, "arrivalTime"); !arrival.empty()) {
    report.eta = china_time(arrival);
  }

  const json::value* data = result.if_contains("data");
  if (data == nullptr || data->is_null()) return report;
  const json::array* items = data->if_array();
  if (items == nullptr) return invalid_field(path + "data", "not an array");
  report.checkpoints.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string at = path + "data[" + std::to_string(i) + "]";
    const json::object* item = (*items)[i].if_object();
    if (item == nullptr) return invalid_field(at, "not an object");
    // `ftime` is the time formatted by Kuaidi100; `time` is the carrier's own, usually the same.
    std::string field = item->contains("ftime") ? "ftime" : "time";
    std::string when = text_field(*item, field);
    std::optional<Instant> instant = china_time(when);
    if (!instant) {
      return invalid_field(at + "." + field, "not a \"YYYY-MM-DD HH:MM:SS\" time: " + when);
    }
    SettledState settled = settle_state(*item, report.state, state);
    Checkpoint checkpoint;
    checkpoint.status = settled.status;
    checkpoint.raw_state = std::move(settled.raw);
    checkpoint.text = text_field(*item, "context");
    checkpoint.at = *instant;
    checkpoint.location = text_field(*item, "areaName");
    if (checkpoint.location.empty()) checkpoint.location = text_field(*item, "location");
    report.checkpoints.push_back(std::move(checkpoint));
  }
  return report;
}

std::string refusal_words(const json::object& answer, std::string_view what) {
  std::string message = text_field(answer, "message");
  std::string code = text_field(answer, "returnCode");
  std::string words = "the aggregator refused the " + std::string(what) + ": ";
  words += message.empty() ? "no reason given" : message;
  if (!code.empty()) words += " (returnCode " + code + ")";
  return words;
}

bool is_server_error(std::string_view code) { return code.size() == 3 && code.front() == '5'; }

}  // namespace

std::string subscribe_param(const TrackingAccount& account, const TrackedParcel& parcel) {
  json::object parameters;
  parameters["callbackurl"] = parcel.callback_url;
  parameters["salt"] = account.salt;
  parameters["resultv2"] = "1";
  if (!parcel.phone.empty()) parameters["phone"] = parcel.phone;
  json::object param;
  param["company"] = parcel.company;
  param["number"] = parcel.number;
  param["key"] = account.key;
  param["parameters"] = std::move(parameters);
  return json::serialize(param);
}

std::string query_param(const TrackedParcel& parcel) {
  json::object param;
  param["com"] = parcel.company;
  param["num"] = parcel.number;
  if (!parcel.phone.empty()) param["phone"] = parcel.phone;
  param["resultv2"] = "1";
  return json::serialize(param);
}

std::optional<Instant> china_time(std::string_view text) {
  using namespace std::chrono;
  if (text.size() != 10 && text.size() != 13 && text.size() != 16 && text.size() != 19) {
    return std::nullopt;
  }
  auto year_number = digits(text, 0, 4);
  auto month_number = digits(text, 5, 2);
  auto day_number = digits(text, 8, 2);
  if (!year_number || !month_number || !day_number || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  int parts[3] = {0, 0, 0};  // hour, minute, second
  for (std::size_t i = 0, at = 11; at < text.size(); ++i, at += 3) {
    if (text[at - 1] != (i == 0 ? ' ' : ':')) return std::nullopt;
    auto part = digits(text, at, 2);
    if (!part) return std::nullopt;
    parts[i] = *part;
  }
  year_month_day date{year{*year_number}, month{static_cast<unsigned>(*month_number)},
                      day{static_cast<unsigned>(*day_number)}};
  if (!date.ok() || parts[0] > 23 || parts[1] > 59 || parts[2] > 59) return std::nullopt;
  return time_point_cast<milliseconds>(sys_days{date} + hours{parts[0]} + minutes{parts[1]} +
                                       seconds{parts[2]} - hours{8});
}

Status read_subscribe_answer(std::string_view body) {
  std::optional<json::object> answer = parse_object(body);
  if (!answer) return error(ErrorCode::unavailable, "the aggregator's answer is not a JSON object");
  std::string code = text_field(*answer, "returnCode");
  // 501 is a number Kuaidi100 already follows for this key: the subscription stands.
  if (code == "200" || code == "501") return {};
  if (code.empty() && text_field(*answer, "result") == "true") return {};
  std::string words = refusal_words(*answer, "subscription");
  if (is_server_error(code)) return error(ErrorCode::unavailable, std::move(words));
  return error(ErrorCode::invalid, std::move(words));
}

Result<TrackingReport> read_query_answer(std::string_view body) {
  std::optional<json::object> answer = parse_object(body);
  if (!answer) return error(ErrorCode::unavailable, "the aggregator's answer is not a JSON object");
  std::string code = text_field(*answer, "returnCode");
  if (!code.empty() || text_field(*answer, "result") == "false") {
    std::string words = refusal_words(*answer, "query");
    if (code == "500") return error(ErrorCode::not_found, std::move(words));
    // 503 is a signature Kuaidi100 could not verify: the key or customer is wrong.
    if (code != "503" && is_server_error(code)) {
      return error(ErrorCode::unavailable, std::move(words));
    }
    return error(ErrorCode::invalid, std::move(words));
  }
  std::string status = text_field(*answer, "status");
  if (status != "200") {
    return error(ErrorCode::unavailable, "the aggregator answered status \"" + status +
                                             "\": " + text_field(*answer, "message"));
  }
  return read_result(*answer, "");
}

Result<TrackingReport> read_push_param(std::string_view param) {
  std::optional<json::object> push = parse_object(param);
  if (!push) return invalid_field("param", "not a JSON object");
  const json::value* last = push->if_contains("lastResult");
  const json::object* last_result = last != nullptr ? last->if_object() : nullptr;
  if (last_result == nullptr) return invalid_field("param.lastResult", "missing or not an object");
  Result<TrackingReport> report = read_result(*last_result, "param.lastResult.");
  if (!report.ok()) return report;
  report->aborted = text_field(*push, "status") == "abort";
  report->message = text_field(*push, "message");
  return report;
}

}  // namespace depot::carriers::kuaidi100
