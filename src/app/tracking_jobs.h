#pragma once
// The background side of tracking (SPEC TRK-1, TRK-4): subscribing new parcels with the
// aggregator (retried with backoff), asking it directly about parcels that went quiet, and
// flagging parcels that stalled. Each job does one merchant's due work per call, bounded, so
// workers can call them in rounds.
//
// Thread safety: every member may be called from any thread. Subscriptions and queries are
// leased in the store before they are sent, so a round that overlaps the previous one's answers
// never sends twice; their outcomes are recorded when the aggregator answers.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>

#include "app/carrier_tracker.h"
#include "app/ports.h"
#include "app/tracking_service.h"
#include "concurrency/mutex.h"

namespace depot {

class TrackingJobs {
 public:
  static constexpr int kBatch = 50;
  // Requests one merchant may have open at the aggregator at once: one whose aggregator hangs
  // holds at most these (its other parcels stay due in the store), so the loop's places stay
  // free for the other merchants' requests.
  static constexpr int kInFlightPerMerchant = 32;
  static constexpr int kMaxSubscribeAttempts = 8;
  // How long a subscription or query in flight keeps others off the parcel.
  static constexpr std::chrono::minutes kLease{2};
  // A parcel the aggregator had no news of is asked about again after this.
  static constexpr std::chrono::hours kQueryRetry{2};

  TrackingJobs(Store& store, Clock& clock, CarrierTracker& tracker, const TrackingService& tracking)
      : store_(store), clock_(clock), tracker_(tracker), tracking_(tracking) {}

  // Sends the merchant's due subscriptions; answers how many were sent.
  Result<int> subscribe_due(TenantId tenant);
  // Queries the merchant's parcels that have been quiet for kPollWhenQuiet; answers how many.
  Result<int> query_quiet(TenantId tenant);
  // Flags the parcels that stalled: the customer is told once (tracking.stalled), a merchant alert
  // opens. Answers how many were flagged.
  Result<int> flag_stalled(TenantId tenant);

  // Requests sent whose answers are not recorded yet, in all or for one merchant.
  int in_flight() const { return in_flight_.load(); }
  int in_flight(TenantId tenant) const EXCLUDES(mutex_);
  // Called after each answer is recorded (tests wait on it; workers may count).
  void on_recorded(std::function<void()> listener) { recorded_ = std::move(listener); }

 private:
  void subscribed(TenantId tenant, std::int64_t parcel_id, Status outcome);
  void queried(TenantId tenant, std::int64_t parcel_id, Result<TrackingReport> outcome);
  // How many more requests the merchant may send now, at most `batch`.
  int room(TenantId tenant, int batch) const EXCLUDES(mutex_);
  void started(TenantId tenant) EXCLUDES(mutex_);
  void finished(TenantId tenant) EXCLUDES(mutex_);

  Store& store_;
  Clock& clock_;
  CarrierTracker& tracker_;
  const TrackingService& tracking_;
  std::atomic<int> in_flight_{0};
  mutable Mutex mutex_;
  std::map<TenantId, int> merchant_in_flight_ GUARDED_BY(mutex_);
  std::function<void()> recorded_;
};

// The wait before subscription attempt `attempt` + 1 after a failure that may pass: 1 minute,
// then four times longer each time, at most 6 hours.
std::chrono::milliseconds subscribe_backoff(int attempt);

}  // namespace depot
