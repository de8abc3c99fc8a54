#pragma once
// What follows from news of a parcel, whoever brought it (the aggregator's push, a real-time
// query, a person, a CSV file): its checkpoints stored once, its status settled, the customer's
// events, the order delivered when its last parcel is, a stall ended. Runs inside a write.

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "app/ports.h"

namespace depot {

// The kind of the merchant alert a stalled parcel opens (one per parcel: its tracking number is
// the alert's `sku`).
inline constexpr std::string_view kStalledParcelAlert = "tracking_stalled";

// How long a parcel may stay quiet before depot asks the aggregator itself, and how often after.
inline constexpr std::chrono::hours kPollWhenQuiet{12};

// The tracking record of a parcel the merchant just sent: following starts at once (the
// subscription is due now) and the route is the order's destination province.
Parcel new_parcel(const Order& order, const Shipment& shipment, Instant now);

// Starts following the parcel a return comes back in, like any parcel (a replaced parcel is
// no longer followed).
void follow_return_parcel(WriteTx& tx, const ReturnRequest& request, Instant now);

// Stores the checkpoints the parcel does not have yet (and the carrier's ETA, when given) and
// settles what follows; writes the parcel. Answers how many checkpoints were new: 0 means a
// repeated report, which changes nothing.
int record_progress(WriteTx& tx, Parcel& parcel, const std::vector<Checkpoint>& checkpoints,
                    std::optional<Instant> carrier_eta, std::string_view source, Instant now);

}  // namespace depot
