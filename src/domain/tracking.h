#pragma once
// Parcel tracking (SPEC TRK-1, TRK-2): the statuses depot speaks whatever the carrier, the table
// that maps the aggregator's state codes onto them, and how a parcel's checkpoints settle its
// status. Pure: callers pass the checkpoints and the time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.h"

namespace depot {

// In the order a parcel normally passes through them; exception and returned may come at any time.
enum class ParcelStatus {
  info_received,  // the carrier has the order, or has collected the parcel
  in_transit,
  out_for_delivery,
  delivered,
  exception,  // held up: refused, damaged, undeliverable, no answer
  returned,   // on its way back, or back with the sender
};

std::string_view to_string(ParcelStatus status);
std::optional<ParcelStatus> parse_parcel_status(std::string_view text);

// The normalised status of one Kuaidi100 `state` code, main (0 在途, 1 揽收, 2 疑难, 3 签收,
// 4 退签, 5 派件, 6 退回, 7 转投, 8 清关, 10–13 customs, 14 拒签) or the finer codes of
// `resultv2=1` (101 已下单 … 1003 转递, 301 本人签收 …); nothing for a code the table does not
// know. A finer code the table does not list maps as its main code would (its leading digit(s)).
std::optional<ParcelStatus> status_of_kuaidi100_state(int state);

// One scan of the parcel, as the carrier reported it or a person entered it.
struct Checkpoint {
  ParcelStatus status = ParcelStatus::in_transit;
  std::string text;       // the carrier's own words, kept as they came
  Instant at;             // when it happened
  std::string location;   // the carrier's area name, when given
  std::string raw_state;  // the carrier's own state code ("5", "301"), empty for manual entries

  bool operator==(const Checkpoint&) const = default;
};

// The parcel's status after `checkpoints`: the status of the latest one (by time; among equal
// times, the later in the list); info_received when there are none.
ParcelStatus parcel_status(const std::vector<Checkpoint>& checkpoints);

// Whether the order is delivered once every parcel has `statuses`: true when there is at least
// one parcel and every one is delivered.
bool every_parcel_delivered(const std::vector<ParcelStatus>& statuses);

// Whether a parcel whose latest news is from `last_update` has stalled at `now`: it is still on
// its way (not delivered, not returned) and nothing was heard for longer than `stall_hours`.
bool tracking_stalled(ParcelStatus status, Instant last_update, Instant now,
                      std::int64_t stall_hours);

}  // namespace depot
