#include "cli/demo_sweeps.h"

#include <map>
#include <optional>

namespace depot::cli {

namespace {

// The day of the first sweep at or after `at`, if the history has one.
std::optional<Day> first_sweep_from(const DemoWindow& window, Instant at) {
  Day day = local_day(at);
  if (sweep_time(window, day) < at) day += std::chrono::days(1);
  if (day >= window.first_day + std::chrono::days(window.days)) return std::nullopt;
  return day;
}

// An order that waits to ship: paid (or, for an exchange's replacement, created) at `paid`,
// shipped at `shipped` if it was.
struct Waiting {
  std::string platform;
  Instant paid;
  std::optional<Instant> shipped;
};

}  // namespace

SweepDays sweep_days(const DemoWindow& window, const DemoPlan& plan, const ShipPromise& promise,
                     std::chrono::seconds unpaid_timeout) {
  std::map<int, Waiting> orders;
  std::map<int, Waiting> replacements;
  std::set<int> exchanges;
  std::set<int> cancelled;
  for (const PlannedStep& planned : plan.steps) {
    if (const auto* pay = std::get_if<PayOrder>(&planned.step)) {
      const PlannedOrder& order = plan.orders[static_cast<std::size_t>(pay->order)];
      orders[pay->order] = {order.platform, planned.at, std::nullopt};
    } else if (const auto* cancel = std::get_if<CancelOrder>(&planned.step)) {
      cancelled.insert(cancel->order);
    } else if (const auto* request = std::get_if<RequestReturn>(&planned.step)) {
      if (request->kind == ReturnKind::exchange) exchanges.insert(request->order);
    } else if (const auto* receive = std::get_if<ReceiveReturn>(&planned.step)) {
      if (exchanges.count(receive->order)) replacements[receive->order] = {"", planned.at, {}};
    } else if (const auto* ship = std::get_if<ShipParcel>(&planned.step)) {
      (ship->replacement ? replacements : orders)[ship->order].shipped = planned.at;
    }
  }

  SweepDays days;
  auto remind = [&](const Waiting& waiting) {
    Instant due = ship_due_at(promise, waiting.platform, waiting.paid);
    for (Instant level : {due - std::chrono::hours(promise.due_soon_hours), due,
                          due + std::chrono::hours(promise.escalate_hours)}) {
      std::optional<Day> day = first_sweep_from(window, level);
      if (day && (!waiting.shipped || sweep_time(window, *day) < *waiting.shipped)) {
        days.reminders.insert(*day);
      }
    }
  };
  for (const auto& [order, waiting] : orders) {
    if (!cancelled.count(order)) remind(waiting);
  }
  for (const auto& [order, waiting] : replacements) remind(waiting);

  for (std::size_t i = 0; i < plan.orders.size(); ++i) {
    if (orders.count(static_cast<int>(i))) continue;
    if (std::optional<Day> day =
            first_sweep_from(window, plan.orders[i].created_at + unpaid_timeout)) {
      days.unpaid.insert(*day);
    }
  }
  return days;
}

}  // namespace depot::cli
