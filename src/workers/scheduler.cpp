#include "workers/scheduler.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace depot::workers {

void Scheduler::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "depot-schedule");
    MutexLock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        run_once();
      } catch (const std::exception& e) {
        spdlog::error("scheduler round failed: {}", e.what());
      }
      lock.lock();
      wake_.wait_for(mutex_, interval_, [this]() REQUIRES(mutex_) { return stopping_ || woken_; });
      woken_ = false;
    }
  });
}

void Scheduler::stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::wake() {
  {
    MutexLock lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

int Scheduler::run_once() {
  int changed = 0;
  for (TenantId tenant : store_.tenant_ids()) {
    for (const PeriodicJob& job : jobs_) {
      Result<int> round = job.run(tenant);
      if (!round.ok()) {
        spdlog::warn("{} for merchant {} failed: {}", job.name, tenant, round.error().message);
        continue;
      }
      if (*round > 0) spdlog::info("{}: {} change(s) for merchant {}", job.name, *round, tenant);
      changed += *round;
    }
  }
  return changed;
}

}  // namespace depot::workers
