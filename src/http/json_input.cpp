#include "http/json_input.h"

#include "http/json_keys.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace depot::http {

namespace json = boost::json;

Result<json::object> parse_object(const Request& request) {
  if (request.body.empty()) return error(ErrorCode::malformed, "the body must be a JSON object");
  // A body must say what it is: one without Content-Type is not guessed to be JSON.
  std::string type = request.header("content-type");
  if (type.find("application/json") == std::string::npos &&
      type.find("+json") == std::string::npos) {
    return error(ErrorCode::unsupported_media, "the body must be application/json");
  }
  boost::system::error_code ec;
  json::value value = json::parse(request.body, ec);
  if (ec) return error(ErrorCode::malformed, "the body is not valid JSON: " + ec.message());
  if (!value.is_object()) return error(ErrorCode::malformed, "the body must be a JSON object");
  // Boost.JSON keeps the last of repeated keys; a body that says two things is refused instead.
  if (std::optional<std::string> repeated = repeated_key(request.body)) {
    return error(ErrorCode::malformed, "the body repeats the key \"" + *repeated + "\"");
  }
  return std::move(value.as_object());
}

void Fields::reject_nulls() {
  for (const auto& [key, value] : object_) {
    if (value.is_null()) fail(key, "must not be null");
  }
}

std::string Fields::path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void Fields::fail(std::string_view key, std::string message) {
  errors_.push_back({path(key), std::move(message)});
}

const json::value* Fields::find(std::string_view key, bool required) {
  const json::value* value = object_.if_contains(key);
  if (!value || value->is_null()) {
    if (required) fail(key, "is required");
    return nullptr;
  }
  return value;
}

std::optional<std::string> Fields::text(std::string_view key, bool required,
                                        std::size_t max_bytes) {
  const json::value* value = find(key, required);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    fail(key, "must be a string");
    return std::nullopt;
  }
  if (value->get_string().size() > max_bytes) {
    fail(key, "must be at most " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  return std::string(value->get_string());
}

std::optional<std::int64_t> Fields::integer(std::string_view key, bool required) {
  const json::value* value = find(key, required);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) {
    fail(key, "is too large");
    return std::nullopt;
  }
  fail(key, "must be an integer");
  return std::nullopt;
}

std::optional<double> Fields::number(std::string_view key, bool required) {
  const json::value* value = find(key, required);
  if (!value) return std::nullopt;
  if (!value->is_number()) {
    fail(key, "must be a number");
    return std::nullopt;
  }
  return value->to_number<double>();
}

std::optional<bool> Fields::boolean(std::string_view key) {
  const json::value* value = find(key, false);
  if (!value) return std::nullopt;
  if (!value->is_bool()) {
    fail(key, "must be true or false");
    return std::nullopt;
  }
  return value->get_bool();
}

std::optional<Instant> Fields::instant(std::string_view key) {
  std::optional<std::string> text_value = text(key);
  if (!text_value) return std::nullopt;
  std::optional<Instant> parsed = parse_instant(*text_value);
  if (!parsed) fail(key, "must be an RFC 3339 time such as 2026-11-22T08:00:00Z");
  return parsed;
}

const json::object* Fields::object(std::string_view key, bool required) {
  const json::value* value = find(key, required);
  if (!value) return nullptr;
  if (!value->is_object()) {
    fail(key, "must be an object");
    return nullptr;
  }
  return &value->get_object();
}

const json::array* Fields::array(std::string_view key, bool required) {
  const json::value* value = find(key, required);
  if (!value) return nullptr;
  if (!value->is_array()) {
    fail(key, "must be an array");
    return nullptr;
  }
  return &value->get_array();
}

std::optional<std::vector<std::string>> Fields::text_list(std::string_view key) {
  const json::array* items = array(key);
  if (!items) return std::nullopt;
  std::vector<std::string> list;
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (!(*items)[i].is_string()) {
      fail(std::string(key) + "[" + std::to_string(i) + "]", "must be a string");
      continue;
    }
    list.emplace_back((*items)[i].get_string());
  }
  return list;
}

void Fields::reject_unknown(std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object_) {
    bool listed = false;
    for (std::string_view name : known) listed = listed || name == key;
    if (!listed) fail(key, "is not a known field");
  }
}

std::optional<Error> field_errors(std::vector<FieldError> errors) {
  if (errors.empty()) return std::nullopt;
  return invalid_fields(std::move(errors));
}

std::optional<Instant> parse_instant(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  int millis = 0;
  char rest[32] = {0};
  if (s.size() == 10) {
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
      return std::nullopt;
    }
  } else {
    int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%31s", &tm.tm_year, &tm.tm_mon,
                        &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, rest);
    if (n != 7) return std::nullopt;
    std::string tail = rest;
    if (!tail.empty() && tail[0] == '.') {
      std::size_t digits = 1;
      while (digits < tail.size() && tail[digits] >= '0' && tail[digits] <= '9') ++digits;
      std::string fraction = (tail.substr(1, digits - 1) + "000").substr(0, 3);
      millis = std::stoi(fraction);
      tail = tail.substr(digits);
    }
    if (tail != "Z" && tail != "+00:00") return std::nullopt;
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t seconds = timegm(&tm);
  return Instant{std::chrono::seconds{seconds} + std::chrono::milliseconds{millis}};
}

std::string format_instant(Instant instant) {
  auto millis = to_millis(instant);
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis % 1000));
  return text;
}

Result<std::int64_t> query_integer(const Request& request, const std::string& name,
                                   std::int64_t fallback, std::int64_t min, std::int64_t max) {
  auto found = request.query.find(name);
  if (found == request.query.end() || found->second.empty()) return fallback;
  const std::string& text = found->second;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return invalid_field(name, "must be an integer");
  }
  if (value < min || value > max) {
    return invalid_field(name,
                         "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

}  // namespace depot::http
