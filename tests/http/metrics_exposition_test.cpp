#include "http/metrics_exposition.h"

#include <gtest/gtest.h>

#include <cmath>

namespace depot::http {
namespace {

TEST(PrometheusText, WritesHelpTypeAndOneLinePerSeries) {
  metrics::Registry registry;
  auto& requests = registry.counter("depot_http_requests_total", "HTTP requests answered.",
                                    {"method", "route", "status"});
  requests.with({"GET", "/api/v1/orders/{id}", "200"}).inc(3);
  requests.with({"POST", "/api/v1/orders", "201"}).inc();
  registry.gauge("depot_queue", "Queued.").with({}).set(2.5);
  registry.counter("depot_unused_total", "Nothing counted yet.", {"kind"});

  EXPECT_EQ(prometheus_text(registry.snapshot()),
            "# HELP depot_http_requests_total HTTP requests answered.\n"
            "# TYPE depot_http_requests_total counter\n"
            "depot_http_requests_total{method=\"GET\",route=\"/api/v1/orders/{id}\","
            "status=\"200\"} 3\n"
            "depot_http_requests_total{method=\"POST\",route=\"/api/v1/orders\",status=\"201\"} 1\n"
            "# HELP depot_queue Queued.\n"
            "# TYPE depot_queue gauge\n"
            "depot_queue 2.5\n"
            "# HELP depot_unused_total Nothing counted yet.\n"
            "# TYPE depot_unused_total counter\n");
}

TEST(PrometheusText, HistogramBucketsAreCumulativeAndEndAtInf) {
  metrics::Registry registry;
  auto& durations = registry.histogram("depot_seconds", "Durations.", {"route"}, {0.005, 0.1, 1});
  metrics::Histogram& orders = durations.with({"/o"});
  // Binary fractions, so the sum is exact.
  for (double value : {0.00390625, 0.001953125, 0.0625, 0.5, 3.0}) orders.observe(value);

  EXPECT_EQ(prometheus_text(registry.snapshot()),
            "# HELP depot_seconds Durations.\n"
            "# TYPE depot_seconds histogram\n"
            "depot_seconds_bucket{route=\"/o\",le=\"0.005\"} 2\n"
            "depot_seconds_bucket{route=\"/o\",le=\"0.1\"} 3\n"
            "depot_seconds_bucket{route=\"/o\",le=\"1\"} 4\n"
            "depot_seconds_bucket{route=\"/o\",le=\"+Inf\"} 5\n"
            "depot_seconds_sum{route=\"/o\"} 3.568359375\n"
            "depot_seconds_count{route=\"/o\"} 5\n");
}

TEST(PrometheusText, AHistogramWithoutLabelsHasOnlyLe) {
  metrics::Registry registry;
  registry.histogram("depot_batch", "Jobs.", {}, {1, 2}).with({}).observe(2);
  EXPECT_EQ(prometheus_text(registry.snapshot()),
            "# HELP depot_batch Jobs.\n"
            "# TYPE depot_batch histogram\n"
            "depot_batch_bucket{le=\"1\"} 0\n"
            "depot_batch_bucket{le=\"2\"} 1\n"
            "depot_batch_bucket{le=\"+Inf\"} 1\n"
            "depot_batch_sum 2\n"
            "depot_batch_count 1\n");
}

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
  metrics::Registry registry;
  registry.counter("depot_odd_total", "Help with \\ and\nnewline.", {"value"})
      .with({"quote \" backslash \\ newline \n end"})
      .inc();
  EXPECT_EQ(prometheus_text(registry.snapshot()),
            "# HELP depot_odd_total Help with \\\\ and\\nnewline.\n"
            "# TYPE depot_odd_total counter\n"
            "depot_odd_total{value=\"quote \\\" backslash \\\\ newline \\n end\"} 1\n");
}

TEST(PrometheusText, WritesNonFiniteValuesAsPrometheusSpellsThem) {
  metrics::Registry registry;
  registry.computed({{"depot_odd", "Odd values.", metrics::MetricType::gauge, {"v"}}}, [] {
    return std::vector<std::vector<metrics::Sample>>{
        {{{"inf"}, INFINITY}, {{"nan"}, NAN}, {{"neg"}, -INFINITY}, {{"tiny"}, 1e-9}}};
  });
  EXPECT_EQ(prometheus_text(registry.snapshot()),
            "# HELP depot_odd Odd values.\n"
            "# TYPE depot_odd gauge\n"
            "depot_odd{v=\"inf\"} +Inf\n"
            "depot_odd{v=\"nan\"} NaN\n"
            "depot_odd{v=\"neg\"} -Inf\n"
            "depot_odd{v=\"tiny\"} 1e-09\n");
}

}  // namespace
}  // namespace depot::http
