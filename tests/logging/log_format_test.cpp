#include "logging/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/details/os.h>
#include <spdlog/pattern_formatter.h>

#include <boost/json.hpp>

#include <limits>
#include <string>

#include "logging/log_fields.h"

namespace depot::logging {
namespace {

namespace json = boost::json;

// One line as `format` writes it for a message logged now on this thread.
std::string line_of(LogFormat format, std::string_view message,
                    spdlog::level::level_enum level = spdlog::level::info,
                    std::string_view logger = "") {
  spdlog::details::log_msg msg(spdlog::string_view_t(logger.data(), logger.size()), level,
                               spdlog::string_view_t(message.data(), message.size()));
  // 2026-11-22T04:05:06.789Z
  msg.time = spdlog::log_clock::time_point(std::chrono::milliseconds(1795320306789));
  spdlog::memory_buf_t out;
  make_formatter(format)->format(msg, out);
  return std::string(out.data(), out.size());
}

json::object parsed(const std::string& line) {
  EXPECT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  boost::system::error_code ec;
  json::value value = json::parse(line, ec);  // Boost.JSON refuses invalid UTF-8 too
  EXPECT_FALSE(ec) << ec.message() << ": " << line;
  EXPECT_TRUE(value.is_object()) << line;
  return value.is_object() ? value.as_object() : json::object();
}

TEST(JsonLogFormat, WritesTimeLevelThreadAndMessage) {
  json::object line = parsed(line_of(LogFormat::json, "depot listening", spdlog::level::warn));
  EXPECT_EQ(line.at("time").as_string(), "2026-11-22T04:05:06.789Z");
  EXPECT_EQ(line.at("level").as_string(), "warning");
  EXPECT_EQ(line.at("message").as_string(), "depot listening");
  EXPECT_FALSE(line.at("thread").as_string().empty());
  EXPECT_FALSE(line.contains("logger"));
  EXPECT_EQ(
      parsed(line_of(LogFormat::json, "x", spdlog::level::info, "store")).at("logger").as_string(),
      "store");
}

TEST(JsonLogFormat, EscapesQuotesBackslashesAndControlCharacters) {
  std::string message = "say \"hi\" \\ path\nnext\tline\r\x01\x1f\x7f end";
  json::object line = parsed(line_of(LogFormat::json, message));
  EXPECT_EQ(line.at("message").as_string(), message);
}

TEST(JsonLogFormat, KeepsUtf8AndReplacesBytesThatAreNot) {
  EXPECT_EQ(parsed(line_of(LogFormat::json, "上海市 ✓ 😀")).at("message").as_string(), "上海市 ✓ 😀");
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate, past U+10FFFF.
  std::string bad =
      "a\x80"
      "b\xe4\xb8"
      "c\xc0\xaf"
      "d\xed\xa0\x80"
      "e\xf4\x90\x80\x80"
      "f\xe4";
  json::object line = parsed(line_of(LogFormat::json, bad));
  std::string message(line.at("message").as_string());
  EXPECT_EQ(message.find("a\xef\xbf\xbd"), 0u) << message;
  EXPECT_NE(message.find("b\xef\xbf\xbd"), std::string::npos) << message;
  EXPECT_EQ(message.substr(message.size() - 4), "f\xef\xbf\xbd") << message;
  for (char c : std::string("bcdef")) EXPECT_NE(message.find(c), std::string::npos) << message;
}

TEST(JsonLogFormat, AddsTheScopesFieldsWithTheirTypes) {
  const LogField outer[] = {{"request_id", std::string_view("abc-1")}};
  LogFields outer_scope(outer);
  std::string line_text;
  {
    const LogField inner[] = {
        {"status", std::int64_t{404}}, {"duration_ms", 1.25}, {"path", std::string_view("/a\"b")}};
    LogFields inner_scope(inner);
    line_text = line_of(LogFormat::json, "GET /a -> 404");
  }
  json::object line = parsed(line_text);
  EXPECT_EQ(line.at("request_id").as_string(), "abc-1");
  EXPECT_EQ(line.at("status").as_int64(), 404);
  EXPECT_DOUBLE_EQ(line.at("duration_ms").as_double(), 1.25);
  EXPECT_EQ(line.at("path").as_string(), "/a\"b");
  EXPECT_LT(line_text.find("request_id"), line_text.find("status")) << "outer scope first";

  json::object after = parsed(line_of(LogFormat::json, "later"));
  EXPECT_TRUE(after.contains("request_id"));
  EXPECT_FALSE(after.contains("status")) << "the inner scope ended";
}

TEST(JsonLogFormat, LeavesOutFieldsOfALineFromAnotherThread) {
  const LogField fields[] = {{"request_id", std::string_view("abc-1")}};
  LogFields scope(fields);
  spdlog::details::log_msg msg(spdlog::string_view_t(), spdlog::level::info, "queued");
  msg.thread_id = spdlog::details::os::thread_id() + 1;
  spdlog::memory_buf_t out;
  JsonFormatter().format(msg, out);
  json::object line = parsed(std::string(out.data(), out.size()));
  EXPECT_FALSE(line.contains("request_id"));
}

TEST(JsonLogFormat, WritesNonFiniteNumbersAsNull) {
  const LogField fields[] = {{"ratio", std::numeric_limits<double>::infinity()}};
  LogFields scope(fields);
  EXPECT_TRUE(parsed(line_of(LogFormat::json, "x")).at("ratio").is_null());
}

TEST(TextLogFormat, WritesTheMessageThenTheFieldsAsKeyValues) {
  const LogField fields[] = {{"route", std::string_view("/api/v1/orders/{id}")},
                             {"status", std::int64_t{200}},
                             {"path", std::string_view("/a b")}};
  LogFields scope(fields);
  EXPECT_EQ(line_of(LogFormat::text, "GET /api/v1/orders/7 -> 200"),
            "2026-11-22T04:05:06.789Z level=info GET /api/v1/orders/7 -> 200 "
            "route=/api/v1/orders/{id} status=200 path=\"/a b\"\n");
}

TEST(LogFormatNames, AreTextAndJson) {
  EXPECT_EQ(parse_log_format("text"), LogFormat::text);
  EXPECT_EQ(parse_log_format("json"), LogFormat::json);
  EXPECT_EQ(parse_log_format("JSON"), std::nullopt);
  EXPECT_EQ(parse_log_format(""), std::nullopt);
}

}  // namespace
}  // namespace depot::logging
