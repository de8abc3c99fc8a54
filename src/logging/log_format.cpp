#include "logging/log_format.h"

#include <pthread.h>
#include <spdlog/details/os.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <ctime>

#include "logging/log_fields.h"

namespace depot::logging {

namespace {

void append(spdlog::memory_buf_t& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

// The length of the well-formed UTF-8 sequence (RFC 3629) starting at text[at] with a lead byte
// of 0x80 or above, or 0 when there is none: overlong forms, surrogates and values past U+10FFFF
// are not well-formed.
std::size_t utf8_sequence(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  }
  return length;
}

void append_json_string(spdlog::memory_buf_t& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t length = utf8_sequence(text, i);
      if (length == 0) {
        append(out, "\\ufffd");
        ++i;
      } else {
        append(out, text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        append(out, "\\\"");
        break;
      case '\\':
        append(out, "\\\\");
        break;
      case '\n':
        append(out, "\\n");
        break;
      case '\r':
        append(out, "\\r");
        break;
      case '\t':
        append(out, "\\t");
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          out.append(escaped, escaped + sizeof escaped);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

template <class Number>
void append_number(spdlog::memory_buf_t& out, Number value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// "2026-11-22T04:05:06.789Z"; the part up to the seconds is kept per thread for the second it
// names, since most lines share it with the line before.
void append_time(spdlog::memory_buf_t& out, spdlog::log_clock::time_point time) {
  thread_local std::time_t cached_second = -1;
  thread_local char cached[24];
  auto since_epoch = time.time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  std::time_t second = static_cast<std::time_t>(seconds.count());
  if (second != cached_second) {
    std::tm utc{};
    gmtime_r(&second, &utc);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &utc);
    cached_second = second;
  }
  append(out, cached);
  int ms = static_cast<int>(millis.count());
  char fraction[] = {'.', static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                     static_cast<char>('0' + ms % 10), 'Z'};
  out.append(fraction, fraction + sizeof fraction);
}

// The name this thread was given (pthread_setname_np), read once per thread.
const std::string& current_thread_name() {
  thread_local const std::string name = [] {
    char buffer[32] = {};
    if (pthread_getname_np(pthread_self(), buffer, sizeof buffer) != 0) return std::string();
    return std::string(buffer);
  }();
  return name;
}

// Fields and the thread's name are known only when the line is formatted on the thread that
// wrote it (a synchronous logger).
bool on_writing_thread(const spdlog::details::log_msg& msg) {
  return msg.thread_id == spdlog::details::os::thread_id();
}

void append_field_value(spdlog::memory_buf_t& out, const LogField& field) {
  if (const auto* text = std::get_if<std::string_view>(&field.value)) {
    append_json_string(out, *text);
  } else if (const auto* integer = std::get_if<std::int64_t>(&field.value)) {
    append_number(out, *integer);
  } else {
    double number = std::get<double>(field.value);
    if (std::isfinite(number)) {
      append_number(out, number);
    } else {
      append(out, "null");
    }
  }
}

// The text format's "%*": the scope's fields as ` key=value`, values quoted as JSON strings when
// they hold a space, a quote, an equals sign or anything outside printable ASCII.
class TextFieldsFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    if (!on_writing_thread(msg)) return;
    LogFields::each([&dest](const LogField& field) {
      dest.push_back(' ');
      append(dest, field.key);
      dest.push_back('=');
      const auto* text = std::get_if<std::string_view>(&field.value);
      if (text == nullptr) {
        append_field_value(dest, field);
        return;
      }
      bool plain = !text->empty();
      for (char c : *text) {
        if (c <= ' ' || c > '~' || c == '"' || c == '=') plain = false;
      }
      if (plain) {
        append(dest, *text);
      } else {
        append_json_string(dest, *text);
      }
    });
  }
  std::unique_ptr<spdlog::custom_flag_formatter> clone() const override {
    return std::make_unique<TextFieldsFlag>();
  }
};

}  // namespace

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

void JsonFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  bool own_thread = on_writing_thread(msg);
  append(dest, "{\"time\":\"");
  append_time(dest, msg.time);
  append(dest, "\",\"level\":");
  spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
  append_json_string(dest, std::string_view(level.data(), level.size()));
  append(dest, ",\"thread\":");
  if (own_thread && !current_thread_name().empty()) {
    append_json_string(dest, current_thread_name());
  } else {
    dest.push_back('"');
    append_number(dest, msg.thread_id);
    dest.push_back('"');
  }
  if (msg.logger_name.size() > 0) {
    append(dest, ",\"logger\":");
    append_json_string(dest, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
  }
  append(dest, ",\"message\":");
  append_json_string(dest, std::string_view(msg.payload.data(), msg.payload.size()));
  if (own_thread) {
    LogFields::each([&dest](const LogField& field) {
      dest.push_back(',');
      append_json_string(dest, field.key);
      dest.push_back(':');
      append_field_value(dest, field);
    });
  }
  append(dest, "}\n");
}

std::unique_ptr<spdlog::formatter> JsonFormatter::clone() const {
  return std::make_unique<JsonFormatter>();
}

std::unique_ptr<spdlog::formatter> make_formatter(LogFormat format) {
  if (format == LogFormat::json) return std::make_unique<JsonFormatter>();
  auto text = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  text->add_flag<TextFieldsFlag>('*');
  text->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l %v%*");
  return text;
}

void use_log_format(LogFormat format) { spdlog::set_formatter(make_formatter(format)); }

}  // namespace depot::logging
