#include "http/http_metrics.h"

#include <charconv>

#include "http/router.h"

namespace depot::http {

namespace {

// Seconds, from half a millisecond (a cached read) to ten seconds (a large import or export).
const std::vector<double> kDurationBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};

}  // namespace

HttpMetrics::HttpMetrics(metrics::Registry& registry)
    : requests_(registry.counter("depot_http_requests_total",
                                 "HTTP requests answered, by method, route pattern and status.",
                                 {"method", "route", "status"})),
      durations_(registry.histogram(
          "depot_http_request_duration_seconds",
          "Time from a request read whole to its answer ready (for a stream: its start), by "
          "method and route pattern.",
          {"method", "route"}, kDurationBounds)) {}

void HttpMetrics::observe(Method method, std::string_view route, int status,
                          std::chrono::nanoseconds took) {
  std::string_view method_name = to_string(method);
  if (route.empty()) route = "unmatched";
  char status_text[8];
  auto [end, ec] = std::to_chars(status_text, status_text + sizeof status_text, status);
  requests_.with({method_name, route, std::string_view(status_text, end - status_text)}).inc();
  durations_.with({method_name, route}).observe(std::chrono::duration<double>(took).count());
}

}  // namespace depot::http
