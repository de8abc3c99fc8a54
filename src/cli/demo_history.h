#pragma once
// Records the demo shop's year (demo_plan.h) through the real use cases, so that everything that
// follows from a change — stock and its ledger, events, alerts, rollups — is there as if the year
// had happened. The clock replays the past (demo_replay.h): each day's orders are queued at once
// and committed in a few group commits, the day's other steps likewise, and then the day's sweeps
// run as the scheduler would have run them (shipping reminders, the unpaid timeout, stalled
// parcels). Nothing is sent: the caller moves the notification dispatcher past the history.

#include <chrono>

#include "app/actor.h"
#include "app/carrier_tracker.h"
#include "app/eta_cache.h"
#include "app/rule_book.h"
#include "app/site_address.h"
#include "cli/demo_plan.h"

namespace depot::cli {

// What the use cases that record the history are built from.
struct HistoryParts {
  Store& store;
  MediaStore& media;
  RuleBook& rules;
  CarrierTracker& tracker;
  EtaCache& etas;
  const SiteAddress& site;
};

struct HistorySummary {
  int days = 0;
  std::size_t orders = 0;
  std::chrono::milliseconds took{};
};

// Records `plan` of `window` for the new merchant `owner` acts for (none of the demo's products
// may exist yet). Blocking; throws std::runtime_error naming the step if a use case refuses one.
HistorySummary record_demo_history(const HistoryParts& parts, const Actor& owner,
                                   const DemoWindow& window, const DemoPlan& plan);

}  // namespace depot::cli
