#include "app/metrics.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <stdexcept>

namespace depot::metrics {

namespace {

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Label names may not use ':' and those starting "__" are Prometheus's own.
bool is_label_name(std::string_view name) {
  return is_metric_name(name) && name.find(':') == std::string_view::npos &&
         !name.starts_with("__");
}

std::size_t hash_of(std::span<const std::string_view> values) {
  std::size_t hash = 0x9e3779b97f4a7c15ULL;
  for (std::string_view value : values) {
    hash ^=
        std::hash<std::string_view>{}(value) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
  }
  return hash;
}

bool same_values(const std::vector<std::string>& stored, std::span<const std::string_view> values) {
  return std::equal(stored.begin(), stored.end(), values.begin(), values.end());
}

}  // namespace

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double value) noexcept {
  if (std::isnan(value)) return;
  std::size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

void Histogram::read(SeriesSnapshot& out) const {
  out.buckets.resize(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    out.buckets[i] = counts_[i].load(std::memory_order_relaxed);
  }
  out.sum = sum_.load(std::memory_order_relaxed);
}

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names, std::vector<double> bounds,
                       std::size_t max_series)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)),
      max_series_(std::max<std::size_t>(1, max_series)),
      mask_(std::bit_ceil(2 * max_series_) - 1),
      slots_(std::make_unique<std::atomic<Series*>[]>(mask_ + 1)) {}

FamilyBase::~FamilyBase() = default;

FamilyBase::Series& FamilyBase::find_or_add(std::span<const std::string_view> values) {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument(name_ + ": " + std::to_string(label_names_.size()) +
                                " label values expected");
  }
  std::size_t hash = hash_of(values);
  for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
    Series* series = slots_[i].load(std::memory_order_acquire);
    if (series == nullptr) break;
    if (series->hash == hash && same_values(series->values, values)) return *series;
  }
  return add(values, hash);
}

FamilyBase::Series& FamilyBase::add(std::span<const std::string_view> values, std::size_t hash) {
  MutexLock lock(mutex_);
  // Another thread may have added it since the lock-free look; slots are filled in probe order,
  // so looking again from the start finds it or the slot it belongs in.
  std::size_t slot = hash & mask_;
  for (;; slot = (slot + 1) & mask_) {
    Series* series = slots_[slot].load(std::memory_order_relaxed);
    if (series == nullptr) break;
    if (series->hash == hash && same_values(series->values, values)) return *series;
  }
  bool full = series_.size() - (overflow_ != nullptr ? 1 : 0) >= max_series_;
  if (full) {
    if (overflow_ == nullptr) {
      std::unique_ptr<Series> series = make_series();
      series->values.assign(label_names_.size(), "overflow");
      overflow_ = series.get();
      series_.push_back(std::move(series));
    }
    return *overflow_;
  }
  std::unique_ptr<Series> series = make_series();
  series->hash = hash;
  series->values.assign(values.begin(), values.end());
  Series& added = *series;
  series_.push_back(std::move(series));
  slots_[slot].store(&added, std::memory_order_release);
  return added;
}

FamilySnapshot FamilyBase::snapshot() const {
  FamilySnapshot out{name_, help_, type_, label_names_, bounds_, {}};
  {
    MutexLock lock(mutex_);
    out.series.reserve(series_.size());
    for (const auto& series : series_) {
      SeriesSnapshot read;
      read.label_values = series->values;
      series->read(read);
      out.series.push_back(std::move(read));
    }
  }
  std::sort(out.series.begin(), out.series.end(),
            [](const SeriesSnapshot& a, const SeriesSnapshot& b) {
              return a.label_values < b.label_values;
            });
  return out;
}

Registry::Registry() = default;
Registry::~Registry() = default;

void Registry::claim_name(const std::string& name, const std::vector<std::string>& label_names,
                          MetricType type) {
  if (!is_metric_name(name)) throw std::invalid_argument("bad metric name: " + name);
  for (const std::string& label : label_names) {
    if (!is_label_name(label) || (type == MetricType::histogram && label == "le")) {
      throw std::invalid_argument(name + ": bad label name " + label);
    }
  }
  if (std::find(names_.begin(), names_.end(), name) != names_.end()) {
    throw std::invalid_argument("metric registered twice: " + name);
  }
  names_.push_back(name);
}

Family<Counter>& Registry::counter(std::string name, std::string help,
                                   std::vector<std::string> label_names, std::size_t max_series) {
  MutexLock lock(mutex_);
  claim_name(name, label_names, MetricType::counter);
  auto family =
      std::make_unique<Family<Counter>>(std::move(name), std::move(help), MetricType::counter,
                                        std::move(label_names), std::vector<double>{}, max_series);
  Family<Counter>& added = *family;
  order_.push_back({true, families_.size(), 0});
  families_.push_back(std::move(family));
  return added;
}

Family<Gauge>& Registry::gauge(std::string name, std::string help,
                               std::vector<std::string> label_names, std::size_t max_series) {
  MutexLock lock(mutex_);
  claim_name(name, label_names, MetricType::gauge);
  auto family =
      std::make_unique<Family<Gauge>>(std::move(name), std::move(help), MetricType::gauge,
                                      std::move(label_names), std::vector<double>{}, max_series);
  Family<Gauge>& added = *family;
  order_.push_back({true, families_.size(), 0});
  families_.push_back(std::move(family));
  return added;
}

Family<Histogram>& Registry::histogram(std::string name, std::string help,
                                       std::vector<std::string> label_names,
                                       std::vector<double> bounds, std::size_t max_series) {
  MutexLock lock(mutex_);
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      throw std::invalid_argument(name + ": bucket bounds must be finite and increasing");
    }
  }
  claim_name(name, label_names, MetricType::histogram);
  auto family =
      std::make_unique<Family<Histogram>>(std::move(name), std::move(help), MetricType::histogram,
                                          std::move(label_names), std::move(bounds), max_series);
  Family<Histogram>& added = *family;
  order_.push_back({true, families_.size(), 0});
  families_.push_back(std::move(family));
  return added;
}

void Registry::computed(std::vector<ComputedFamily> families, Compute compute) {
  MutexLock lock(mutex_);
  for (const ComputedFamily& family : families) {
    if (family.type == MetricType::histogram) {
      throw std::invalid_argument(family.name + ": a computed family is a gauge or a counter");
    }
    claim_name(family.name, family.label_names, family.type);
  }
  for (std::size_t member = 0; member < families.size(); ++member) {
    order_.push_back({false, computed_.size(), member});
  }
  computed_.push_back(
      std::make_shared<Computed>(Computed{std::move(families), std::move(compute)}));
}

std::vector<FamilySnapshot> Registry::snapshot() const {
  std::vector<Slot> order;
  std::vector<const FamilyBase*> stored;
  std::vector<std::shared_ptr<Computed>> computed;
  {
    MutexLock lock(mutex_);
    order = order_;
    for (const auto& family : families_) stored.push_back(family.get());
    computed = computed_;
  }
  // Each computed group runs once, when its first family comes up.
  std::map<std::size_t, std::vector<std::vector<Sample>>> results;
  std::vector<FamilySnapshot> out;
  out.reserve(order.size());
  for (const Slot& slot : order) {
    if (slot.stored) {
      out.push_back(stored[slot.index]->snapshot());
      continue;
    }
    const Computed& group = *computed[slot.index];
    auto found = results.find(slot.index);
    if (found == results.end()) found = results.emplace(slot.index, group.compute()).first;
    const ComputedFamily& family = group.families[slot.member];
    FamilySnapshot snapshot{family.name, family.help, family.type, family.label_names, {}, {}};
    if (slot.member < found->second.size()) {
      for (const Sample& sample : found->second[slot.member]) {
        if (sample.label_values.size() != family.label_names.size()) continue;
        snapshot.series.push_back({sample.label_values, sample.value, {}, 0});
      }
    }
    std::sort(snapshot.series.begin(), snapshot.series.end(),
              [](const SeriesSnapshot& a, const SeriesSnapshot& b) {
                return a.label_values < b.label_values;
              });
    out.push_back(std::move(snapshot));
  }
  return out;
}

}  // namespace depot::metrics
