#include "app/parcel_progress.h"

#include <algorithm>

#include "app/audit.h"
#include "app/order_writes.h"
#include "domain/event_catalog.h"
#include "domain/order_changes.h"
#include "domain/order_state_machine.h"

namespace depot {

namespace {

std::optional<EventType> event_for(ParcelStatus status) {
  switch (status) {
    case ParcelStatus::out_for_delivery:
      return EventType::tracking_out_for_delivery;
    case ParcelStatus::delivered:
      return EventType::tracking_delivered;
    case ParcelStatus::exception:
      return EventType::tracking_exception;
    default:
      return std::nullopt;
  }
}

// The order is delivered once every parcel the merchant sent is, and nothing is left to ship.
void deliver_order_if_complete(WriteTx& tx, Order& order, Instant delivered_at, Instant now) {
  if (order.status != OrderStatus::shipped) return;
  std::vector<ParcelStatus> statuses;
  for (const Parcel& parcel : tx.parcels_of(order.id)) {
    if (parcel.return_id == 0) statuses.push_back(parcel.status);
  }
  if (!every_parcel_delivered(statuses)) return;
  Order before = order;
  if (!transition(order, OrderStatus::delivered, "carrier", "every parcel delivered", now).ok()) {
    return;
  }
  order.version += 1;
  save_order(tx, order, now);
  record_audit(tx, "system", "order.deliver", audit_object("order", order.id),
               order_changes(before, order), now);
  tx.append_event(events::order_delivered(order, delivered_at), now);
}

void end_stall(WriteTx& tx, Parcel& parcel, Instant now) {
  parcel.stalled_at.reset();
  if (std::optional<Alert> open = tx.find_open_alert(std::string(kStalledParcelAlert),
                                                     parcel.tracking_no, parcel.order_id)) {
    tx.close_alert(open->id, now);
  }
}

}  // namespace

Parcel new_parcel(const Order& order, const Shipment& shipment, Instant now) {
  Parcel parcel;
  parcel.id = shipment.id;
  parcel.order_id = order.id;
  parcel.carrier = shipment.carrier;
  parcel.tracking_no = shipment.tracking_no;
  parcel.phone = order.customer.phone;
  parcel.destination = order.shipping_address.province_code;
  parcel.shipped_at = shipment.shipped_at;
  parcel.last_update_at = shipment.shipped_at;
  parcel.subscription = Subscription::pending;
  parcel.next_subscribe_at = now;
  parcel.next_poll_at = shipment.shipped_at + kPollWhenQuiet;
  return parcel;
}

void follow_return_parcel(WriteTx& tx, const ReturnRequest& request, Instant now) {
  for (Parcel& earlier : tx.parcels_of(request.order_id)) {
    if (earlier.return_id != request.id || !earlier.active) continue;
    earlier.active = false;
    earlier.next_subscribe_at.reset();
    earlier.next_poll_at.reset();
    tx.update_parcel(earlier);
  }
  Parcel parcel;
  parcel.order_id = request.order_id;
  parcel.return_id = request.id;
  parcel.carrier = request.carrier;
  parcel.tracking_no = request.tracking_no;
  if (std::optional<Order> order = tx.find_order(request.order_id)) {
    parcel.phone = order->customer.phone;
    parcel.origin = order->shipping_address.province_code;
  }
  parcel.shipped_at = now;
  parcel.last_update_at = now;
  parcel.next_subscribe_at = now;
  parcel.next_poll_at = now + kPollWhenQuiet;
  tx.insert_parcel(parcel);
}

int record_progress(WriteTx& tx, Parcel& parcel, const std::vector<Checkpoint>& checkpoints,
                    std::optional<Instant> carrier_eta, std::string_view source, Instant now) {
  int added = 0;
  for (const Checkpoint& checkpoint : checkpoints) {
    if (tx.add_checkpoint(parcel.id, checkpoint, source, now)) ++added;
  }
  bool eta_changed = carrier_eta && carrier_eta != parcel.eta;
  if (eta_changed) parcel.eta = carrier_eta;
  if (parcel.active) parcel.next_poll_at = now + kPollWhenQuiet;
  if (added == 0) {
    tx.update_parcel(parcel);
    return 0;
  }

  std::vector<Checkpoint> all;
  for (StoredCheckpoint& stored : tx.checkpoints_of(parcel.id)) {
    all.push_back(std::move(stored.checkpoint));
  }
  ParcelStatus before = parcel.status;
  parcel.status = parcel_status(all);
  // The newest scan by time; among scans at the same time, the last recorded (as parcel_status).
  Checkpoint newest = *std::max_element(all.rbegin(), all.rend(),
                                        [](const auto& a, const auto& b) { return a.at < b.at; });
  Instant latest = newest.at;
  parcel.last_update_at = std::max(parcel.last_update_at, latest);
  if (parcel.stalled_at) end_stall(tx, parcel, now);
  parcel.active =
      parcel.status != ParcelStatus::delivered && parcel.status != ParcelStatus::returned;
  if (parcel.status == ParcelStatus::delivered && !parcel.delivered_at) {
    parcel.delivered_at = latest;
  }
  if (!parcel.active) parcel.next_poll_at.reset();
  tx.update_parcel(parcel);

  if (parcel.status == before || parcel.return_id != 0) return added;
  std::optional<Order> order = tx.find_order(parcel.order_id);
  if (!order) return added;
  if (std::optional<EventType> type = event_for(parcel.status)) {
    tx.append_event(events::tracking_update(*type, *order, parcel.id, parcel.carrier,
                                            parcel.tracking_no, newest, parcel.eta),
                    now);
  }
  if (parcel.status == ParcelStatus::delivered) {
    deliver_order_if_complete(tx, *order, *parcel.delivered_at, now);
  }
  return added;
}

}  // namespace depot
