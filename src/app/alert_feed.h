#pragma once
// Merchant alerts as they happen (SPEC NTF-7): the alert events of the outbox (stock.low,
// order.held, shipment.overdue, shipment.escalated, notification.dead; see is_alert_event) fanned
// out to whoever watches each merchant, such as the console's Server-Sent Events stream.
//
// The store's commit hook calls notify() with the merchants whose events were just committed. One
// background thread then reads those merchants' new events from their subscribers' position on
// and hands the alerts among them to each subscriber, in id order and at most once.
//
// Thread safety: every member is safe to call from any thread. Subscribers' callbacks run while
// the feed holds its lock: on the feed's thread, or for a resume's backlog on the thread that
// subscribes. They must be quick, must not block and must not call back into the feed.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/ports.h"
#include "concurrency/mutex.h"

namespace depot {

struct AlertFeedOptions {
  // More subscribers than this for one merchant are refused (rate_limited).
  std::size_t max_subscribers_per_tenant = 32;
  // A resume looks at no more than this many of the merchant's events after the id it names: the
  // alerts among them are replayed, and older gaps are skipped (GET /api/v1/alerts lists what is
  // open). This bounds the work a reconnect with a stale id can cause.
  int resume_scan_limit = 500;
  // Events read per merchant in one step.
  int read_batch = 200;
  // Told (on the feed's thread) when a merchant's events could not be read; that merchant's
  // subscriptions were ended so that their streams resume from their last id.
  std::function<void(TenantId, const std::string&)> on_error = nullptr;
};

class AlertFeed {
 public:
  // Receives one alert event.
  using Deliver = std::function<void(const EventRecord&)>;
  // The subscription was ended by the feed (stop(), or its merchant's events could not be read):
  // no Deliver follows.
  using Ended = std::function<void()>;

  // Ends its subscription when destroyed: after that, none of its callbacks runs. Must not
  // outlive the feed.
  class Subscription {
   public:
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ~Subscription();

   private:
    friend class AlertFeed;
    Subscription(AlertFeed* feed, TenantId tenant, std::uint64_t id)
        : feed_(feed), tenant_(tenant), id_(id) {}
    AlertFeed* feed_;
    TenantId tenant_;
    std::uint64_t id_;
  };

  explicit AlertFeed(Store& store, AlertFeedOptions options = {});
  ~AlertFeed();
  AlertFeed(const AlertFeed&) = delete;
  AlertFeed& operator=(const AlertFeed&) = delete;

  void start();
  // Ends every subscription (each gets Ended), refuses new ones and joins the thread.
  void stop();

  // The commit hook: these merchants have new events. Only takes the lock for a moment; never
  // touches the store.
  void notify(const std::vector<TenantId>& tenants);

  // Delivers `tenant`'s alerts committed after this call. With `after_id` (the id of the last
  // event the subscriber saw), first hands it the alerts after that id, before returning (see
  // resume_scan_limit). Refused with rate_limited when the merchant has too many subscribers and
  // with unavailable once stopped. Blocking: reads the store.
  Result<Subscription> subscribe(TenantId tenant, std::optional<std::int64_t> after_id,
                                 Deliver deliver, Ended ended);

 private:
  struct Subscriber {
    Deliver deliver;
    Ended ended;
    std::int64_t position = 0;  // the last event id this subscriber is past
  };
  using Subscribers = std::map<std::uint64_t, Subscriber>;

  void run() EXCLUDES(mutex_);
  // Hands `batch` (events after `from`) to the tenant's subscribers and moves them past it.
  void deliver(Subscribers& subscribers, std::int64_t from, const std::vector<EventRecord>& batch)
      REQUIRES(mutex_);
  // Removes the tenant's subscribers and tells each that it ended. The caller destroys them once it
  // has released the lock: a callback may hold the last reference to what owns a Subscription,
  // whose destructor takes the lock.
  Subscribers end_all(TenantId tenant) REQUIRES(mutex_);
  void unsubscribe(TenantId tenant, std::uint64_t id) EXCLUDES(mutex_);

  Store& store_;
  AlertFeedOptions options_;
  Mutex mutex_;
  ConditionVariable wake_;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::uint64_t next_id_ GUARDED_BY(mutex_) = 1;
  std::map<TenantId, Subscribers> tenants_ GUARDED_BY(mutex_);  // only tenants with subscribers
  std::set<TenantId> pending_ GUARDED_BY(mutex_);               // tenants with unread events
  std::thread thread_;
};

}  // namespace depot
