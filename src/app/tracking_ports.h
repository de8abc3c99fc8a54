#pragma once
// The store's interfaces for parcel tracking (SPEC TRK-1 … TRK-5): the aggregator account, each
// parcel's checkpoints and status, subscriptions still to make, quiet and stalled parcels, and the
// delivered parcels ETAs are learnt from. ReadTx and WriteTx (app/ports.h) include them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/carrier_tracker.h"
#include "domain/time.h"
#include "domain/tracking.h"

namespace depot {

// Where a parcel's subscription with the aggregator stands.
enum class Subscription {
  pending,     // to be made (or retried) at next_subscribe_at, once an account is set up
  subscribed,  // the aggregator pushes changes
  failed,      // refused for good (a bad number, a bad key): the parcel is followed by hand
};
std::string_view to_string(Subscription subscription);
std::optional<Subscription> parse_subscription(std::string_view text);

// The merchant's account with the tracking aggregator, and the secret path part it pushes to.
struct CarrierAccount {
  TrackingAccount account;
  std::string callback_token;
  Instant updated_at;
};

// One parcel's tracking: a parcel the merchant sent (its id is the shipment's) or one coming back
// (return_id > 0).
struct Parcel {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::int64_t return_id = 0;
  std::string carrier;  // depot's carrier code
  std::string tracking_no;
  std::string phone;   // the recipient's, for carriers that ask for it
  std::string origin;  // province codes of the route; empty when not known
  std::string destination;
  ParcelStatus status = ParcelStatus::info_received;
  bool active = true;  // still on its way: not delivered, not back with the sender
  Instant shipped_at;
  Instant last_update_at;  // the newest checkpoint's time, or shipped_at before any
  std::optional<Instant> delivered_at;
  std::optional<Instant> eta;  // the carrier's own estimate, when it gave one
  std::optional<Instant> stalled_at;
  bool stall_notified = false;  // the customer was told once that it stalled
  Subscription subscription = Subscription::pending;
  int subscribe_attempts = 0;
  std::string subscribe_error;
  std::optional<Instant> next_subscribe_at;
  std::optional<Instant> next_poll_at;
};

// A checkpoint as stored, with where it came from: push, poll, manual or csv.
struct StoredCheckpoint {
  Checkpoint checkpoint;
  std::string source;
};

class TrackingReads {
 public:
  virtual ~TrackingReads() = default;
  virtual std::optional<CarrierAccount> carrier_account() = 0;
  // The key that signs this merchant's public tracking links.
  virtual std::string link_key() = 0;
  virtual std::optional<Parcel> find_parcel(std::int64_t id) = 0;
  virtual std::vector<Parcel> parcels_of(std::int64_t order_id) = 0;  // by id
  virtual std::vector<Parcel> parcels_by_number(const std::string& tracking_no) = 0;
  // Oldest first.
  virtual std::vector<StoredCheckpoint> checkpoints_of(std::int64_t parcel_id) = 0;
  // Parcels whose subscription is due by `now`, soonest first.
  virtual std::vector<Parcel> parcels_to_subscribe(Instant now, int limit) = 0;
  // Active parcels due for a real-time query by `now`, soonest first.
  virtual std::vector<Parcel> parcels_to_poll(Instant now, int limit) = 0;
  // Active, not yet stalled parcels whose last update is before `before`, oldest first, after
  // (after_update, after_id) of the previous page.
  virtual std::vector<Parcel> quiet_parcels(Instant before, Instant after_update,
                                            std::int64_t after_id, int limit) = 0;
  // Delivered parcels the merchant sent, delivered at or after `since`, newest first.
  virtual std::vector<Parcel> delivered_parcels(Instant since, int limit) = 0;
};

class TrackingWrites {
 public:
  virtual ~TrackingWrites() = default;
  virtual void save_carrier_account(const CarrierAccount& account) = 0;
  // A parcel without an id (one coming back) gets one from the sequence shipments take theirs
  // from, so a parcel's id never meets a shipment's.
  virtual void insert_parcel(Parcel& parcel) = 0;
  virtual void update_parcel(const Parcel& parcel) = 0;
  // Stores the checkpoint unless the parcel already has one at the same time with the same text;
  // answers whether it was new.
  virtual bool add_checkpoint(std::int64_t parcel_id, const Checkpoint& checkpoint,
                              std::string_view source, Instant now) = 0;
};

}  // namespace depot
