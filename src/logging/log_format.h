#pragma once
// How depot's log lines look (SPEC OPS-2). `text`, the default, is for people: time, level=, the
// message, then the scope's LogFields as ` key=value`. `json` is for log shippers: one JSON object
// per line, {"time" (RFC 3339, UTC, milliseconds), "level", "thread", "logger" (when the logger has
// a name), "message", then the scope's LogFields as members}. Text is escaped as JSON requires
// (quotes, backslashes, control characters) and bytes that are not UTF-8 become U+FFFD, so each
// line parses whatever a message holds.

#include <spdlog/formatter.h>

#include <memory>
#include <optional>
#include <string_view>

namespace depot::logging {

enum class LogFormat { text, json };

// "text" or "json".
std::optional<LogFormat> parse_log_format(std::string_view name);

// Installs the format on every logger.
void use_log_format(LogFormat format);

std::unique_ptr<spdlog::formatter> make_formatter(LogFormat format);

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace depot::logging
