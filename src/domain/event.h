#pragma once
// Domain events (the outbox, SPEC NTF-1/NTF-5): what happened, to which order or SKU, with a few
// named values. Written in the same transaction as the change that caused them. Every type and its
// payload is named once, in the catalog (domain/event_catalog.h); nothing else spells a type.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace depot {

enum class EventType {
  order_created,
  order_paid,
  order_edited,
  order_status_changed,
  order_cancelled,
  order_held,
  order_released,
  shipment_created,
  shipment_due_soon,
  shipment_overdue,
  shipment_escalated,
  product_created,
  stock_received,
  stock_adjusted,
  stock_transferred,
  stock_low,
  stock_replenished,
  notification_dead,
  ticket_opened,
  order_delivered,
  tracking_out_for_delivery,
  tracking_delivered,
  tracking_exception,
  tracking_stalled,
  return_requested,
  return_approved,
  return_rejected,
  return_received,
  refund_created,
  refund_completed,
};

// "order.created", "shipment.due_soon", …: the names the API, webhooks and settings use.
std::string_view to_string(EventType type);
std::optional<EventType> parse_event_type(std::string_view name);

using EventValue = std::variant<std::int64_t, std::string, bool>;

struct DomainEvent {
  EventType type = EventType::order_created;
  std::int64_t order_id = 0;  // 0 when the event is not about an order
  std::string sku;            // empty when the event is not about one SKU
  std::vector<std::pair<std::string, EventValue>> data;
};

}  // namespace depot
