#include "workers/notification_worker.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace depot::workers {

namespace {

// The places of a channel with `cap` places that one merchant may hold.
int places_per_merchant(int cap, double share) {
  return std::max(1, static_cast<int>(static_cast<double>(cap) * share));
}

}  // namespace

std::size_t sends_in_flight_at_most(const NotificationWorkerOptions& options) {
  std::size_t most = 0;
  for (const auto& [channel, cap] : options.max_in_flight) most += static_cast<std::size_t>(cap);
  return most;
}

NotificationWorker::NotificationWorker(Store& store, NotificationDispatcher& dispatcher,
                                       NotificationSender& sender,
                                       NotificationWorkerOptions options)
    : store_(store),
      dispatcher_(dispatcher),
      sender_(sender),
      options_(std::move(options)),
      pacer_(options_.pacing) {
  auto spent = [this](std::chrono::nanoseconds writer_time) { pacer_.spent(writer_time); };
  dispatcher_.on_writer_time(spent);
  sender_.on_writer_time(spent);
  sender_.on_outcome([this] { send_finished(); });
}

void NotificationWorker::start() {
  {
    MutexLock lock(mutex_);
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
  sender_.batch_outcomes(true);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "depot-notify");
    loop();
  });
}

void NotificationWorker::stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (!thread_.joinable()) return;
  thread_.join();
  // Nobody calls record_outcomes() any more: what came in and what is still to come is written
  // as it comes.
  sender_.batch_outcomes(false);
  // The answers to those writes call this worker back (on the store's thread): they are heard
  // before stop() returns, so that an owner may let the worker go then.
  sender_.wait_for_writes();
}

// Both signals wake the worker only when it has not been woken since it last looked: under load
// they come thousands of times a second, and one wake-up serves them all.
void NotificationWorker::events_committed(const std::vector<TenantId>& tenants) {
  pacer_.others_committed();
  bool woken = false;
  {
    MutexLock lock(mutex_);
    woken = !to_plan_.empty() || send_pending_;
    to_plan_.insert(tenants.begin(), tenants.end());
  }
  if (!woken) wake_.notify_one();
}

void NotificationWorker::send_finished() {
  bool woken = false;
  {
    MutexLock lock(mutex_);
    woken = !to_plan_.empty() || send_pending_;
    send_pending_ = true;
  }
  if (!woken) wake_.notify_one();
}

void NotificationWorker::loop() {
  std::optional<Instant> next_due;
  std::set<TenantId> planning;  // merchants whose outbox may hold events not yet planned
  bool more_due = false;        // the last round left deliveries that may be due now
  for (;;) {
    bool work_left = !planning.empty() || more_due || sender_.outcomes_to_record();
    std::chrono::nanoseconds owed = pacer_.wait();
    {
      MutexLock lock(mutex_);
      if (work_left && owed.count() > 0) {
        // Owing the writer time: back when it is paid, or at once to stop.
        wake_.wait_for(mutex_, owed, [this]() REQUIRES(mutex_) { return stopping_; });
      } else if (!work_left) {
        auto ready = [this]() REQUIRES(mutex_) {
          return stopping_ || !to_plan_.empty() || send_pending_;
        };
        auto deadline = std::chrono::system_clock::now() + options_.idle;
        if (next_due && *next_due < deadline) deadline = *next_due;
        wake_.wait_until(mutex_, deadline, ready);
      }
      if (stopping_) return;
      planning.merge(to_plan_);
      to_plan_.clear();
      send_pending_ = false;
    }
    more_due = round(planning, next_due);
  }
}

const DispatchBatches& NotificationWorker::batches() const {
  return pacer_.pacing() ? kPacedBatches : kAloneBatches;
}

bool NotificationWorker::round(std::set<TenantId>& planning, std::optional<Instant>& next_due) {
  if (pacer_.wait().count() > 0) return true;
  sender_.record_outcomes(batches().outcomes);
  for (auto it = planning.begin(); it != planning.end();) {
    if (pacer_.wait().count() > 0) return true;
    int batch = batches().events;
    // One batch a round, then sending: under a steady stream of new orders planning never runs
    // dry, and planning until it did would starve the sends. What is left is planned next round.
    it = plan(*it, batch) == batch ? std::next(it) : planning.erase(it);
  }
  if (pacer_.wait().count() > 0) return true;
  // Whatever woke the worker (events planned, a send ended, a retry fell due, a use case that
  // planned a delivery itself: a resend, a fallback after a delivery report), it looks.
  return send_due(batches().claims, next_due);
}

int NotificationWorker::plan(TenantId tenant, int batch) {
  Result<int> planned = dispatcher_.plan(tenant, batch);
  if (!planned.ok()) {
    spdlog::warn("notifications: merchant {}: planning stopped: {}", tenant,
                 planned.error().message);
    return 0;
  }
  return *planned;
}

bool NotificationWorker::send_due(int batch, std::optional<Instant>& next_due) {
  bool more = false;
  next_due.reset();
  auto now = std::chrono::system_clock::now();
  for (TenantId tenant : store_.tenant_ids()) {
    std::map<ChannelKind, int> limits;
    bool channel_free = false;
    for (const auto& [channel, cap] : options_.max_in_flight) {
      int room = cap - sender_.in_flight(channel);
      if (room <= 0) continue;
      channel_free = true;
      room = std::min(room, places_per_merchant(cap, options_.merchant_share) -
                                sender_.in_flight(tenant, channel));
      if (room > 0) limits[channel] = std::min(room, batch);
    }
    if (!channel_free) break;      // every channel is full: a finished send wakes the worker
    if (limits.empty()) continue;  // this merchant holds its share of every free channel
    Result<std::map<ChannelKind, int>> started = sender_.send_due(tenant, limits);
    if (!started.ok()) {
      spdlog::warn("notifications: merchant {}: {}", tenant, started.error().message);
      continue;
    }
    for (const auto& [channel, count] : *started) {
      if (count == batch) more = true;  // a full batch: more may be due now
    }
    // A delivery due already waits for room on its channel, and room wakes the worker; only a
    // time still to come needs the timer.
    std::optional<Instant> due = sender_.next_due(tenant);
    if (due && *due > now && (!next_due || *due < *next_due)) next_due = due;
  }
  return more;
}

}  // namespace depot::workers
