#pragma once
// Operational metrics kept in memory and read when scraped (SPEC OPS-2): counters, gauges and
// histograms, each in a family of series told apart by label values, plus families computed only
// when scraped (outbox lag, open alerts, process memory). This module counts; the Prometheus text
// format is written at the edge (http/metrics_exposition.h) from a snapshot().
//
// Hot paths stay cheap: with() finds a series by its label values in an insert-only table read
// without a lock (only a label set never seen before takes the family's mutex, once), and counting
// is a relaxed atomic add. A family holds at most `max_series` label sets; further label sets all
// share one series whose every label value is "overflow", so a label fed unbounded values by
// mistake cannot grow memory without bound.
//
// Label values must never carry personal data or secrets: they are route patterns, channels,
// outcomes and kinds, and anyone allowed to scrape sees them.
//
// Thread safety: families are registered at start-up, before use; every other method may be
// called from any thread. Families live as long as their Registry.

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "concurrency/mutex.h"

namespace depot::metrics {

enum class MetricType { counter, gauge, histogram };

// A family's series as read at one moment.
struct SeriesSnapshot {
  std::vector<std::string> label_values;  // in the order of the family's label names
  double value = 0;                       // counters and gauges
  // Histograms: observations per bucket, not cumulative: one entry per bound (observations
  // at or below it and above the bound before), then the rest (+Inf).
  std::vector<std::uint64_t> buckets;
  double sum = 0;  // histograms: the sum of every observation
};

struct FamilySnapshot {
  std::string name;
  std::string help;
  MetricType type = MetricType::counter;
  std::vector<std::string> label_names;
  std::vector<double> bounds;  // histograms: the buckets' upper bounds, increasing
  std::vector<SeriesSnapshot> series;
};

// A value that only goes up (requests answered, sends attempted).
class Counter {
 public:
  void inc(std::uint64_t by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double by) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted in buckets by upper bound, with their sum (latencies, batch sizes).
class Histogram {
 public:
  // `bounds` (increasing) must outlive the histogram: its family keeps them.
  explicit Histogram(const std::vector<double>& bounds);
  // A NaN observation is ignored.
  void observe(double value) noexcept;
  void read(SeriesSnapshot& out) const;

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1 buckets
  std::atomic<double> sum_{0};
};

// The series of one metric name, by label values. Non-template part of Family<Metric>.
class FamilyBase {
 public:
  static constexpr std::size_t kDefaultMaxSeries = 2048;

  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names, std::vector<double> bounds,
             std::size_t max_series);
  virtual ~FamilyBase();
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  FamilySnapshot snapshot() const;

 protected:
  struct Series {
    virtual ~Series() = default;
    virtual void read(SeriesSnapshot& out) const = 0;
    std::size_t hash = 0;
    std::vector<std::string> values;
  };
  // The series of these label values (one per label name, else std::invalid_argument), made
  // on first use.
  Series& find_or_add(std::span<const std::string_view> values);
  virtual std::unique_ptr<Series> make_series() const = 0;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  Series& add(std::span<const std::string_view> values, std::size_t hash) EXCLUDES(mutex_);

  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
  const std::size_t max_series_;
  const std::size_t mask_;  // slots: a power of two, at least twice max_series_
  // Open addressing, linear probing; a slot is written once (under mutex_) and read without it.
  std::unique_ptr<std::atomic<Series*>[]> slots_;
  mutable Mutex mutex_;
  std::vector<std::unique_ptr<Series>> series_ GUARDED_BY(mutex_);  // owns what slots_ point to
  Series* overflow_ GUARDED_BY(mutex_) = nullptr;
};

inline void read_series(const Counter& counter, SeriesSnapshot& out) {
  out.value = static_cast<double>(counter.value());
}
inline void read_series(const Gauge& gauge, SeriesSnapshot& out) { out.value = gauge.value(); }
inline void read_series(const Histogram& histogram, SeriesSnapshot& out) { histogram.read(out); }

template <class Metric>
class Family final : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;

  // The series of these label values, in the order of the family's label names. Lock-free once
  // the label set has been seen; callers on hot paths may also keep the reference.
  Metric& with(std::initializer_list<std::string_view> values) {
    return static_cast<Held&>(find_or_add({values.begin(), values.size()})).metric;
  }
  Metric& with(std::span<const std::string_view> values) {
    return static_cast<Held&>(find_or_add(values)).metric;
  }

 private:
  struct Held final : Series {
    template <class... Args>
    explicit Held(const Args&... args) : metric(args...) {}
    void read(SeriesSnapshot& out) const override { read_series(metric, out); }
    Metric metric;
  };
  std::unique_ptr<Series> make_series() const override {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      return std::make_unique<Held>(bounds());
    } else {
      return std::make_unique<Held>();
    }
  }
};

// One value of a computed family.
struct Sample {
  std::vector<std::string> label_values;
  double value = 0;
};

// A family whose values are computed when scraped.
struct ComputedFamily {
  std::string name;
  std::string help;
  MetricType type = MetricType::gauge;  // gauge or counter
  std::vector<std::string> label_names;
};

class Registry {
 public:
  Registry();
  ~Registry();

  // Each registration names a family not yet registered, with a valid Prometheus metric name
  // and label names (else std::invalid_argument: a bug).
  Family<Counter>& counter(std::string name, std::string help,
                           std::vector<std::string> label_names = {},
                           std::size_t max_series = FamilyBase::kDefaultMaxSeries);
  Family<Gauge>& gauge(std::string name, std::string help,
                       std::vector<std::string> label_names = {},
                       std::size_t max_series = FamilyBase::kDefaultMaxSeries);
  // `bounds`: finite, strictly increasing upper bounds; +Inf is implied.
  Family<Histogram>& histogram(std::string name, std::string help,
                               std::vector<std::string> label_names, std::vector<double> bounds,
                               std::size_t max_series = FamilyBase::kDefaultMaxSeries);

  // Families filled by one function when scraped (one pass over the store can fill several):
  // `compute` answers the samples of each of `families`, in their order. It runs on the
  // scraping thread, outside the registry's lock.
  using Compute = std::function<std::vector<std::vector<Sample>>()>;
  void computed(std::vector<ComputedFamily> families, Compute compute);

  // Every family, in the order registered; each family's series ordered by label values.
  std::vector<FamilySnapshot> snapshot() const;

 private:
  struct Computed {
    std::vector<ComputedFamily> families;
    Compute compute;
  };
  void claim_name(const std::string& name, const std::vector<std::string>& label_names,
                  MetricType type) REQUIRES(mutex_);

  mutable Mutex mutex_;
  std::vector<std::string> names_ GUARDED_BY(mutex_);
  std::vector<std::unique_ptr<FamilyBase>> families_ GUARDED_BY(mutex_);
  std::vector<std::shared_ptr<Computed>> computed_ GUARDED_BY(mutex_);
  // Where each family goes in the snapshot: stored (index in families_) or computed.
  struct Slot {
    bool stored = true;
    std::size_t index = 0;   // in families_, or in computed_
    std::size_t member = 0;  // which of the computed group's families
  };
  std::vector<Slot> order_ GUARDED_BY(mutex_);
};

}  // namespace depot::metrics
