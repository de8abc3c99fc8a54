#include "workers/import_runner.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace depot::workers {

void ImportRunner::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "depot-import");
    MutexLock lock(mutex_);
    while (!stopping_) {
      wake_.wait(mutex_, [this]() REQUIRES(mutex_) { return stopping_ || pending_; });
      if (stopping_) break;
      pending_ = false;
      lock.unlock();
      try {
        drain();
      } catch (const std::exception& e) {
        spdlog::error("import failed: {}", e.what());
      }
      lock.lock();
    }
  });
}

void ImportRunner::stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ImportRunner::wake() {
  {
    MutexLock lock(mutex_);
    pending_ = true;
  }
  wake_.notify_all();
}

void ImportRunner::drain() {
  for (ImportQueue* queue : queues_) {
    for (auto [tenant, id] : queue->unfinished()) {
      while (true) {
        {
          MutexLock lock(mutex_);
          if (stopping_) return;
        }
        Result<bool> finished = queue->run_batch(tenant, id);
        if (!finished.ok()) {
          spdlog::error("{} {} of merchant {}: {}", queue->name(), id, tenant,
                        finished.error().message);
          break;
        }
        if (*finished) {
          spdlog::info("{} {} of merchant {} finished", queue->name(), id, tenant);
          break;
        }
      }
    }
  }
}

}  // namespace depot::workers
