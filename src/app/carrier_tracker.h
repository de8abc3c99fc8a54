#pragma once
// The carrier tracking port (SPEC TRK-1): a tracking aggregator that follows parcels for depot.
// depot subscribes each new parcel once; the aggregator then pushes every change to a per-merchant
// callback URL; a parcel that has gone quiet is queried directly. An adapter speaking Kuaidi100's
// protocol implements it (src/carriers/kuaidi100/).
//
// Thread safety: subscribe() and query() may be called from any thread and never wait on the
// network; `done` runs exactly once, on a thread of the adapter's choosing, and must not block.
// read_push() is a pure function of its input and may be called from any thread.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"
#include "domain/tracking.h"

namespace depot {

// A merchant's account with the aggregator (PUT /api/v1/carriers/kuaidi100).
struct TrackingAccount {
  std::string url;       // the aggregator's base URL, without a trailing slash
  std::string key;       // the merchant's authorisation key
  std::string customer;  // the merchant's customer id, for real-time queries
  std::string salt;      // signs the aggregator's pushes to depot
};

// One parcel to follow.
struct TrackedParcel {
  std::string company;       // the aggregator's carrier code ("shunfeng")
  std::string number;        // the tracking number
  std::string phone;         // the recipient's phone: SF and a few others need it (may be empty)
  std::string callback_url;  // where the aggregator pushes changes (subscribe only)
};

// What the aggregator knows of a parcel: its checkpoints, newest first as it sends them, mapped to
// depot's statuses (a checkpoint whose state the table does not know takes the parcel's state).
struct TrackingReport {
  std::string company;
  std::string number;
  std::optional<int> state;  // the parcel's current state code, when given
  bool signed_for = false;   // `ischeck`: the carrier considers the parcel delivered
  std::vector<Checkpoint> checkpoints;
  std::optional<Instant> eta;  // the carrier's own estimate, when given
  // The push is the aggregator giving up on the parcel (status "abort", e.g. no news for days, or
  // a number it cannot follow); `message` says why. The checkpoints may still be useful.
  bool aborted = false;
  std::string message;
};

class CarrierTracker {
 public:
  virtual ~CarrierTracker() = default;

  // Asks the aggregator to follow `parcel` and push to its callback URL. Answers ok once the
  // aggregator accepted (or already had) the subscription; `unavailable` for what a retry may cure
  // (transport failure, 5xx, throttling); `invalid` for a refusal retrying cannot fix (a bad key,
  // an unknown carrier or number), with the aggregator's words in the message.
  virtual void subscribe(const TrackingAccount& account, const TrackedParcel& parcel,
                         std::function<void(Status)> done) = 0;

  // The parcel's tracking now, by the aggregator's real-time query. Errors as for subscribe;
  // `not_found` when the aggregator has no news of the number yet.
  virtual void query(const TrackingAccount& account, const TrackedParcel& parcel,
                     std::function<void(Result<TrackingReport>)> done) = 0;

  // Reads one push the aggregator sent to the callback URL, given the form's `param` and `sign`
  // fields. Refuses (`unauthenticated`) a push whose signature does not match the account's salt,
  // and (`invalid`, naming the field) one that cannot be read.
  virtual Result<TrackingReport> read_push(const TrackingAccount& account, std::string_view param,
                                           std::string_view sign) const = 0;
};

}  // namespace depot
