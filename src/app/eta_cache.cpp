#include "app/eta_cache.h"

namespace depot {

std::shared_ptr<const EtaModel> EtaCache::model_of(TenantId tenant, ReadTx& tx, Instant now) {
  {
    MutexLock lock(mutex_);
    auto found = models_.find(tenant);
    if (found != models_.end() && now - found->second.fitted_at < kRefitAfter) {
      return found->second.model;
    }
  }
  // Fitted outside the lock: two threads may both fit after expiry, and the later one wins, which
  // is cheaper than making every reader wait for one fit.
  std::vector<TransitSample> history;
  for (const Parcel& parcel : tx.delivered_parcels(now - std::chrono::days(365), kMaxHistory)) {
    history.push_back({parcel.carrier, parcel.origin, parcel.destination, parcel.shipped_at,
                       *parcel.delivered_at});
  }
  auto model = std::make_shared<const EtaModel>(EtaModel::fit(history));
  MutexLock lock(mutex_);
  models_[tenant] = {model, now};
  return model;
}

EtaEstimate EtaCache::estimate(TenantId tenant, ReadTx& tx, const Parcel& parcel, Instant now) {
  return model_of(tenant, tx, now)
      ->estimate({parcel.carrier, parcel.origin, parcel.destination, parcel.shipped_at});
}

}  // namespace depot
