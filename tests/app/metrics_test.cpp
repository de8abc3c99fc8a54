#include "app/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <thread>

namespace depot::metrics {
namespace {

const FamilySnapshot& family_named(const std::vector<FamilySnapshot>& families,
                                   const std::string& name) {
  for (const FamilySnapshot& family : families) {
    if (family.name == name) return family;
  }
  throw std::runtime_error("no family " + name);
}

TEST(Metrics, CountersAreFoundByTheirLabelValues) {
  Registry registry;
  auto& requests = registry.counter("requests_total", "Requests.", {"route", "status"});
  requests.with({"/a", "200"}).inc();
  requests.with({"/a", "200"}).inc(2);
  requests.with({"/a", "404"}).inc();
  EXPECT_EQ(&requests.with({"/a", "200"}), &requests.with({"/a", "200"}));
  EXPECT_EQ(requests.with({"/a", "200"}).value(), 3u);

  FamilySnapshot snapshot = family_named(registry.snapshot(), "requests_total");
  EXPECT_EQ(snapshot.type, MetricType::counter);
  EXPECT_EQ(snapshot.label_names, (std::vector<std::string>{"route", "status"}));
  ASSERT_EQ(snapshot.series.size(), 2u);
  EXPECT_EQ(snapshot.series[0].label_values, (std::vector<std::string>{"/a", "200"}));
  EXPECT_EQ(snapshot.series[0].value, 3);
  EXPECT_EQ(snapshot.series[1].label_values, (std::vector<std::string>{"/a", "404"}));
  EXPECT_EQ(snapshot.series[1].value, 1);
}

TEST(Metrics, TheWrongNumberOfLabelValuesIsABug) {
  Registry registry;
  auto& family = registry.counter("x_total", "X.", {"a"});
  EXPECT_THROW(family.with({}), std::invalid_argument);
  EXPECT_THROW(family.with({"1", "2"}), std::invalid_argument);
}

TEST(Metrics, GaugesGoUpAndDown) {
  Registry registry;
  Gauge& gauge = registry.gauge("queue_depth", "Depth.").with({});
  gauge.set(5);
  gauge.add(-2.5);
  EXPECT_DOUBLE_EQ(gauge.value(), 2.5);
  EXPECT_DOUBLE_EQ(family_named(registry.snapshot(), "queue_depth").series.at(0).value, 2.5);
}

TEST(Metrics, HistogramsCountEachObservationInTheFirstBucketItFits) {
  Registry registry;
  Histogram& sizes = registry.histogram("batch", "Sizes.", {}, {1, 2, 4}).with({});
  for (double value : {0.5, 1.0, 1.5, 4.0, 9.0, std::nan("")}) sizes.observe(value);
  SeriesSnapshot series = family_named(registry.snapshot(), "batch").series.at(0);
  // ≤1: 0.5 and 1 (a bound is inclusive); ≤2: 1.5; ≤4: 4; +Inf: 9; NaN is ignored.
  EXPECT_EQ(series.buckets, (std::vector<std::uint64_t>{2, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(series.sum, 16.0);
}

TEST(Metrics, RegistrationsRefuseBadNamesDuplicatesAndBadBounds) {
  Registry registry;
  registry.counter("ok_total", "Fine.");
  EXPECT_THROW(registry.counter("ok_total", "Again."), std::invalid_argument);
  EXPECT_THROW(registry.gauge("2bad", "Digit first."), std::invalid_argument);
  EXPECT_THROW(registry.gauge("has-dash", "Dash."), std::invalid_argument);
  EXPECT_THROW(registry.counter("c_total", "Bad label.", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h", "le is the histogram's own.", {"le"}, {1}),
               std::invalid_argument);
  EXPECT_THROW(registry.histogram("h2", "Not increasing.", {}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(registry.computed({{"ok_total", "Taken.", MetricType::gauge, {}}},
                                 [] { return std::vector<std::vector<Sample>>{}; }),
               std::invalid_argument);
}

TEST(Metrics, LabelSetsPastTheLimitShareOneOverflowSeries) {
  Registry registry;
  auto& family = registry.counter("paths_total", "Unbounded by mistake.", {"path"}, 3);
  for (int i = 0; i < 10; ++i) family.with({"/p/" + std::to_string(i)}).inc();
  family.with({"/p/0"}).inc();  // an early label set keeps its own series

  FamilySnapshot snapshot = family_named(registry.snapshot(), "paths_total");
  ASSERT_EQ(snapshot.series.size(), 4u);
  std::map<std::string, double> values;
  for (const SeriesSnapshot& series : snapshot.series) {
    values[series.label_values.at(0)] = series.value;
  }
  EXPECT_EQ(values.at("/p/0"), 2);
  EXPECT_EQ(values.at("/p/1"), 1);
  EXPECT_EQ(values.at("/p/2"), 1);
  EXPECT_EQ(values.at("overflow"), 7);
}

TEST(Metrics, ComputedFamiliesAreReadOncePerSnapshotInRegistrationOrder) {
  Registry registry;
  registry.counter("first_total", "Stored, registered first.");
  int runs = 0;
  registry.computed({{"open_alerts", "Alerts.", MetricType::gauge, {"kind"}},
                     {"lag_seconds", "Lag.", MetricType::gauge, {}}},
                    [&runs] {
                      ++runs;
                      return std::vector<std::vector<Sample>>{
                          {{{"order_held"}, 1}, {{"low_stock"}, 2}}, {{{}, 0.5}}};
                    });
  std::vector<FamilySnapshot> families = registry.snapshot();
  EXPECT_EQ(runs, 1);
  ASSERT_EQ(families.size(), 3u);
  EXPECT_EQ(families[0].name, "first_total");
  EXPECT_EQ(families[1].name, "open_alerts");
  ASSERT_EQ(families[1].series.size(), 2u);
  EXPECT_EQ(families[1].series[0].label_values.at(0), "low_stock");  // ordered by labels
  EXPECT_EQ(families[1].series[0].value, 2);
  EXPECT_EQ(families[2].name, "lag_seconds");
  EXPECT_EQ(families[2].series.at(0).value, 0.5);
}

TEST(Metrics, CountsFromManyThreadsAddUp) {
  Registry registry;
  auto& family = registry.counter("hits_total", "Hits.", {"route", "status"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&family] {
      for (int i = 0; i < 20000; ++i) {
        // Label sets first seen by racing threads must still end as one series each.
        family.with({"/r/" + std::to_string(i % 50), (i / 50) % 2 ? "200" : "404"}).inc();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  FamilySnapshot snapshot = family_named(registry.snapshot(), "hits_total");
  EXPECT_EQ(snapshot.series.size(), 100u);
  double total = 0;
  for (const SeriesSnapshot& series : snapshot.series) total += series.value;
  EXPECT_EQ(total, 80000);
}

}  // namespace
}  // namespace depot::metrics
