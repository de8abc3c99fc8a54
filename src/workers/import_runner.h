#pragma once
// Runs bulk imports in the background (SPEC SHP-5 shipments, INT-2 orders): woken when an import
// is queued, and at start for imports a restart interrupted, it applies each unfinished import of
// every kind batch by batch until none is left. One thread; stop() lets the current batch commit,
// then returns.

#include <thread>
#include <vector>

#include "app/import_queue.h"
#include "concurrency/mutex.h"

namespace depot::workers {

class ImportRunner {
 public:
  // The kinds of import it runs; they outlive the runner.
  explicit ImportRunner(std::vector<ImportQueue*> queues) : queues_(std::move(queues)) {}
  ~ImportRunner() { stop(); }

  void start();
  void stop();
  // Wakes the runner: an import was queued. Safe from any thread.
  void wake();

 private:
  void drain();

  std::vector<ImportQueue*> queues_;
  Mutex mutex_;
  ConditionVariable wake_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  bool pending_ GUARDED_BY(mutex_) = true;  // look for work (initially: left over)
  std::thread thread_;
};

}  // namespace depot::workers
