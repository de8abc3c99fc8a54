#include "workers/notification_worker.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace depot::workers {

namespace {

// Sends claimed per merchant per round, so one merchant's backlog does not starve the rest.
constexpr int kClaimBatch = 200;

}  // namespace

void NotificationWorker::start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    for (TenantId tenant : store_.tenant_ids()) to_plan_.insert(tenant);
    send_pending_ = true;
  }
  for (TenantId tenant : store_.tenant_ids()) {
    Result<int> released = sender_.release_interrupted(tenant);
    if (!released.ok()) {
      spdlog::error("notifications: merchant {}: {}", tenant, released.error().message);
    } else if (*released > 0) {
      spdlog::info("notifications: merchant {}: {} send(s) interrupted by a stop are due again",
                   tenant, *released);
    }
  }
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "depot-notify");
    loop();
  });
}

void NotificationWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NotificationWorker::events_committed(const std::vector<TenantId>& tenants) {
  {
    std::lock_guard lock(mutex_);
    to_plan_.insert(tenants.begin(), tenants.end());
  }
  wake_.notify_one();
}

void NotificationWorker::send_finished() {
  {
    std::lock_guard lock(mutex_);
    send_pending_ = true;
  }
  wake_.notify_one();
}

void NotificationWorker::loop() {
  std::optional<Instant> next_due;
  for (;;) {
    std::set<TenantId> planning;
    {
      std::unique_lock lock(mutex_);
      auto ready = [this] { return stopping_ || !to_plan_.empty() || send_pending_; };
      auto deadline = std::chrono::system_clock::now() + options_.idle;
      if (next_due && *next_due < deadline) deadline = *next_due;
      wake_.wait_until(lock, deadline, ready);
      if (stopping_) return;
      planning.swap(to_plan_);
      send_pending_ = false;
    }
    for (TenantId tenant : planning) plan(tenant);
    next_due = send_due();
  }
}

void NotificationWorker::plan(TenantId tenant) {
  Result<int> planned = dispatcher_.plan(tenant);
  if (!planned.ok()) {
    spdlog::warn("notifications: merchant {}: planning stopped: {}", tenant,
                 planned.error().message);
    return;
  }
  // One batch a round, then sending: under a steady stream of new orders planning never runs
  // dry, and planning until it did would starve the sends. What is left is planned next round.
  if (*planned > 0) {
    std::lock_guard lock(mutex_);
    to_plan_.insert(tenant);
  }
}

std::optional<Instant> NotificationWorker::send_due() {
  std::optional<Instant> next;
  for (TenantId tenant : store_.tenant_ids()) {
    int room = options_.max_in_flight - sender_.in_flight();
    if (room <= 0) break;
    Result<int> started = sender_.send_due(tenant, std::min(room, kClaimBatch));
    if (!started.ok()) {
      spdlog::warn("notifications: merchant {}: {}", tenant, started.error().message);
      continue;
    }
    // A full batch means more may be due now: look again at once.
    if (*started == kClaimBatch) {
      std::lock_guard lock(mutex_);
      send_pending_ = true;
    }
    std::optional<Instant> due = sender_.next_due(tenant);
    if (due && (!next || *due < *next)) next = due;
  }
  return next;
}

}  // namespace depot::workers
