#pragma once
// Shipping reminders (发货提醒, SPEC SHP-4): a paid order is promised to ship within the merchant's
// SLA; as that time nears and passes it is due soon, overdue, then escalated, and each level is
// raised once per order.

#include <map>
#include <optional>
#include <string>

#include "domain/order.h"

namespace depot {

struct ShipPromise {
  std::int64_t sla_hours = 48;
  // Per platform ("taobao" -> 24); a platform not named uses sla_hours.
  std::map<std::string, std::int64_t> sla_hours_by_platform;
  std::int64_t due_soon_hours = 4;   // "due soon" this long before the promised time
  std::int64_t escalate_hours = 24;  // escalated this long after it
};

// When an order paid at `paid_at` must ship by.
Instant ship_due_at(const ShipPromise& promise, const std::string& platform, Instant paid_at);

// The level an order due at `due_at` has reached at `now`.
ReminderLevel reminder_level(const ShipPromise& promise, Instant due_at, Instant now);

// Whether the order still waits to ship (so its promise still counts).
bool awaits_shipment(const Order& order);

// The reminder to raise for `order` at `now`: the level it has reached when that is beyond the
// one already raised. Levels skipped while nobody looked are not raised after the fact: an order
// found overdue is reminded as overdue, not first as due soon.
std::optional<ReminderLevel> reminder_to_raise(const ShipPromise& promise, const Order& order,
                                               Instant now);

}  // namespace depot
