#include "http/access_log.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "http/router.h"
#include "logging/log_fields.h"

namespace depot::http {

void log_access(const Request& request, int status, std::chrono::nanoseconds took) {
  spdlog::level::level_enum level = status >= 500 ? spdlog::level::warn : spdlog::level::debug;
  if (!spdlog::should_log(level)) return;
  std::string_view method = to_string(request.method);
  std::string_view route = request.route.empty() ? std::string_view("unmatched") : request.route;
  double ms = std::round(std::chrono::duration<double, std::milli>(took).count() * 1000) / 1000;
  const logging::LogField fields[] = {
      {"method", method},
      {"route", route},
      {"path", std::string_view(request.path)},
      {"status", std::int64_t{status}},
      {"duration_ms", ms},
      {"request_id", std::string_view(request.request_id)},
  };
  logging::LogFields scope(fields);
  spdlog::log(level, "{} {} -> {}", method, request.path, status);
}

}  // namespace depot::http
