#include "app/alert_feed.h"

#include <pthread.h>

#include <algorithm>
#include <utility>

#include "domain/notification.h"

namespace depot {

AlertFeed::Subscription::Subscription(Subscription&& other) noexcept
    : feed_(std::exchange(other.feed_, nullptr)), tenant_(other.tenant_), id_(other.id_) {}

AlertFeed::Subscription& AlertFeed::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    if (feed_) feed_->unsubscribe(tenant_, id_);
    feed_ = std::exchange(other.feed_, nullptr);
    tenant_ = other.tenant_;
    id_ = other.id_;
  }
  return *this;
}

AlertFeed::Subscription::~Subscription() {
  if (feed_) feed_->unsubscribe(tenant_, id_);
}

AlertFeed::AlertFeed(Store& store, AlertFeedOptions options)
    : store_(store), options_(std::move(options)) {}

AlertFeed::~AlertFeed() { stop(); }

void AlertFeed::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "depot-alerts");
    run();
  });
}

void AlertFeed::stop() {
  std::vector<Subscribers> ended;
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    while (!tenants_.empty()) ended.push_back(end_all(tenants_.begin()->first));
  }
  ended.clear();  // their callbacks are let go without the lock: see end_all()
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertFeed::notify(const std::vector<TenantId>& tenants) {
  bool watched = false;
  {
    MutexLock lock(mutex_);
    for (TenantId tenant : tenants) {
      if (tenants_.count(tenant)) {
        pending_.insert(tenant);
        watched = true;
      }
    }
  }
  if (watched) wake_.notify_one();
}

Result<AlertFeed::Subscription> AlertFeed::subscribe(TenantId tenant,
                                                     std::optional<std::int64_t> after_id,
                                                     Deliver deliver, Ended ended) {
  auto refusal = [this, tenant]() REQUIRES(mutex_) -> std::optional<Error> {
    if (stopping_) return error(ErrorCode::unavailable, "the alert feed is stopping");
    auto found = tenants_.find(tenant);
    if (found != tenants_.end() && found->second.size() >= options_.max_subscribers_per_tenant) {
      return error(ErrorCode::rate_limited,
                   "too many alert streams for this merchant: at most " +
                       std::to_string(options_.max_subscribers_per_tenant) + " at once");
    }
    return std::nullopt;
  };
  {
    // Refused before reading the store, so a refused client retrying costs nothing.
    MutexLock lock(mutex_);
    if (std::optional<Error> refused = refusal()) return *refused;
  }
  std::int64_t latest = 0;
  std::vector<EventRecord> backlog;
  {
    std::unique_ptr<ReadTx> tx = store_.read(tenant);
    latest = tx->latest_event_id();
    // An id past the newest event (another database, or made up) resumes from now.
    if (after_id && *after_id < latest) {
      for (EventRecord& record : tx->events_after(*after_id, options_.resume_scan_limit)) {
        if (record.id <= latest && is_alert_event(record.event.type)) {
          backlog.push_back(std::move(record));
        }
      }
    }
  }
  std::uint64_t id = 0;
  {
    MutexLock lock(mutex_);
    if (std::optional<Error> refused = refusal()) return *refused;
    for (const EventRecord& record : backlog) deliver(record);
    id = next_id_++;
    tenants_[tenant].emplace(id, Subscriber{std::move(deliver), std::move(ended), latest});
    // Events committed between the read above and now were announced while this subscriber was
    // not yet listed: look for them.
    pending_.insert(tenant);
  }
  wake_.notify_one();
  return Subscription(this, tenant, id);
}

void AlertFeed::unsubscribe(TenantId tenant, std::uint64_t id) {
  Subscribers gone;  // destroyed after the lock is released: see end_all()
  MutexLock lock(mutex_);
  auto found = tenants_.find(tenant);
  if (found == tenants_.end()) return;
  if (auto node = found->second.extract(id)) gone.insert(std::move(node));
  if (found->second.empty()) tenants_.erase(found);
}

AlertFeed::Subscribers AlertFeed::end_all(TenantId tenant) {
  auto found = tenants_.find(tenant);
  if (found == tenants_.end()) return {};
  Subscribers ended = std::move(found->second);
  tenants_.erase(found);
  for (auto& [id, subscriber] : ended) subscriber.ended();
  return ended;
}

void AlertFeed::run() {
  MutexLock lock(mutex_);
  while (true) {
    wake_.wait(mutex_, [this]() REQUIRES(mutex_) { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    std::set<TenantId> tenants;
    tenants.swap(pending_);
    for (TenantId tenant : tenants) {
      auto found = tenants_.find(tenant);
      if (found == tenants_.end()) continue;
      std::int64_t from = found->second.begin()->second.position;
      for (const auto& [id, subscriber] : found->second) from = std::min(from, subscriber.position);
      // The store is read without the lock: notify() and subscribe() never wait on a read.
      lock.unlock();
      std::vector<EventRecord> batch;
      std::optional<std::string> failure;
      try {
        batch = store_.read(tenant)->events_after(from, options_.read_batch);
      } catch (const std::exception& e) {
        failure = e.what();
      }
      lock.lock();
      if (stopping_) return;
      if (failure) {
        // Reported before the subscriptions end, so whoever sees the end can see why.
        if (options_.on_error) options_.on_error(tenant, *failure);
        Subscribers ended = end_all(tenant);
        lock.unlock();
        ended.clear();
        lock.lock();
        if (stopping_) return;
        continue;
      }
      found = tenants_.find(tenant);
      if (found == tenants_.end()) continue;
      deliver(found->second, from, batch);
      bool behind = std::any_of(found->second.begin(), found->second.end(),
                                [from](const auto& entry) { return entry.second.position < from; });
      if (behind || batch.size() == static_cast<std::size_t>(options_.read_batch)) {
        pending_.insert(tenant);
      }
    }
  }
}

void AlertFeed::deliver(Subscribers& subscribers, std::int64_t from,
                        const std::vector<EventRecord>& batch) {
  if (batch.empty()) return;
  for (auto& [id, subscriber] : subscribers) {
    // Listed during the read with a position older than `from`: the batch does not cover its
    // gap, so it waits for the next read, which starts at its position.
    if (subscriber.position < from) continue;
    for (const EventRecord& record : batch) {
      if (record.id > subscriber.position && is_alert_event(record.event.type)) {
        subscriber.deliver(record);
      }
    }
    subscriber.position = std::max(subscriber.position, batch.back().id);
  }
}

}  // namespace depot
