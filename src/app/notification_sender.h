#pragma once
// The sender's use case (SPEC NTF-2, NTF-5, NTF-6): claims a merchant's due deliveries, hands
// each to its channel, and records every attempt as its outcome arrives: sent; failed and due
// again after a growing, jittered delay (honouring Retry-After); or dead after the last try or a
// permanent refusal. A customer delivery that dies makes way for the next usable channel; when no
// channel is left, one customer-service ticket is opened for the event and the merchant is alerted.
//
// A claim is written before the send starts and holds a lease: a process that stops mid-send
// leaves the delivery due again, to be repeated with the same key so the provider can drop it.
//
// Thread safety: every method may be called from any thread. Outcomes are recorded from the
// channels' threads without waiting for the store.

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "app/channel.h"
#include "app/notification_composer.h"
#include "app/write.h"

namespace depot {

using ChannelSet = std::map<ChannelKind, Channel*>;

class NotificationSender {
 public:
  NotificationSender(Store& store, Clock& clock, const NotificationComposer& composer,
                     ChannelSet channels)
      : store_(store), clock_(clock), composer_(composer), channels_(std::move(channels)) {}

  // Claims up to `limit` of the merchant's due deliveries and starts sending them; answers how
  // many started. Blocking until the claim commits: for the dispatcher's worker.
  Result<int> send_due(TenantId tenant, int limit);
  // At start: deliveries a stopped process left in flight are due now.
  Result<int> release_interrupted(TenantId tenant);
  // When the merchant's next delivery falls due.
  std::optional<Instant> next_due(TenantId tenant);

  int in_flight() const { return in_flight_.load(); }
  // Called after each outcome was recorded, or failed to be (then the delivery is sent again when
  // its lease ends), on the store's writer thread: the worker's wake-up and log. Set before use.
  using RecordListener = std::function<void(std::int64_t notification_id, const Status& stored)>;
  void on_recorded(RecordListener listener) { on_recorded_ = std::move(listener); }

 private:
  struct Claimed {
    Notification notification;
    ChannelAccount account;
    Instant started_at;
  };
  void start(TenantId tenant, Claimed claimed);
  void record(TenantId tenant, std::int64_t id, Instant started_at, SendOutcome outcome,
              bool sandbox);
  double jitter();

  Store& store_;
  Clock& clock_;
  const NotificationComposer& composer_;
  ChannelSet channels_;
  RecordListener on_recorded_;
  std::atomic<int> in_flight_ = 0;
  std::mutex mutex_;
  std::set<std::pair<TenantId, std::int64_t>> sending_;  // GUARDED_BY(mutex_)
  std::mt19937_64 random_{std::random_device{}()};       // GUARDED_BY(mutex_)
};

}  // namespace depot
