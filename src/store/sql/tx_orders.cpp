// Orders, their lines, history, reservations and payments.
#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace json = boost::json;

namespace {

constexpr const char* kOrderColumns =
    "SELECT orders.id, order_no, status, version, currency, total, paid_amount, refund_due, "
    "customer_name, customer_phone, customer_email, customer_wechat_openid, "
    "customer_device_token, customer_channels, province, city, district, detail, postcode, "
    "platform, external_no, notes, created_at, updated_at, province_code, city_code, "
    "district_code, hold_reasons, overrides, ship_due_at, reminder, customer_locale, "
    "refunded_amount ";

// A list of strings as a JSON array: preferred channels, overridden checks.
std::string encode_texts(const std::vector<std::string>& texts) {
  json::array array;
  for (const std::string& text : texts) array.emplace_back(text);
  return json::serialize(array);
}

std::vector<std::string> decode_texts(const std::string& text) {
  std::vector<std::string> texts;
  json::value parsed = json::parse(text);
  for (const json::value& v : parsed.as_array()) texts.emplace_back(v.as_string());
  return texts;
}

std::string encode_reasons(const std::vector<HoldReason>& reasons) {
  json::array array;
  for (const HoldReason& r : reasons) {
    json::object object{{"code", r.code}, {"message", r.message}};
    if (!r.field.empty()) object["field"] = r.field;
    if (r.rule_id != 0) object["rule_id"] = r.rule_id;
    array.push_back(std::move(object));
  }
  return json::serialize(array);
}

std::vector<HoldReason> decode_reasons(const std::string& text) {
  std::vector<HoldReason> reasons;
  json::value parsed = json::parse(text);
  for (const json::value& v : parsed.as_array()) {
    const json::object& o = v.as_object();
    HoldReason reason;
    reason.code = o.at("code").as_string();
    reason.message = o.at("message").as_string();
    if (const json::value* field = o.if_contains("field")) reason.field = field->as_string();
    if (const json::value* rule = o.if_contains("rule_id")) reason.rule_id = rule->as_int64();
    reasons.push_back(std::move(reason));
  }
  return reasons;
}

std::optional<ReminderLevel> parse_reminder(std::string_view text) {
  for (ReminderLevel level : {ReminderLevel::none, ReminderLevel::due_soon, ReminderLevel::overdue,
                              ReminderLevel::escalated}) {
    if (to_string(level) == text) return level;
  }
  return std::nullopt;
}

std::string first_code(const Order& order) {
  return order.hold_reasons.empty() ? std::string() : order.hold_reasons.front().code;
}

std::optional<std::int64_t> ship_due(const Order& order) {
  if (!order.ship_due_at) return std::nullopt;
  return to_millis(*order.ship_due_at);
}

// The promised time, while the order still waits to ship: what the reminder sweep walks.
std::optional<std::int64_t> awaiting_due(const Order& order) {
  if (!awaits_shipment(order)) return std::nullopt;
  return to_millis(*order.ship_due_at);
}

}  // namespace

Order SqlTx::order_from(Query& q) {
  Order o;
  o.id = q.integer(0);
  o.order_no = q.text(1);
  o.status = parse_order_status(q.text(2)).value_or(OrderStatus::pending_payment);
  o.version = q.integer(3);
  o.currency = q.text(4);
  o.total = q.integer(5);
  o.paid_amount = q.integer(6);
  o.refund_due = q.integer(7);
  o.customer =
      Customer{q.text(8), q.text(9), q.text(10), q.text(11), q.text(12), decode_texts(q.text(13))};
  o.shipping_address =
      Address{q.text(14), q.text(15), q.text(16), q.text(17), q.text(18), {}, {}, {}};
  o.platform = q.text(19);
  o.external_no = q.text(20);
  o.notes = q.text(21);
  o.created_at = from_millis(q.integer(22));
  o.updated_at = from_millis(q.integer(23));
  o.shipping_address.province_code = q.text(24);
  o.shipping_address.city_code = q.text(25);
  o.shipping_address.district_code = q.text(26);
  o.hold_reasons = decode_reasons(q.text(27));
  o.overrides = decode_texts(q.text(28));
  if (!q.is_null(29)) o.ship_due_at = from_millis(q.integer(29));
  o.reminder = parse_reminder(q.text(30)).value_or(ReminderLevel::none);
  o.customer.locale = q.text(31);
  o.refunded_amount = q.integer(32);
  return o;
}

void SqlTx::load_lines(Order& order) {
  Query q = db_.query(
      "SELECT sku, quantity, unit_price FROM order_lines WHERE tenant_id = ? AND order_id = ? "
      "ORDER BY line_no");
  q.bind_all(tenant_, order.id);
  while (q.step()) order.lines.push_back(OrderLine{q.text(0), q.integer(1), q.integer(2)});
}

void SqlTx::load_history(Order& order) {
  Query q = db_.query(
      "SELECT from_status, to_status, actor, reason, at FROM order_history "
      "WHERE tenant_id = ? AND order_id = ? ORDER BY seq");
  q.bind_all(tenant_, order.id);
  while (q.step()) {
    HistoryEntry entry;
    if (!q.is_null(0)) entry.from = parse_order_status(q.text(0));
    entry.to = parse_order_status(q.text(1)).value_or(OrderStatus::pending_payment);
    entry.actor = q.text(2);
    entry.reason = q.text(3);
    entry.at = from_millis(q.integer(4));
    order.history.push_back(std::move(entry));
  }
  order.stored_history = order.history.size();
}

std::optional<Order> SqlTx::find_order(std::int64_t id) {
  std::optional<Order> order;
  {
    Query q = db_.query(std::string(kOrderColumns) + "FROM orders WHERE tenant_id = ? AND id = ?");
    q.bind_all(tenant_, id);
    if (!q.step()) return std::nullopt;
    order = order_from(q);
  }
  load_lines(*order);
  load_history(*order);
  return order;
}

const char* SqlTx::order_columns() { return kOrderColumns; }

std::vector<Order> SqlTx::orders_from(Query& q) {
  std::vector<Order> orders;
  while (q.step()) orders.push_back(order_from(q));
  load_lines(orders);
  return orders;
}

void SqlTx::load_lines(std::vector<Order>& orders) {
  if (orders.empty()) return;
  // One statement for a page's lines rather than one per order: on PostgreSQL each statement is a
  // round trip.
  std::size_t places = padded_places(orders.size());
  Query q = db_.query(
      "SELECT order_id, sku, quantity, unit_price FROM order_lines WHERE tenant_id = ? "
      "AND order_id IN (" +
      places_of(places) + ") ORDER BY order_id, line_no");
  q.bind(1, tenant_);
  std::unordered_map<std::int64_t, Order*> by_id;
  for (std::size_t i = 0; i < places; ++i) {
    Order& order = orders[std::min(i, orders.size() - 1)];
    q.bind(static_cast<int>(i) + 2, order.id);
    by_id.emplace(order.id, &order);
  }
  while (q.step()) {
    by_id.at(q.integer(0))->lines.push_back(OrderLine{q.text(1), q.integer(2), q.integer(3)});
  }
}

std::vector<Order> SqlTx::list_orders(const OrderQuery& query) {
  // The statement text depends only on which filters are present, so it is cached per shape. A
  // SKU filter drives the query from order_skus, newest first, so it stops at the page size.
  // A hold reason drives it from order_hold_codes the same way, and both run by id.
  //
  // Other lists run in creation order, (created_at, id), which the indexes on (tenant_id,
  // created_at, id) and (tenant_id, status, created_at, id) hold: a page of one status within a
  // date range reads only its own rows, however many orders lie outside the range. The cursor
  // stays the last order's id; its time, looked up first, narrows the range itself, so a deep page
  // starts where the cursor is rather than at the range's edge.
  bool by_sku = !query.sku.empty();
  bool by_hold = !by_sku && !query.hold_reason.empty();
  bool by_time = !by_sku && !by_hold;
  std::optional<std::int64_t> from =
      query.created_from ? std::optional(to_millis(*query.created_from)) : std::nullopt;
  std::optional<std::int64_t> to =
      query.created_to ? std::optional(to_millis(*query.created_to)) : std::nullopt;
  std::int64_t after_time = 0;
  if (by_time && query.after_id > 0) {
    Query cursor = db_.query("SELECT created_at FROM orders WHERE tenant_id = ? AND id = ?");
    cursor.bind_all(tenant_, query.after_id);
    if (!cursor.step()) return {};
    after_time = cursor.integer(0);
    if (query.newest_first) {
      to = std::min(to.value_or(after_time + 1), after_time + 1);
    } else {
      from = std::max(from.value_or(after_time), after_time);
    }
  }

  std::string sql = kOrderColumns;
  if (by_sku) {
    sql +=
        "FROM order_skus s CROSS JOIN orders ON orders.id = s.order_id "
        "WHERE s.tenant_id = ? AND s.sku = ? AND orders.tenant_id = s.tenant_id";
  } else if (by_hold) {
    sql +=
        "FROM order_hold_codes s INDEXED BY order_hold_codes_code CROSS JOIN orders "
        "ON orders.id = s.order_id WHERE s.tenant_id = ? AND s.code = ? "
        "AND orders.tenant_id = s.tenant_id";
  } else {
    sql += "FROM orders WHERE tenant_id = ?";
  }
  if (query.status) sql += " AND status = ?";
  if (from) sql += " AND created_at >= ?";
  if (to) sql += " AND created_at < ?";
  if (!query.order_no.empty()) sql += " AND order_no = ?";
  if (!query.platform.empty()) sql += " AND platform = ?";
  if (!query.external_no.empty()) sql += " AND external_no = ?";
  if (!query.phone.empty()) sql += " AND customer_phone = ?";
  if (by_sku && !query.hold_reason.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM order_hold_codes h WHERE h.tenant_id = orders.tenant_id "
        "AND h.order_id = orders.id AND h.code = ?)";
  }
  const char* direction = query.newest_first ? " DESC" : "";
  if (by_time) {
    if (query.after_id > 0) {
      sql +=
          query.newest_first ? " AND (created_at, id) < (?, ?)" : " AND (created_at, id) > (?, ?)";
    }
    sql += std::string(" ORDER BY created_at") + direction + ", id" + direction + " LIMIT ?";
  } else {
    if (query.after_id > 0) sql += query.newest_first ? " AND id < ?" : " AND id > ?";
    sql += std::string(" ORDER BY s.order_id") + direction + " LIMIT ?";
  }

  Query q = db_.query(sql);
  int i = 0;
  q.bind(++i, tenant_);
  if (by_sku) q.bind(++i, query.sku);
  if (by_hold) q.bind(++i, query.hold_reason);
  if (query.status) q.bind(++i, to_string(*query.status));
  if (from) q.bind(++i, *from);
  if (to) q.bind(++i, *to);
  if (!query.order_no.empty()) q.bind(++i, query.order_no);
  if (!query.platform.empty()) q.bind(++i, query.platform);
  if (!query.external_no.empty()) q.bind(++i, query.external_no);
  if (!query.phone.empty()) q.bind(++i, query.phone);
  if (by_sku && !query.hold_reason.empty()) q.bind(++i, query.hold_reason);
  if (by_time && query.after_id > 0) q.bind(++i, after_time);
  if (query.after_id > 0) q.bind(++i, query.after_id);
  q.bind(++i, query.limit);
  return orders_from(q);
}

std::vector<std::pair<OrderStatus, std::int64_t>> SqlTx::count_orders() {
  std::vector<std::pair<OrderStatus, std::int64_t>> counts;
  for (OrderStatus status : kAllOrderStatuses) counts.emplace_back(status, 0);
  Query q = db_.query("SELECT status, orders FROM order_status_counts WHERE tenant_id = ?");
  q.bind_all(tenant_);
  while (q.step()) {
    std::optional<OrderStatus> status = parse_order_status(q.text(0));
    for (auto& [known, count] : counts) {
      if (status == known) count = q.integer(1);
    }
  }
  return counts;
}

void SqlTx::count_status(OrderStatus status, std::int64_t change) {
  db_.query(
         "INSERT INTO order_status_counts (tenant_id, status, orders) VALUES (?, ?, ?) "
         "ON CONFLICT (tenant_id, status) DO UPDATE SET orders = order_status_counts.orders + "
         "excluded.orders")
      .bind_all(tenant_, to_string(status), change)
      .run();
}

std::vector<std::int64_t> SqlTx::unpaid_orders_created_before(Instant cutoff, int limit) {
  // Named: before the statistics exist, SQLite would walk every order created before the cutoff.
  Query q = db_.query(
      "SELECT id FROM orders INDEXED BY orders_status WHERE tenant_id = ? AND status = "
      "'pending_payment' AND paid_amount = 0 AND created_at <= ? ORDER BY id LIMIT ?");
  q.bind_all(tenant_, to_millis(cutoff), limit);
  std::vector<std::int64_t> ids;
  while (q.step()) ids.push_back(q.integer(0));
  return ids;
}

std::int64_t SqlTx::next_order_id() { return next_id("orders"); }

void SqlTx::insert_lines(const Order& order) {
  if (order.lines.empty()) return;
  // One statement for all the lines, and one for the SKUs.
  Query lines = db_.query(
      "INSERT INTO order_lines (tenant_id, order_id, line_no, sku, quantity, unit_price) VALUES " +
      value_rows(order.lines.size(), 6));
  for (std::size_t i = 0; i < order.lines.size(); ++i) {
    const OrderLine& line = order.lines[i];
    int row = static_cast<int>(i) * 6;
    lines.bind(row + 1, tenant_)
        .bind(row + 2, order.id)
        .bind(row + 3, static_cast<std::int64_t>(i))
        .bind(row + 4, line.sku)
        .bind(row + 5, line.quantity)
        .bind(row + 6, line.unit_price);
  }
  lines.run();
  std::set<std::string_view> skus;
  for (const OrderLine& line : order.lines) skus.insert(line.sku);
  Query by_sku = db_.query("INSERT INTO order_skus (tenant_id, sku, order_id) VALUES " +
                           value_rows(skus.size(), 3));
  int row = 0;
  for (std::string_view sku : skus) {
    by_sku.bind(row + 1, tenant_).bind(row + 2, sku).bind(row + 3, order.id);
    row += 3;
  }
  by_sku.run();
}

void SqlTx::write_history(const Order& order) {
  for (std::size_t i = order.stored_history; i < order.history.size(); ++i) {
    const HistoryEntry& h = order.history[i];
    Query q = db_.query(
        "INSERT INTO order_history (tenant_id, order_id, seq, from_status, to_status, actor, "
        "reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind_all(tenant_, order.id, static_cast<std::int64_t>(i));
    if (h.from) {
      q.bind(4, to_string(*h.from));
    } else {
      q.bind_null(4);
    }
    q.bind(5, to_string(h.to)).bind(6, h.actor).bind(7, h.reason).bind(8, to_millis(h.at));
    q.run();
  }
}

void SqlTx::insert_order(const Order& o, const std::string& idempotency_key,
                         const std::string& fingerprint) {
  Query q = db_.query(
      "INSERT INTO orders (tenant_id, id, order_no, status, version, currency, total, "
      "paid_amount, refund_due, customer_name, customer_phone, customer_email, "
      "customer_wechat_openid, customer_device_token, customer_channels, province, city, "
      "district, detail, postcode, platform, external_no, notes, hold_reason, idempotency_key, "
      "fingerprint, created_at, updated_at, province_code, city_code, district_code, "
      "hold_reasons, overrides, ship_due_at, reminder, awaiting_due_at, customer_locale, "
      "refunded_amount) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind_all(tenant_, o.id, o.order_no, to_string(o.status), o.version, o.currency, o.total,
             o.paid_amount, o.refund_due, o.customer.name, o.customer.phone, o.customer.email,
             o.customer.wechat_openid, o.customer.device_token,
             encode_texts(o.customer.preferred_channels), o.shipping_address.province,
             o.shipping_address.city, o.shipping_address.district, o.shipping_address.detail,
             o.shipping_address.postcode);
  q.bind_or_null(21, o.platform).bind_or_null(22, o.external_no);
  q.bind(23, o.notes).bind(24, first_code(o)).bind_or_null(25, idempotency_key);
  q.bind(26, fingerprint).bind(27, to_millis(o.created_at)).bind(28, to_millis(o.updated_at));
  q.bind(29, o.shipping_address.province_code).bind(30, o.shipping_address.city_code);
  q.bind(31, o.shipping_address.district_code).bind(32, encode_reasons(o.hold_reasons));
  q.bind(33, encode_texts(o.overrides));
  q.bind_or_null(34, ship_due(o));
  q.bind(35, to_string(o.reminder));
  q.bind_or_null(36, awaiting_due(o));
  q.bind(37, o.customer.locale);
  q.bind(38, o.refunded_amount);
  q.run();
  insert_lines(o);
  write_history(o);
  count_status(o.status, 1);
  roll_up_new_order(o);
}

void SqlTx::update_order(const Order& o) {
  std::optional<RolledUpOrder> before = rolled_up_order(o.id);
  Query q = db_.query(
      "UPDATE orders SET status = ?, version = ?, currency = ?, total = ?, paid_amount = ?, "
      "refund_due = ?, customer_name = ?, customer_phone = ?, customer_email = ?, "
      "customer_wechat_openid = ?, customer_device_token = ?, customer_channels = ?, "
      "province = ?, city = ?, district = ?, detail = ?, postcode = ?, notes = ?, "
      "hold_reason = ?, updated_at = ?, province_code = ?, city_code = ?, district_code = ?, "
      "hold_reasons = ?, overrides = ?, ship_due_at = ?, reminder = ?, awaiting_due_at = ?, "
      "customer_locale = ?, refunded_amount = ? WHERE tenant_id = ? AND id = ?");
  q.bind_all(to_string(o.status), o.version, o.currency, o.total, o.paid_amount, o.refund_due,
             o.customer.name, o.customer.phone, o.customer.email, o.customer.wechat_openid,
             o.customer.device_token, encode_texts(o.customer.preferred_channels),
             o.shipping_address.province, o.shipping_address.city, o.shipping_address.district,
             o.shipping_address.detail, o.shipping_address.postcode, o.notes, first_code(o),
             to_millis(o.updated_at), o.shipping_address.province_code,
             o.shipping_address.city_code, o.shipping_address.district_code,
             encode_reasons(o.hold_reasons), encode_texts(o.overrides));
  q.bind_or_null(26, ship_due(o));
  q.bind(27, to_string(o.reminder));
  q.bind_or_null(28, awaiting_due(o));
  q.bind(29, o.customer.locale).bind(30, o.refunded_amount).bind(31, tenant_).bind(32, o.id);
  q.run();
  db_.query("DELETE FROM order_hold_codes WHERE tenant_id = ? AND order_id = ?")
      .bind_all(tenant_, o.id)
      .run();
  for (const HoldReason& reason : o.hold_reasons) {
    db_.query(
           "INSERT INTO order_hold_codes (tenant_id, order_id, code) VALUES (?, ?, ?) "
           "ON CONFLICT DO NOTHING")
        .bind_all(tenant_, o.id, reason.code)
        .run();
  }
  // The status when the order was loaded is the `from` of its first unsaved history entry.
  if (o.stored_history < o.history.size()) {
    std::optional<OrderStatus> before = o.history[o.stored_history].from;
    if (before && *before != o.status) {
      count_status(*before, -1);
      count_status(o.status, 1);
    }
  }
  write_history(o);
  if (before) roll_up_order_change(o, *before);
}

void SqlTx::replace_order_lines(const Order& o) {
  // order_skus is keyed by SKU first (lists by SKU walk it), so its rows are removed by their full
  // key, from the SKUs the stored lines name.
  Order stored;
  stored.id = o.id;
  load_lines(stored);
  std::set<std::string> skus;
  for (const OrderLine& line : stored.lines) skus.insert(line.sku);
  for (const std::string& sku : skus) {
    db_.query("DELETE FROM order_skus WHERE tenant_id = ? AND sku = ? AND order_id = ?")
        .bind_all(tenant_, sku, o.id)
        .run();
  }
  db_.query("DELETE FROM order_lines WHERE tenant_id = ? AND order_id = ?")
      .bind_all(tenant_, o.id)
      .run();
  insert_lines(o);
  roll_up_line_change(o, stored.lines);
}

std::optional<std::pair<std::int64_t, std::string>> SqlTx::find_order_by_idempotency_key(
    const std::string& key) {
  Query q =
      db_.query("SELECT id, fingerprint FROM orders WHERE tenant_id = ? AND idempotency_key = ?");
  q.bind_all(tenant_, key);
  if (!q.step()) return std::nullopt;
  return std::pair{q.integer(0), q.text(1)};
}

std::optional<std::pair<std::int64_t, std::string>> SqlTx::find_order_by_external_no(
    const std::string& platform, const std::string& external_no) {
  Query q = db_.query(
      "SELECT id, fingerprint FROM orders WHERE tenant_id = ? AND platform = ? AND "
      "external_no = ?");
  q.bind_all(tenant_, platform, external_no);
  if (!q.step()) return std::nullopt;
  return std::pair{q.integer(0), q.text(1)};
}

std::vector<Reservation> SqlTx::reservations_of(std::int64_t order_id) {
  Query q = db_.query(
      "SELECT sku, location_id, quantity FROM order_reservations "
      "WHERE tenant_id = ? AND order_id = ?");
  q.bind_all(tenant_, order_id);
  std::vector<Reservation> rows;
  while (q.step()) rows.push_back(Reservation{q.text(0), q.integer(1), q.integer(2)});
  return rows;
}

void SqlTx::add_reservations(std::int64_t order_id, const std::vector<Reservation>& rows) {
  // One statement for all of them, which may name each place once (PostgreSQL's ON CONFLICT
  // cannot change a row twice in one statement).
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> by_place;
  for (const Reservation& r : rows) by_place[{r.sku, r.location_id}] += r.quantity;
  if (by_place.empty()) return;
  Query q = db_.query(
      "INSERT INTO order_reservations (tenant_id, order_id, sku, location_id, quantity) VALUES " +
      value_rows(by_place.size(), 5) +
      " ON CONFLICT (tenant_id, order_id, sku, location_id) "
      "DO UPDATE SET quantity = order_reservations.quantity + excluded.quantity");
  int row = 0;
  for (const auto& [at, quantity] : by_place) {
    q.bind(row + 1, tenant_)
        .bind(row + 2, order_id)
        .bind(row + 3, at.first)
        .bind(row + 4, at.second)
        .bind(row + 5, quantity);
    row += 5;
  }
  q.run();
}

void SqlTx::clear_reservations(std::int64_t order_id) {
  db_.query("DELETE FROM order_reservations WHERE tenant_id = ? AND order_id = ?")
      .bind_all(tenant_, order_id)
      .run();
}

bool SqlTx::has_payment(std::int64_t order_id, const std::string& reference) {
  Query q =
      db_.query("SELECT 1 FROM payments WHERE tenant_id = ? AND order_id = ? AND reference = ?");
  q.bind_all(tenant_, order_id, reference);
  return q.step();
}

void SqlTx::record_payment(std::int64_t order_id, const Payment& p, Instant at) {
  db_.query(
         "INSERT INTO payments (tenant_id, id, order_id, amount, method, reference, paid_at, "
         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, next_id("payments"), order_id, p.amount, p.method, p.reference,
                to_millis(p.paid_at), to_millis(at))
      .run();
}

}  // namespace depot::sql
