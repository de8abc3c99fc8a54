#include "cli/config.h"

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace depot::cli {

namespace json = boost::json;

namespace {

std::int64_t provider_timeout(const std::string& path, std::string_view key,
                              const json::value& value) {
  std::int64_t seconds = value.as_int64();
  if (seconds < 1 || seconds > kLongestProviderTimeoutSeconds) {
    throw std::runtime_error(path + ": " + std::string(key) + " must be from 1 to " +
                             std::to_string(kLongestProviderTimeoutSeconds));
  }
  return seconds;
}

}  // namespace

void load_config_file(const std::string& path, ServeConfig& config) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the configuration file " + path);
  std::stringstream text;
  text << in.rdbuf();
  json::object object = json::parse(text.str()).as_object();
  for (const auto& [key, value] : object) {
    if (key == "data_dir") {
      config.data_dir = value.as_string();
    } else if (key == "db") {
      config.db = value.as_string();
    } else if (key == "listen") {
      config.listen = value.as_string();
    } else if (key == "node") {
      config.node = value.as_string();
    } else if (key == "web_root") {
      config.web_root = value.as_string();
    } else if (key == "threads") {
      config.threads = static_cast<int>(value.as_int64());
    } else if (key == "sweep_interval_ms") {
      config.sweep_interval_ms = value.as_int64();
    } else if (key == "rate_limit") {
      config.rate_limit = value.is_double() ? value.as_double() : value.as_int64();
    } else if (key == "dispatch") {
      config.dispatch = value.as_bool();
    } else if (key == "export_inline_rows") {
      config.export_inline_rows = value.as_int64();
    } else if (key == "session_minutes") {
      config.session_minutes = value.as_int64();
    } else if (key == "header_timeout_seconds") {
      config.header_timeout_seconds = value.as_int64();
    } else if (key == "body_timeout_seconds") {
      config.body_timeout_seconds = value.as_int64();
    } else if (key == "idle_timeout_seconds") {
      config.idle_timeout_seconds = value.as_int64();
    } else if (key == "max_connections") {
      config.max_connections = value.as_int64();
    } else if (key == "smtp_timeout_seconds") {
      config.smtp_timeout_seconds = provider_timeout(path, key, value);
    } else if (key == "tracking_timeout_seconds") {
      config.tracking_timeout_seconds = provider_timeout(path, key, value);
    } else if (key == "log_level") {
      config.log_level = value.as_string();
    } else if (key == "log_format") {
      config.log_format = value.as_string();
    } else if (key == "metrics_token") {
      config.metrics_token = value.as_string();
    } else {
      throw std::runtime_error(path + ": unknown setting " + std::string(key));
    }
  }
}

std::string default_web_root() {
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe");
  return (exe.parent_path().parent_path() / "web" / "dist").string();
}

}  // namespace depot::cli
