// The report rollups, kept by the writes that change what they count: orders (creation, status,
// totals, refunds, phone, lines), parcels (delivery), notifications (final outcomes). Returns,
// complaints and feedback add theirs where they are inserted. Each computes its rows with the
// domain (domain/rollups.h) and reads only what it needs of the stored state.
#include "store/sql/rollups.h"
#include "store/sql/sql_tx.h"

namespace depot::sql {

int SqlTx::utc_offset() {
  if (!utc_offset_) utc_offset_ = stored_utc_offset(db_, tenant_);
  return *utc_offset_;
}

void SqlTx::roll_up(const RollupRows& change) {
  if (!recount_rollups_) rollups_.insert(rollups_.end(), change.begin(), change.end());
}

void SqlTx::settle_rollups(RollupBuffer& batch) {
  if (!recount_rollups_) {
    batch.add(tenant_, rollups_);
    return;
  }
  rebuild_rollups(db_, tenant_, utc_offset());
  batch.forget(tenant_);
}

namespace {

// When the order's last unit left and when it was ready to ship, as the rebuild counts them
// (rollups.cpp): its parcels' latest shipped_at, and the first time it was paid in full.
std::optional<OrderShipping> shipping_of(Connection& db, TenantId tenant, const Order& order) {
  Query q = db.query(
      "SELECT (SELECT MAX(shipped_at) FROM shipments INDEXED BY shipments_order "
      "WHERE tenant_id = ?1 AND order_id = ?2), "
      "(SELECT MIN(at) FROM order_history WHERE tenant_id = ?1 AND order_id = ?2 "
      "AND to_status = 'awaiting_shipment')");
  q.bind_all(tenant, order.id);
  if (!q.step() || q.is_null(0)) return std::nullopt;
  OrderShipping shipping;
  shipping.shipped_at = from_millis(q.integer(0));
  shipping.ready_at = q.is_null(1) ? order.created_at : from_millis(q.integer(1));
  shipping.due_at = order.ship_due_at;
  return shipping;
}

}  // namespace

std::optional<SqlTx::RolledUpOrder> SqlTx::rolled_up_order(std::int64_t order_id) {
  Query q = db_.query(
      "SELECT status, total, refunded_amount, customer_phone FROM orders "
      "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, order_id);
  if (!q.step()) return std::nullopt;
  RolledUpOrder stored;
  stored.status = parse_order_status(q.text(0)).value_or(OrderStatus::pending_payment);
  stored.total = q.integer(1);
  stored.refunded = q.integer(2);
  stored.phone = q.text(3);
  return stored;
}

void SqlTx::roll_up_new_order(const Order& order) {
  OrderFacts facts = facts_of(order);
  if (is_fully_shipped(order.status)) facts.shipping = shipping_of(db_, tenant_, order);
  roll_up(order_rollups(facts, utc_offset()));
}

void SqlTx::roll_up_order_change(const Order& order, const RolledUpOrder& stored) {
  OrderFacts after = facts_of(order);
  OrderFacts before = after;
  before.status = stored.status;
  before.total = stored.total;
  before.refunded = stored.refunded;
  before.phone = stored.phone;
  // The lines' rows depend on whether they count and on the phone; when neither changed they
  // are the same on both sides and are left out. The order may already hold lines an edit is
  // about to store: the stored ones are what the rollups hold.
  std::vector<OrderLine> lines;
  if (lines_count(before.status) != lines_count(after.status) || before.phone != after.phone) {
    Order stored_lines;
    stored_lines.id = order.id;
    load_lines(stored_lines);
    lines = std::move(stored_lines.lines);
  }
  before.lines = after.lines = lines;
  // Shipping is counted once, when the last unit leaves; no status leads back.
  if (!is_fully_shipped(before.status) && is_fully_shipped(after.status)) {
    after.shipping = shipping_of(db_, tenant_, order);
  }
  int offset = utc_offset();
  roll_up(rollup_change(order_rollups(before, offset), order_rollups(after, offset)));
}

void SqlTx::roll_up_line_change(const Order& order, const std::vector<OrderLine>& before_lines) {
  OrderFacts after = facts_of(order);
  OrderFacts before = after;
  before.lines = before_lines;
  int offset = utc_offset();
  roll_up(rollup_change(order_rollups(before, offset), order_rollups(after, offset)));
}

void SqlTx::roll_up_parcel(const Parcel& parcel, bool is_new) {
  if (parcel.return_id != 0) return;  // parcels coming back count nowhere
  ParcelFacts after{parcel.carrier, true, parcel.shipped_at, parcel.delivered_at};
  RollupRows before_rows;
  std::string stored_carrier;
  if (!is_new) {
    Query q = db_.query(
        "SELECT carrier, shipped_at, delivered_at FROM parcels WHERE tenant_id = ? AND id = ?");
    q.bind_all(tenant_, parcel.id);
    if (q.step()) {
      stored_carrier = q.text(0);
      ParcelFacts before{stored_carrier, true, from_millis(q.integer(1)), std::nullopt};
      if (!q.is_null(2)) before.delivered_at = from_millis(q.integer(2));
      before_rows = parcel_rollups(before, utc_offset());
    }
  }
  RollupRows after_rows = parcel_rollups(after, utc_offset());
  if (before_rows.empty() && after_rows.empty()) return;
  roll_up(rollup_change(before_rows, after_rows));
}

DeliveryOutcome SqlTx::stored_outcome(std::int64_t notification_id) {
  Query q = db_.query(
      "SELECT status, next_attempt_at IS NOT NULL FROM notifications "
      "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, notification_id);
  if (!q.step()) return DeliveryOutcome::pending;
  std::optional<DeliveryStatus> status = parse_delivery_status(q.text(0));
  return status ? delivery_outcome(*status, q.integer(1) != 0) : DeliveryOutcome::pending;
}

void SqlTx::roll_up_notification(const Notification& n, DeliveryOutcome before) {
  DeliveryOutcome after = delivery_outcome(n.status, n.next_attempt_at.has_value());
  if (after == before) return;
  int offset = utc_offset();
  roll_up(rollup_change(notification_rollups(n.channel, n.created_at, before, offset),
                        notification_rollups(n.channel, n.created_at, after, offset)));
}

}  // namespace depot::sql
