// Paged reads for exports (RPT-2). Each page is one statement that walks an index from the cursor
// and stops at the page size: orders by orders_created (tenant_id, created_at, id); movements and
// notifications by their primary key (tenant_id, id), filtered by time. Those two tables have no
// time index (each would cost every stock change or delivery an index entry), so a page of a range
// may pass over rows outside it; an export reads each row of the merchant's table at most once.
#include <algorithm>
#include <utility>

#include "store/sql/reports.h"

namespace depot::sql {

namespace {

std::optional<Instant> instant_or_null(const Query& q, int column) {
  if (q.is_null(column)) return std::nullopt;
  return from_millis(q.integer(column));
}

}  // namespace

std::int64_t SqlReports::count_orders_created_between(Instant from, Instant to) {
  Query q = db_.query(
      "SELECT count(*) FROM orders INDEXED BY orders_created "
      "WHERE tenant_id = ? AND created_at >= ? AND created_at < ?");
  q.bind_all(tenant_, to_millis(from), to_millis(to));
  return q.step() ? q.integer(0) : 0;
}

std::vector<Order> SqlReports::orders_created_between(Instant from, Instant to,
                                                      const OrderCursor& after, int limit) {
  std::vector<Order> orders;
  {
    Query q = db_.query(
        "SELECT id, order_no, status, currency, total, paid_amount, refund_due, "
        "refunded_amount, customer_name, customer_phone, customer_email, province, city, "
        "district, detail, postcode, platform, external_no, notes, created_at, updated_at "
        "FROM orders INDEXED BY orders_created WHERE tenant_id = ? "
        "AND (created_at, id) > (?, ?) AND created_at < ? ORDER BY created_at, id LIMIT ?");
    // The cursor alone bounds the walk from below: with `created_at >= from` beside it, SQLite
    // starts every page at `from` and steps over the pages before.
    OrderCursor start = std::max(after, OrderCursor{from, 0}, [](const auto& a, const auto& b) {
      return std::pair(a.created_at, a.id) < std::pair(b.created_at, b.id);
    });
    q.bind_all(tenant_, to_millis(start.created_at), start.id, to_millis(to), limit);
    while (q.step()) {
      Order o;
      o.id = q.integer(0);
      o.order_no = q.text(1);
      o.status = parse_order_status(q.text(2)).value_or(OrderStatus::pending_payment);
      o.currency = q.text(3);
      o.total = q.integer(4);
      o.paid_amount = q.integer(5);
      o.refund_due = q.integer(6);
      o.refunded_amount = q.integer(7);
      o.customer.name = q.text(8);
      o.customer.phone = q.text(9);
      o.customer.email = q.text(10);
      o.shipping_address.province = q.text(11);
      o.shipping_address.city = q.text(12);
      o.shipping_address.district = q.text(13);
      o.shipping_address.detail = q.text(14);
      o.shipping_address.postcode = q.text(15);
      o.platform = q.text(16);
      o.external_no = q.text(17);
      o.notes = q.text(18);
      o.created_at = from_millis(q.integer(19));
      o.updated_at = from_millis(q.integer(20));
      orders.push_back(std::move(o));
    }
  }
  for (Order& order : orders) {
    Query q = db_.query(
        "SELECT sku, quantity, unit_price FROM order_lines WHERE tenant_id = ? AND order_id = ? "
        "ORDER BY line_no");
    q.bind_all(tenant_, order.id);
    while (q.step()) order.lines.push_back(OrderLine{q.text(0), q.integer(1), q.integer(2)});
  }
  return orders;
}

std::int64_t SqlReports::count_movements_between(Instant from, Instant to) {
  Query q =
      db_.query("SELECT count(*) FROM stock_movements WHERE tenant_id = ? AND at >= ? AND at < ?");
  q.bind_all(tenant_, to_millis(from), to_millis(to));
  return q.step() ? q.integer(0) : 0;
}

std::vector<LedgerEntry> SqlReports::movements_between(Instant from, Instant to,
                                                       std::int64_t after_id, int limit) {
  Query q = db_.query(
      "SELECT m.id, m.sku, m.location_id, w.code || '/' || l.code, m.kind, m.on_hand_delta, "
      "m.reserved_delta, m.reason, m.actor, m.order_id, m.at FROM stock_movements m "
      "JOIN locations l ON l.tenant_id = m.tenant_id AND l.id = m.location_id "
      "JOIN warehouses w ON w.tenant_id = l.tenant_id AND w.id = l.warehouse_id "
      "WHERE m.tenant_id = ? AND m.id > ? AND m.at >= ? AND m.at < ? ORDER BY m.id LIMIT ?");
  q.bind_all(tenant_, after_id, to_millis(from), to_millis(to), limit);
  std::vector<LedgerEntry> entries;
  while (q.step()) {
    LedgerEntry e;
    e.id = q.integer(0);
    e.sku = q.text(1);
    e.location_id = q.integer(2);
    e.location = q.text(3);
    e.movement.kind = parse_movement_kind(q.text(4)).value_or(MovementKind::adjustment);
    e.movement.on_hand_delta = q.integer(5);
    e.movement.reserved_delta = q.integer(6);
    e.reason = q.text(7);
    e.actor = q.text(8);
    e.order_id = q.integer(9);
    e.at = from_millis(q.integer(10));
    entries.push_back(std::move(e));
  }
  return entries;
}

std::int64_t SqlReports::count_notifications_between(Instant from, Instant to) {
  Query q = db_.query(
      "SELECT count(*) FROM notifications WHERE tenant_id = ? AND created_at >= ? "
      "AND created_at < ?");
  q.bind_all(tenant_, to_millis(from), to_millis(to));
  return q.step() ? q.integer(0) : 0;
}

std::vector<Notification> SqlReports::notifications_between(Instant from, Instant to,
                                                            std::int64_t after_id, int limit) {
  Query q = db_.query(
      "SELECT id, event_id, event, order_id, channel, recipient, audience, customer_phone, "
      "status, attempts, last_error, provider_id, resend_of, created_at, updated_at, sent_at, "
      "delivered_at FROM notifications WHERE tenant_id = ? AND id > ? AND created_at >= ? "
      "AND created_at < ? ORDER BY id LIMIT ?");
  q.bind_all(tenant_, after_id, to_millis(from), to_millis(to), limit);
  std::vector<Notification> items;
  while (q.step()) {
    Notification n;
    n.id = q.integer(0);
    n.event_id = q.integer(1);
    n.event = parse_event_type(q.text(2)).value_or(EventType::order_created);
    n.order_id = q.integer(3);
    n.channel = parse_channel_kind(q.text(4)).value_or(ChannelKind::sms);
    n.recipient = q.text(5);
    n.audience = parse_audience(q.text(6)).value_or(Audience::customer);
    n.customer_phone = q.text(7);
    n.status = parse_delivery_status(q.text(8)).value_or(DeliveryStatus::queued);
    n.attempts = static_cast<int>(q.integer(9));
    n.last_error = q.text(10);
    n.provider_id = q.text(11);
    n.resend_of = q.integer(12);
    n.created_at = from_millis(q.integer(13));
    n.updated_at = from_millis(q.integer(14));
    n.sent_at = instant_or_null(q, 15);
    n.delivered_at = instant_or_null(q, 16);
    items.push_back(std::move(n));
  }
  return items;
}

}  // namespace depot::sql
