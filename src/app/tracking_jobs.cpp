#include "app/tracking_jobs.h"

#include <algorithm>

#include "app/parcel_progress.h"
#include "app/write.h"
#include "domain/carriers.h"
#include "domain/event_catalog.h"

namespace depot {

namespace {

// What the aggregator needs to follow a parcel; nothing for a carrier it has no code for.
std::optional<TrackedParcel> tracked(const Parcel& parcel, const std::string& callback_url) {
  const Carrier* carrier = find_carrier(parcel.carrier);
  if (carrier == nullptr || carrier->kuaidi100.empty()) return std::nullopt;
  return TrackedParcel{std::string(carrier->kuaidi100), parcel.tracking_no, parcel.phone,
                       callback_url};
}

struct Leased {
  TrackingAccount account;
  std::vector<std::pair<std::int64_t, TrackedParcel>> parcels;
};

}  // namespace

std::chrono::milliseconds subscribe_backoff(int attempt) {
  std::chrono::milliseconds delay = std::chrono::minutes(1);
  for (int n = 1; n < attempt && delay < std::chrono::hours(6); ++n) delay *= 4;
  return std::min<std::chrono::milliseconds>(delay, std::chrono::hours(6));
}

int TrackingJobs::in_flight(TenantId tenant) const {
  MutexLock lock(mutex_);
  auto found = merchant_in_flight_.find(tenant);
  return found == merchant_in_flight_.end() ? 0 : found->second;
}

int TrackingJobs::room(TenantId tenant, int batch) const {
  return std::min(batch, kInFlightPerMerchant - in_flight(tenant));
}

void TrackingJobs::started(TenantId tenant) {
  ++in_flight_;
  MutexLock lock(mutex_);
  ++merchant_in_flight_[tenant];
}

void TrackingJobs::finished(TenantId tenant) {
  {
    MutexLock lock(mutex_);
    auto found = merchant_in_flight_.find(tenant);
    if (--found->second == 0) merchant_in_flight_.erase(found);
  }
  --in_flight_;
  if (recorded_) recorded_();
}

Result<int> TrackingJobs::subscribe_due(TenantId tenant) {
  int batch = room(tenant, kBatch);
  if (batch <= 0) return 0;  // the merchant's requests so far are still open
  // Most rounds find nothing due: a read says so without taking the writer.
  if (store_.read(tenant)->parcels_to_subscribe(clock_.now(), 1).empty()) return 0;
  Result<Leased> leased =
      run_write_blocking<Leased>(store_, tenant, [&](WriteTx& tx) -> Result<Leased> {
        Leased out;
        std::optional<CarrierAccount> account = tx.carrier_account();
        if (!account) return out;
        out.account = account->account;
        std::string callback =
            tracking_.callback_url(tenant, tx.settings(), account->callback_token);
        Instant now = clock_.now();
        for (Parcel& parcel : tx.parcels_to_subscribe(now, batch)) {
          std::optional<TrackedParcel> request = tracked(parcel, callback);
          parcel.subscribe_attempts += 1;
          if (!request) {
            parcel.subscription = Subscription::failed;
            parcel.subscribe_error = "the aggregator has no code for carrier " + parcel.carrier;
            parcel.next_subscribe_at.reset();
          } else {
            parcel.next_subscribe_at = now + kLease;
            out.parcels.emplace_back(parcel.id, std::move(*request));
          }
          tx.update_parcel(parcel);
        }
        return out;
      });
  if (!leased.ok()) return leased.error();
  for (auto& [id, request] : leased->parcels) {
    started(tenant);
    tracker_.subscribe(leased->account, request, [this, tenant, id = id](Status outcome) {
      subscribed(tenant, id, std::move(outcome));
    });
  }
  return static_cast<int>(leased->parcels.size());
}

void TrackingJobs::subscribed(TenantId tenant, std::int64_t parcel_id, Status outcome) {
  run_write<bool>(
      store_, tenant,
      [this, parcel_id, outcome = std::move(outcome)](WriteTx& tx) -> Result<bool> {
        std::optional<Parcel> parcel = tx.find_parcel(parcel_id);
        if (!parcel) return false;
        if (outcome.ok()) {
          parcel->subscription = Subscription::subscribed;
          parcel->subscribe_error.clear();
          parcel->next_subscribe_at.reset();
        } else if (outcome.error().code == ErrorCode::unavailable &&
                   parcel->subscribe_attempts < kMaxSubscribeAttempts) {
          parcel->subscribe_error = outcome.error().message;
          parcel->next_subscribe_at = clock_.now() + subscribe_backoff(parcel->subscribe_attempts);
        } else {
          parcel->subscription = Subscription::failed;
          parcel->subscribe_error = outcome.error().message;
          parcel->next_subscribe_at.reset();
        }
        tx.update_parcel(*parcel);
        return true;
      },
      Callback<bool>([this, tenant](const Result<bool>&) { finished(tenant); }));
}

Result<int> TrackingJobs::query_quiet(TenantId tenant) {
  int batch = room(tenant, kBatch);
  if (batch <= 0) return 0;
  if (store_.read(tenant)->parcels_to_poll(clock_.now(), 1).empty()) return 0;
  Result<Leased> leased =
      run_write_blocking<Leased>(store_, tenant, [&](WriteTx& tx) -> Result<Leased> {
        Leased out;
        std::optional<CarrierAccount> account = tx.carrier_account();
        if (!account) return out;
        out.account = account->account;
        Instant now = clock_.now();
        for (Parcel& parcel : tx.parcels_to_poll(now, batch)) {
          std::optional<TrackedParcel> request = tracked(parcel, "");
          // A carrier the aggregator cannot follow is only ever updated by hand.
          parcel.next_poll_at = request ? std::optional<Instant>(now + kLease) : std::nullopt;
          tx.update_parcel(parcel);
          if (request) out.parcels.emplace_back(parcel.id, std::move(*request));
        }
        return out;
      });
  if (!leased.ok()) return leased.error();
  for (auto& [id, request] : leased->parcels) {
    started(tenant);
    tracker_.query(leased->account, request,
                   [this, tenant, id = id](Result<TrackingReport> outcome) {
                     queried(tenant, id, std::move(outcome));
                   });
  }
  return static_cast<int>(leased->parcels.size());
}

void TrackingJobs::queried(TenantId tenant, std::int64_t parcel_id,
                           Result<TrackingReport> outcome) {
  run_write<bool>(
      store_, tenant,
      [this, parcel_id, outcome = std::move(outcome)](WriteTx& tx) -> Result<bool> {
        std::optional<Parcel> parcel = tx.find_parcel(parcel_id);
        if (!parcel) return false;
        Instant now = clock_.now();
        if (outcome.ok()) {
          record_progress(tx, *parcel, outcome->checkpoints, outcome->eta, "poll", now);
          return true;
        }
        if (parcel->active) parcel->next_poll_at = now + kQueryRetry;
        tx.update_parcel(*parcel);
        return true;
      },
      Callback<bool>([this, tenant](const Result<bool>&) { finished(tenant); }));
}

Result<int> TrackingJobs::flag_stalled(TenantId tenant) {
  {
    std::unique_ptr<ReadTx> tx = store_.read(tenant);
    Instant quiet_since =
        clock_.now() - std::chrono::hours(tx->settings().tracking.shortest_stall_hours());
    if (tx->quiet_parcels(quiet_since, Instant{}, 0, 1).empty()) {
      return 0;
    }
  }
  return run_write_blocking<int>(store_, tenant, [this](WriteTx& tx) -> Result<int> {
    Instant now = clock_.now();
    TrackingPolicy policy = tx.settings().tracking;
    std::int64_t shortest = policy.shortest_stall_hours();
    int flagged = 0;
    Instant after_update{};
    std::int64_t after_id = 0;
    // Bounded per round so one merchant's backlog cannot hold the writer.
    for (int page = 0; page < 5; ++page) {
      std::vector<Parcel> quiet =
          tx.quiet_parcels(now - std::chrono::hours(shortest), after_update, after_id, 200);
      for (Parcel& parcel : quiet) {
        after_update = parcel.last_update_at;
        after_id = parcel.id;
        std::int64_t hours = policy.stall_hours_for(parcel.carrier);
        if (!tracking_stalled(parcel.status, parcel.last_update_at, now, hours)) continue;
        parcel.stalled_at = now;
        std::optional<Order> order = tx.find_order(parcel.order_id);
        if (order && parcel.return_id == 0 && !parcel.stall_notified) {
          tx.append_event(
              events::tracking_stalled(*order, parcel.id, parcel.carrier, parcel.tracking_no,
                                       parcel.last_update_at, hours),
              now);
          parcel.stall_notified = true;
        }
        if (!tx.find_open_alert(std::string(kStalledParcelAlert), parcel.tracking_no,
                                parcel.order_id)) {
          Alert alert;
          alert.kind = std::string(kStalledParcelAlert);
          alert.sku = parcel.tracking_no;
          alert.order_id = parcel.order_id;
          alert.message = "no tracking news of parcel " + parcel.carrier + " " +
                          parcel.tracking_no + " for more than " + std::to_string(hours) + " hours";
          alert.opened_at = now;
          tx.open_alert(alert);
        }
        tx.update_parcel(parcel);
        ++flagged;
      }
      if (quiet.size() < 200) break;
    }
    return flagged;
  });
}

}  // namespace depot
