#include "workers/export_runner.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace depot::workers {

void ExportRunner::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "depot-export");
    MutexLock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(mutex_, expire_every_,
                     [this]() REQUIRES(mutex_) { return stopping_ || pending_; });
      if (stopping_) break;
      pending_ = false;
      lock.unlock();
      try {
        exports_.expire();
        // run_step() records a job's own failures on the job; what escapes is the service's.
        while (exports_.run_step()) {
          MutexLock check(mutex_);
          if (stopping_) break;
        }
      } catch (const std::exception& e) {
        spdlog::error("export runner: {}", e.what());
      }
      lock.lock();
    }
  });
}

void ExportRunner::stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ExportRunner::wake() {
  {
    MutexLock lock(mutex_);
    pending_ = true;
  }
  wake_.notify_all();
}

}  // namespace depot::workers
