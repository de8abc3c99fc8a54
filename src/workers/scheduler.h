#pragma once
// The background scheduler: at a fixed interval it runs a list of periodic jobs (unpaid
// auto-cancel, shipping reminders, …) for every merchant, each job a use case. On SQLite one
// process owns this work. stop() waits for the current round to finish.

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "app/ports.h"
#include "concurrency/mutex.h"

namespace depot::workers {

struct PeriodicJob {
  std::string name;  // for the log: "auto-cancel", "shipping reminders"
  // Does this merchant's share of the job; answers how many things it changed.
  std::function<Result<int>(TenantId)> run;
};

class Scheduler {
 public:
  Scheduler(Store& store, std::vector<PeriodicJob> jobs, std::chrono::milliseconds interval)
      : store_(store), jobs_(std::move(jobs)), interval_(interval) {}
  ~Scheduler() { stop(); }

  void start();
  void stop();
  // Starts the next round at once instead of at the end of the interval (new work has come).
  void wake();
  // One round of every job over every merchant; returns how many things the jobs changed.
  int run_once();

 private:
  Store& store_;
  std::vector<PeriodicJob> jobs_;
  std::chrono::milliseconds interval_;
  Mutex mutex_;
  ConditionVariable wake_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  bool woken_ GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace depot::workers
