#pragma once
// Which of the history's day sweeps find work (part of demo_history.h): the shipping reminders
// on a day when an order still waiting to ship reaches a new reminder level, the unpaid timeout
// on a day when an unpaid order timed out since the sweep before. The recorder runs those use
// cases on those days only: on any other day they would change nothing, and each costs a commit.
// (The stalled-parcel sweep reads before it writes, so it always runs.) Pure.

#include <chrono>
#include <set>

#include "cli/demo_plan.h"
#include "domain/ship_reminders.h"

namespace depot::cli {

struct SweepDays {
  std::set<Day> reminders;
  std::set<Day> unpaid;
};

SweepDays sweep_days(const DemoWindow& window, const DemoPlan& plan, const ShipPromise& promise,
                     std::chrono::seconds unpaid_timeout);

}  // namespace depot::cli
