#pragma once
// Runs bulk shipment imports in the background (SPEC SHP-5): woken when an import is queued, and
// at start for imports a restart interrupted, it applies each unfinished import batch by batch
// until none is left. One thread; stop() lets the current batch commit, then returns.

#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/shipment_imports.h"

namespace depot::workers {

class ImportRunner {
 public:
  explicit ImportRunner(ShipmentImports& imports) : imports_(imports) {}
  ~ImportRunner() { stop(); }

  void start();
  void stop();
  // Wakes the runner: an import was queued. Safe from any thread.
  void wake();

 private:
  void drain();

  ShipmentImports& imports_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  bool pending_ = true;    // GUARDED_BY(mutex_): look for work (initially: left over)
  std::thread thread_;
};

}  // namespace depot::workers
