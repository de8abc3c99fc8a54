#include "domain/ship_reminders.h"

namespace depot {

namespace {

std::chrono::hours hours(std::int64_t count) { return std::chrono::hours{count}; }

}  // namespace

std::string_view to_string(ReminderLevel level) {
  switch (level) {
    case ReminderLevel::none:
      return "none";
    case ReminderLevel::due_soon:
      return "due_soon";
    case ReminderLevel::overdue:
      return "overdue";
    case ReminderLevel::escalated:
      return "escalated";
  }
  return "none";
}

Instant ship_due_at(const ShipPromise& promise, const std::string& platform, Instant paid_at) {
  auto own = promise.sla_hours_by_platform.find(platform);
  std::int64_t sla = own == promise.sla_hours_by_platform.end() ? promise.sla_hours : own->second;
  return paid_at + hours(sla);
}

ReminderLevel reminder_level(const ShipPromise& promise, Instant due_at, Instant now) {
  if (now >= due_at + hours(promise.escalate_hours)) return ReminderLevel::escalated;
  if (now >= due_at) return ReminderLevel::overdue;
  if (now >= due_at - hours(promise.due_soon_hours)) return ReminderLevel::due_soon;
  return ReminderLevel::none;
}

bool awaits_shipment(const Order& order) {
  return order.ship_due_at &&
         (order.status == OrderStatus::awaiting_shipment ||
          order.status == OrderStatus::partially_shipped || order.status == OrderStatus::on_hold);
}

std::optional<ReminderLevel> reminder_to_raise(const ShipPromise& promise, const Order& order,
                                               Instant now) {
  if (!awaits_shipment(order)) return std::nullopt;
  ReminderLevel reached = reminder_level(promise, *order.ship_due_at, now);
  if (reached <= order.reminder) return std::nullopt;
  return reached;
}

}  // namespace depot
