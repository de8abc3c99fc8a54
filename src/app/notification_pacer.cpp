#include "app/notification_pacer.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace depot {

DispatchPacer::DispatchPacer(Options options) : options_(std::move(options)) {
  if (!(options_.share > 0 && options_.share <= 1)) {
    throw std::invalid_argument("the dispatcher's share of the writer must be in (0, 1]");
  }
  credit_ = static_cast<double>(std::chrono::nanoseconds(options_.burst).count());
  refilled_at_ = options_.now();
}

void DispatchPacer::others_committed() {
  TimePoint now = options_.now();
  MutexLock lock(mutex_);
  if (!pacing_at(now)) {
    // Intake starts again: dispatch starts with its full credit, whatever it spent meanwhile.
    credit_ = static_cast<double>(std::chrono::nanoseconds(options_.burst).count());
    refilled_at_ = now;
  }
  others_at_ = now;
  others_seen_ = true;
}

bool DispatchPacer::pacing() const {
  TimePoint now = options_.now();
  MutexLock lock(mutex_);
  return pacing_at(now);
}

void DispatchPacer::spent(std::chrono::nanoseconds writer_time) {
  TimePoint now = options_.now();
  MutexLock lock(mutex_);
  if (!pacing_at(now)) return;
  refill(now);
  credit_ -= static_cast<double>(writer_time.count());
}

std::chrono::nanoseconds DispatchPacer::wait() const {
  TimePoint now = options_.now();
  MutexLock lock(mutex_);
  if (!pacing_at(now)) return std::chrono::nanoseconds(0);
  refill(now);
  if (credit_ >= 0) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(-credit_ / options_.share) + 1);
}

bool DispatchPacer::pacing_at(TimePoint now) const {
  return others_seen_ && now - others_at_ < options_.quiet_after;
}

void DispatchPacer::refill(TimePoint now) const {
  double elapsed = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now - refilled_at_).count());
  double earned = elapsed * options_.share;
  double most = static_cast<double>(std::chrono::nanoseconds(options_.burst).count());
  credit_ = std::min(most, credit_ + earned);
  refilled_at_ = now;
}

}  // namespace depot
