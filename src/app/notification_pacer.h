#pragma once
// How much of the store's single writer notification dispatch may take. The writer commits
// orders and deliveries alike, one batch after another, so every moment it spends planning,
// claiming or recording deliveries is one an order waits. While other work keeps committing
// events (orders coming in), dispatch's writes may take `share` of the writer's time, with a
// little credit for bursts: intake keeps most of its rate and the backlog waits its turn. Once
// nothing else has committed for `quiet_after`, dispatch is not held back.
//
// The dispatcher's worker asks wait() before each write; the use cases report what each write
// spent on the writer (the time inside its work, measured there).
//
// Thread safety: every method may be called from any thread.

#include <chrono>
#include <functional>

#include "concurrency/mutex.h"

namespace depot {

class DispatchPacer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  struct Options {
    // Of the writer's time, while others commit (0 < share <= 1). Each delivery also costs CPU
    // off the writer (planning, the curl loop, the receiver), several times its writer time: on
    // the benchmark machine 3% of the writer's time costs intake about a tenth of its rate.
    double share = 0.03;
    std::chrono::microseconds burst{5000};
    std::chrono::milliseconds quiet_after{250};
    std::function<TimePoint()> now = [] { return std::chrono::steady_clock::now(); };
  };

  // Throws std::invalid_argument for a share outside (0, 1].
  explicit DispatchPacer(Options options);

  // Other work committed events just now.
  void others_committed();
  // Whether dispatch is held to its share now (others committed within `quiet_after`).
  bool pacing() const;
  // A dispatch write spent `writer_time` on the writer.
  void spent(std::chrono::nanoseconds writer_time);
  // How long dispatch should wait before its next write: zero when it may write now.
  std::chrono::nanoseconds wait() const;

 private:
  bool pacing_at(TimePoint now) const REQUIRES(mutex_);
  void refill(TimePoint now) const REQUIRES(mutex_);

  const Options options_;
  mutable Mutex mutex_;
  TimePoint others_at_ GUARDED_BY(mutex_) = {};
  bool others_seen_ GUARDED_BY(mutex_) = false;
  // Writer time dispatch may still spend now, in nanoseconds; below zero, time it owes.
  mutable double credit_ GUARDED_BY(mutex_) = 0;
  mutable TimePoint refilled_at_ GUARDED_BY(mutex_) = {};
};

}  // namespace depot
