#pragma once
// Runs export jobs in the background (SPEC RPT-2), on a thread of its own, so no HTTP thread and
// never the store's writer walks a long range. Woken when an export is queued, it steps runnable
// jobs in turn until none is left; while idle it wakes every `expire_every` to forget ended jobs
// past their time. stop() returns after the current step: unfinished jobs are abandoned (their
// files go with the next start).

#include <chrono>
#include <thread>

#include "app/export_service.h"
#include "concurrency/mutex.h"

namespace depot::workers {

class ExportRunner {
 public:
  explicit ExportRunner(ExportService& exports,
                        std::chrono::milliseconds expire_every = std::chrono::minutes(1))
      : exports_(exports), expire_every_(expire_every) {}
  ~ExportRunner() { stop(); }

  void start();
  void stop();
  // Wakes the runner: an export was queued. Safe from any thread.
  void wake();

 private:
  ExportService& exports_;
  const std::chrono::milliseconds expire_every_;
  Mutex mutex_;
  ConditionVariable wake_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  bool pending_ GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace depot::workers
