#pragma once
// Parcel tracking for the merchant (SPEC TRK-1 … TRK-3): the aggregator account, an order's
// parcels with their timelines and ETAs, checkpoints entered by hand or by CSV, and the
// aggregator's pushes. The background work (subscriptions, real-time queries, stalls) is in
// TrackingJobs; the public page in PublicTracking.
//
// Thread safety: every member may be called from any thread; callbacks run on the store's writer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/carrier_tracker.h"
#include "app/eta_cache.h"
#include "app/ports.h"
#include "app/site_address.h"
#include "app/write.h"

namespace depot {

// PUT /api/v1/carriers/kuaidi100. The key and the salt are secrets: left empty on an update, the
// stored ones are kept, and they are never shown again.
struct CarrierAccountInput {
  std::string url;
  std::string key;
  std::string customer;
  std::string salt;
};

struct CarrierAccountView {
  std::string url;
  std::string customer;
  bool key_set = false;
  bool salt_set = false;
  std::string callback_url;  // where the aggregator pushes: sent with every subscription
  Instant updated_at;
  bool created = false;  // this request set the account up
};

struct ParcelView {
  Parcel parcel;
  std::vector<StoredCheckpoint> checkpoints;  // oldest first
  // The expected arrival: the carrier's own, else depot's estimate; nothing once the parcel is
  // no longer on its way.
  std::optional<Instant> eta;
  std::optional<Instant> eta_late;  // by when four in five such parcels arrive (estimates only)
  std::string eta_basis;            // "carrier", "route", "carrier_history", "default"
};

struct OrderTracking {
  Order order;
  std::vector<ParcelView> parcels;
  std::string tracking_url;  // the public page, signed
};

// A checkpoint entered by a person; the status is one of depot's parcel statuses.
struct CheckpointInput {
  std::string status;
  std::string text;
  std::optional<Instant> at;  // now when not given
  std::string location;
};

// One row of a tracking CSV, as read; `column`/`message` are set when it could not be read.
struct CheckpointRow {
  std::int64_t line = 0;
  std::string tracking_no;
  CheckpointInput checkpoint;
  std::string column;
  std::string message;
};

struct RowProblem {
  std::int64_t line = 0;
  std::string column;
  std::string message;
};

struct CheckpointImport {
  int applied = 0;    // rows that added a checkpoint
  int unchanged = 0;  // rows the parcel already had
  std::vector<RowProblem> failed;
};

class TrackingService {
 public:
  static constexpr std::size_t kMaxImportRows = 10000;

  TrackingService(Store& store, Clock& clock, const CarrierTracker& tracker, EtaCache& etas,
                  const SiteAddress& site)
      : store_(store), clock_(clock), tracker_(tracker), etas_(etas), site_(site) {}

  // Where this merchant's callbacks and public pages are served.
  std::string site_url(const MerchantSettings& settings) const {
    return site_.of(settings.notify.public_url);
  }

  Result<CarrierAccountView> carrier_account(const Actor& actor);
  void save_carrier_account(const Actor& actor, CarrierAccountInput input,
                            Callback<CarrierAccountView> done);

  Result<OrderTracking> order_tracking(const Actor& actor, std::int64_t order_id);
  // One parcel (an order's shipment id or a return parcel's id) with its timeline and ETA.
  Result<ParcelView> parcel(const Actor& actor, std::int64_t parcel_id);
  // Checkpoints entered by hand for one parcel; answers the parcel as stored.
  void add_checkpoints(const Actor& actor, std::int64_t parcel_id,
                       std::vector<CheckpointInput> checkpoints, Callback<Parcel> done);
  void import_checkpoints(const Actor& actor, std::vector<CheckpointRow> rows,
                          Callback<CheckpointImport> done);

  // A push to /api/v1/hooks/kuaidi100/{tenant}/{token}: the form's `param` and `sign`. Answers the
  // number of new checkpoints; `not_found` for an address that is not the merchant's, the tracker's
  // `unauthenticated` for a bad signature (nothing is stored either way).
  void receive_push(TenantId tenant, const std::string& token, const std::string& param,
                    const std::string& sign, Callback<int> done);

  // A parcel with its checkpoints and ETA, from a snapshot of the merchant's data.
  ParcelView view_of(TenantId tenant, ReadTx& tx, Parcel parcel, Instant now);

  // The address the aggregator pushes this merchant's parcels to.
  std::string callback_url(TenantId tenant, const MerchantSettings& settings,
                           const std::string& token) const;

 private:
  CarrierAccountView view_of(TenantId tenant, const MerchantSettings& settings,
                             const CarrierAccount& account) const;

  Store& store_;
  Clock& clock_;
  const CarrierTracker& tracker_;
  EtaCache& etas_;
  const SiteAddress& site_;
};

// The parcel status a person typed, or an `invalid` error naming `field`.
Result<ParcelStatus> parcel_status_of(const std::string& text, const std::string& field);

}  // namespace depot
