#pragma once
// The catalog of domain events: every type, what it means, the fields of its payload, and one
// builder per type. Use cases emit events only through these builders, and the dispatcher and
// webhooks route on EventType, so a type's name and payload are spelt in this one place.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/after_sales.h"
#include "domain/event.h"
#include "domain/order.h"
#include "domain/shipment.h"
#include "domain/tracking.h"

namespace depot {

struct EventTypeInfo {
  EventType type;
  std::string_view name;
  std::string_view about;
  std::string_view fields;  // the payload's field names, comma-separated
};

std::span<const EventTypeInfo> event_catalog();

namespace events {

DomainEvent order_created(const Order& order);
DomainEvent order_paid(const Order& order, std::int64_t amount, const std::string& method);
DomainEvent order_edited(const Order& order, const std::string& changed);
DomainEvent order_status_changed(const Order& order, const HistoryEntry& entry);
DomainEvent order_cancelled(const Order& order, const std::string& reason, bool automatic);
// The order was stopped before shipping; `codes` and `messages` list its hold reasons, in order,
// so a notification can tell the customer why the parcel is delayed.
DomainEvent order_held(const Order& order);
DomainEvent order_released(const Order& order, const std::vector<std::string>& overridden,
                           const std::string& reason);
DomainEvent shipment_created(const Order& order, const Shipment& shipment);
// shipment.due_soon, shipment.overdue or shipment.escalated, after the level reached.
DomainEvent shipment_reminder(const Order& order, ReminderLevel level);

DomainEvent product_created(const std::string& sku, const std::string& name);
DomainEvent stock_received(const std::string& sku, std::int64_t quantity);
DomainEvent stock_adjusted(const std::string& sku);
DomainEvent stock_transferred(const std::string& sku, const std::string& from,
                              const std::string& to, std::int64_t quantity);
DomainEvent stock_low(const std::string& sku, std::int64_t alert_id, std::int64_t available,
                      std::int64_t threshold);
DomainEvent stock_replenished(const std::string& sku, std::int64_t alert_id,
                              std::int64_t available);

// Every channel tried for `notified_event` died: the customer was not told (NTF-5).
DomainEvent notification_dead(const Order& order, std::int64_t notification_id,
                              const std::string& notified_event, const std::string& channels,
                              std::int64_t ticket_id);
DomainEvent ticket_opened(const Order& order, std::int64_t ticket_id, const std::string& kind,
                          const std::string& subject);

// Every parcel of the order was delivered (TRK-2).
DomainEvent order_delivered(const Order& order, Instant delivered_at);
// tracking.out_for_delivery, tracking.delivered or tracking.exception, after the checkpoint that
// moved the parcel there; `eta` is the parcel's expected arrival, when known.
DomainEvent tracking_update(EventType type, const Order& order, std::int64_t shipment_id,
                            const std::string& carrier, const std::string& tracking_no,
                            const Checkpoint& checkpoint, std::optional<Instant> eta);
// Nothing was heard of the parcel since `last_update_at`, longer than `stall_hours` (TRK-4).
DomainEvent tracking_stalled(const Order& order, std::int64_t shipment_id,
                             const std::string& carrier, const std::string& tracking_no,
                             Instant last_update_at, std::int64_t stall_hours);

// A return or exchange was requested, approved, rejected or received (AFS-2); `lines` lists the
// units coming back as "SKU*2,SKU*1".
DomainEvent return_requested(const Order& order, const ReturnRequest& request);
DomainEvent return_approved(const Order& order, const ReturnRequest& request);
DomainEvent return_rejected(const Order& order, const ReturnRequest& request);
DomainEvent return_received(const Order& order, const ReturnRequest& request);
// A refund was recorded, and later completed (AFS-3).
DomainEvent refund_created(const Order& order, const Refund& refund);
DomainEvent refund_completed(const Order& order, const Refund& refund);

}  // namespace events

}  // namespace depot
