#include "domain/event_catalog.h"

#include <array>

namespace depot {

namespace {

constexpr const char* kTrackingFields =
    "order_no, shipment_id, carrier, tracking_no, status, text, location, at, eta";

constexpr std::array kCatalog = {
    EventTypeInfo{EventType::order_created, "order.created", "an order was recorded",
                  "order_no, total, currency"},
    EventTypeInfo{EventType::order_paid, "order.paid", "a payment was recorded",
                  "order_no, amount, method, paid_amount, fully_paid"},
    EventTypeInfo{EventType::order_edited, "order.edited",
                  "lines, address, customer or notes changed", "order_no, changed, version"},
    EventTypeInfo{EventType::order_status_changed, "order.status_changed",
                  "the order moved to another status", "from, to, reason"},
    EventTypeInfo{EventType::order_cancelled, "order.cancelled", "the order was cancelled",
                  "order_no, reason, refund_due, automatic"},
    EventTypeInfo{EventType::order_held, "order.held",
                  "verification stopped the order before shipping", "order_no, codes, messages"},
    EventTypeInfo{EventType::order_released, "order.released",
                  "a held order passed verification again", "order_no, overridden, reason"},
    EventTypeInfo{EventType::shipment_created, "shipment.created", "a parcel left the warehouse",
                  "order_no, shipment_id, carrier, tracking_no, lines, order_status"},
    EventTypeInfo{EventType::shipment_due_soon, "shipment.due_soon",
                  "an unshipped order nears its promised ship time", "order_no, due_at"},
    EventTypeInfo{EventType::shipment_overdue, "shipment.overdue",
                  "an unshipped order passed its promised ship time", "order_no, due_at"},
    EventTypeInfo{EventType::shipment_escalated, "shipment.escalated",
                  "an unshipped order is overdue past the escalation threshold",
                  "order_no, due_at"},
    EventTypeInfo{EventType::product_created, "product.created", "a product was created", "name"},
    EventTypeInfo{EventType::stock_received, "stock.received", "stock was received", "quantity"},
    EventTypeInfo{EventType::stock_adjusted, "stock.adjusted", "stock was adjusted or counted", ""},
    EventTypeInfo{EventType::stock_transferred, "stock.transferred",
                  "stock moved between locations", "from, to, quantity"},
    EventTypeInfo{EventType::stock_low, "stock.low", "available stock fell below the threshold",
                  "alert_id, available, threshold"},
    EventTypeInfo{EventType::stock_replenished, "stock.replenished",
                  "available stock is back at or above the threshold", "alert_id, available"},
    EventTypeInfo{EventType::notification_dead, "notification.dead",
                  "a customer could not be told on any channel",
                  "order_no, notification_id, notified_event, channels, ticket_id"},
    EventTypeInfo{EventType::ticket_opened, "ticket.opened", "a customer-service ticket was opened",
                  "order_no, ticket_id, kind, subject"},
    EventTypeInfo{EventType::order_delivered, "order.delivered",
                  "every parcel of the order was delivered", "order_no, delivered_at"},
    EventTypeInfo{EventType::tracking_out_for_delivery, "tracking.out_for_delivery",
                  "a parcel is out for delivery", kTrackingFields},
    EventTypeInfo{EventType::tracking_delivered, "tracking.delivered", "a parcel was delivered",
                  kTrackingFields},
    EventTypeInfo{EventType::tracking_exception, "tracking.exception",
                  "the carrier reported a problem with a parcel", kTrackingFields},
    EventTypeInfo{EventType::tracking_stalled, "tracking.stalled",
                  "nothing was heard of a parcel for longer than the stall time",
                  "order_no, shipment_id, carrier, tracking_no, last_update_at, stall_hours"},
    EventTypeInfo{EventType::return_requested, "return.requested",
                  "a return or exchange was requested", "order_no, return_id, kind, lines, reason"},
    EventTypeInfo{EventType::return_approved, "return.approved",
                  "a return or exchange was approved", "order_no, return_id, kind, lines, note"},
    EventTypeInfo{EventType::return_rejected, "return.rejected",
                  "a return or exchange was rejected", "order_no, return_id, kind, lines, reason"},
    EventTypeInfo{EventType::return_received, "return.received",
                  "returned goods arrived and were restocked or written off",
                  "order_no, return_id, kind, lines, restocked, location, replacement_order_id"},
    EventTypeInfo{EventType::refund_created, "refund.created", "a refund was recorded",
                  "order_no, refund_id, amount, reason, return_id"},
    EventTypeInfo{EventType::refund_completed, "refund.completed",
                  "a refund's money went back to the customer",
                  "order_no, refund_id, amount, refunded_amount, reference"},
};

std::string joined(const std::vector<HoldReason>& reasons, std::string HoldReason::*part,
                   std::string_view separator) {
  std::string text;
  for (const HoldReason& reason : reasons) {
    if (!text.empty()) text += separator;
    text += reason.*part;
  }
  return text;
}

}  // namespace

std::span<const EventTypeInfo> event_catalog() { return kCatalog; }

std::string_view to_string(EventType type) {
  for (const EventTypeInfo& info : kCatalog) {
    if (info.type == type) return info.name;
  }
  return "unknown";
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (const EventTypeInfo& info : kCatalog) {
    if (info.name == name) return info.type;
  }
  return std::nullopt;
}

namespace events {

DomainEvent order_created(const Order& order) {
  return {EventType::order_created,
          order.id,
          {},
          {{"order_no", order.order_no}, {"total", order.total}, {"currency", order.currency}}};
}

DomainEvent order_paid(const Order& order, std::int64_t amount, const std::string& method) {
  return {EventType::order_paid,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"amount", amount},
           {"method", method},
           {"paid_amount", order.paid_amount},
           {"fully_paid", order.paid_amount == order.total}}};
}

DomainEvent order_edited(const Order& order, const std::string& changed) {
  return {EventType::order_edited,
          order.id,
          {},
          {{"order_no", order.order_no}, {"changed", changed}, {"version", order.version}}};
}

DomainEvent order_status_changed(const Order& order, const HistoryEntry& entry) {
  return {EventType::order_status_changed,
          order.id,
          {},
          {{"from", std::string(entry.from ? to_string(*entry.from) : "")},
           {"to", std::string(to_string(entry.to))},
           {"reason", entry.reason}}};
}

DomainEvent order_cancelled(const Order& order, const std::string& reason, bool automatic) {
  return {EventType::order_cancelled,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"reason", reason},
           {"refund_due", order.refund_due},
           {"automatic", automatic}}};
}

DomainEvent order_held(const Order& order) {
  return {EventType::order_held,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"codes", joined(order.hold_reasons, &HoldReason::code, ",")},
           {"messages", joined(order.hold_reasons, &HoldReason::message, "; ")}}};
}

DomainEvent order_released(const Order& order, const std::vector<std::string>& overridden,
                           const std::string& reason) {
  std::string codes;
  for (const std::string& code : overridden) codes += (codes.empty() ? "" : ",") + code;
  return {EventType::order_released,
          order.id,
          {},
          {{"order_no", order.order_no}, {"overridden", codes}, {"reason", reason}}};
}

DomainEvent shipment_created(const Order& order, const Shipment& shipment) {
  std::string lines;
  for (const ShipmentLine& line : shipment.lines) {
    lines += (lines.empty() ? "" : ",") + line.sku + "*" + std::to_string(line.quantity);
  }
  return {EventType::shipment_created,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"shipment_id", shipment.id},
           {"carrier", shipment.carrier},
           {"tracking_no", shipment.tracking_no},
           {"lines", lines},
           {"order_status", std::string(to_string(order.status))}}};
}

DomainEvent shipment_reminder(const Order& order, ReminderLevel level) {
  EventType type = level == ReminderLevel::escalated ? EventType::shipment_escalated
                   : level == ReminderLevel::overdue ? EventType::shipment_overdue
                                                     : EventType::shipment_due_soon;
  return {type,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"due_at", order.ship_due_at ? to_millis(*order.ship_due_at) : std::int64_t{0}}}};
}

DomainEvent product_created(const std::string& sku, const std::string& name) {
  return {EventType::product_created, 0, sku, {{"name", name}}};
}

DomainEvent stock_received(const std::string& sku, std::int64_t quantity) {
  return {EventType::stock_received, 0, sku, {{"quantity", quantity}}};
}

DomainEvent stock_adjusted(const std::string& sku) {
  return {EventType::stock_adjusted, 0, sku, {}};
}

DomainEvent stock_transferred(const std::string& sku, const std::string& from,
                              const std::string& to, std::int64_t quantity) {
  return {
      EventType::stock_transferred, 0, sku, {{"from", from}, {"to", to}, {"quantity", quantity}}};
}

DomainEvent stock_low(const std::string& sku, std::int64_t alert_id, std::int64_t available,
                      std::int64_t threshold) {
  return {EventType::stock_low,
          0,
          sku,
          {{"alert_id", alert_id}, {"available", available}, {"threshold", threshold}}};
}

DomainEvent stock_replenished(const std::string& sku, std::int64_t alert_id,
                              std::int64_t available) {
  return {EventType::stock_replenished, 0, sku, {{"alert_id", alert_id}, {"available", available}}};
}

DomainEvent notification_dead(const Order& order, std::int64_t notification_id,
                              const std::string& notified_event, const std::string& channels,
                              std::int64_t ticket_id) {
  return {EventType::notification_dead,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"notification_id", notification_id},
           {"notified_event", notified_event},
           {"channels", channels},
           {"ticket_id", ticket_id}}};
}

DomainEvent ticket_opened(const Order& order, std::int64_t ticket_id, const std::string& kind,
                          const std::string& subject) {
  return {EventType::ticket_opened,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"ticket_id", ticket_id},
           {"kind", kind},
           {"subject", subject}}};
}

DomainEvent order_delivered(const Order& order, Instant delivered_at) {
  return {EventType::order_delivered,
          order.id,
          {},
          {{"order_no", order.order_no}, {"delivered_at", to_millis(delivered_at)}}};
}

DomainEvent tracking_update(EventType type, const Order& order, std::int64_t shipment_id,
                            const std::string& carrier, const std::string& tracking_no,
                            const Checkpoint& checkpoint, std::optional<Instant> eta) {
  DomainEvent event{type,
                    order.id,
                    {},
                    {{"order_no", order.order_no},
                     {"shipment_id", shipment_id},
                     {"carrier", carrier},
                     {"tracking_no", tracking_no},
                     {"status", std::string(to_string(checkpoint.status))},
                     {"text", checkpoint.text},
                     {"location", checkpoint.location},
                     {"at", to_millis(checkpoint.at)}}};
  if (eta) event.data.emplace_back("eta", to_millis(*eta));
  return event;
}

DomainEvent tracking_stalled(const Order& order, std::int64_t shipment_id,
                             const std::string& carrier, const std::string& tracking_no,
                             Instant last_update_at, std::int64_t stall_hours) {
  return {EventType::tracking_stalled,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"shipment_id", shipment_id},
           {"carrier", carrier},
           {"tracking_no", tracking_no},
           {"last_update_at", to_millis(last_update_at)},
           {"stall_hours", stall_hours}}};
}

namespace {

DomainEvent about_return(EventType type, const Order& order, const ReturnRequest& request) {
  std::string lines;
  for (const ReturnLine& line : request.lines) {
    lines += (lines.empty() ? "" : ",") + line.sku + "*" + std::to_string(line.quantity);
  }
  return {type,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"return_id", request.id},
           {"kind", std::string(to_string(request.kind))},
           {"lines", lines}}};
}

}  // namespace

DomainEvent return_requested(const Order& order, const ReturnRequest& request) {
  DomainEvent event = about_return(EventType::return_requested, order, request);
  event.data.emplace_back("reason", request.reason);
  return event;
}

DomainEvent return_approved(const Order& order, const ReturnRequest& request) {
  DomainEvent event = about_return(EventType::return_approved, order, request);
  event.data.emplace_back("note", request.decision_note);
  return event;
}

DomainEvent return_rejected(const Order& order, const ReturnRequest& request) {
  DomainEvent event = about_return(EventType::return_rejected, order, request);
  event.data.emplace_back("reason", request.decision_note);
  return event;
}

DomainEvent return_received(const Order& order, const ReturnRequest& request) {
  DomainEvent event = about_return(EventType::return_received, order, request);
  event.data.emplace_back("restocked", request.restocked.value_or(false));
  event.data.emplace_back("location", request.location);
  event.data.emplace_back("replacement_order_id", request.replacement_order_id);
  return event;
}

DomainEvent refund_created(const Order& order, const Refund& refund) {
  return {EventType::refund_created,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"refund_id", refund.id},
           {"amount", refund.amount},
           {"reason", refund.reason},
           {"return_id", refund.return_id}}};
}

DomainEvent refund_completed(const Order& order, const Refund& refund) {
  return {EventType::refund_completed,
          order.id,
          {},
          {{"order_no", order.order_no},
           {"refund_id", refund.id},
           {"amount", refund.amount},
           {"refunded_amount", order.refunded_amount},
           {"reference", refund.reference}}};
}

}  // namespace events

}  // namespace depot
