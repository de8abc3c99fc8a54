#pragma once
// ETA models per merchant (SPEC TRK-3), learnt from the merchant's delivered parcels and kept for a
// while: fitting reads up to a year of deliveries, which is too much to do per request, and the
// history changes slowly.
//
// Thread safety: estimate() may be called from any thread at once.

#include <chrono>
#include <memory>
#include <unordered_map>

#include "app/ports.h"
#include "concurrency/mutex.h"
#include "domain/eta.h"

namespace depot {

class EtaCache {
 public:
  static constexpr std::chrono::minutes kRefitAfter{60};
  static constexpr int kMaxHistory = 50000;

  // The expected arrival of an active parcel the carrier gave no ETA for, learnt from what `tx`
  // (the merchant's snapshot) holds; refits when the model is older than kRefitAfter.
  EtaEstimate estimate(TenantId tenant, ReadTx& tx, const Parcel& parcel, Instant now);

  // The merchant's fitted model itself, for questions about routes rather than one parcel
  // (shipping advice); fitted or refitted as estimate() does.
  std::shared_ptr<const EtaModel> model_of(TenantId tenant, ReadTx& tx, Instant now);

 private:
  struct Fitted {
    std::shared_ptr<const EtaModel> model;
    Instant fitted_at;
  };

  Mutex mutex_;
  std::unordered_map<TenantId, Fitted> models_ GUARDED_BY(mutex_);
};

}  // namespace depot
