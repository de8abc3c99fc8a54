// Products, warehouses, stock, the ledger and alerts.
#include <boost/json.hpp>

#include "store/sql/rollups.h"
#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace json = boost::json;

namespace {

std::string encode_attributes(const std::map<std::string, std::string>& attributes) {
  json::object object;
  for (const auto& [key, value] : attributes) object[key] = value;
  return json::serialize(object);
}

std::map<std::string, std::string> decode_attributes(const std::string& text) {
  std::map<std::string, std::string> attributes;
  json::value parsed = json::parse(text);
  for (const auto& [key, value] : parsed.as_object()) {
    attributes.emplace(std::string(key), std::string(value.as_string()));
  }
  return attributes;
}

constexpr const char* kProductColumns =
    "SELECT sku, name, price, currency, barcode, attributes, weight_grams, low_stock_threshold, "
    "version, created_at, updated_at FROM products ";

}  // namespace

std::int64_t SqlTx::next_id(const std::string& table) {
  if (!ids_) throw Error("a write in a read-only transaction");
  return ids_->next(db_, table);
}

MerchantSettings SqlTx::settings() {
  if (settings_memo_) {
    if (auto known = settings_memo_->find(tenant_); known != settings_memo_->end()) {
      utc_offset_ = known->second.reports.utc_offset_minutes;
      return known->second;
    }
  }
  Query q = db_.query(
      "SELECT edit_window_seconds, unpaid_timeout_seconds, currency, ship_sla_hours, "
      "ship_due_soon_hours, ship_escalate_hours, ship_sla_hours_by_platform, "
      "notification_retry_base_ms, default_channels, notify_events, alert_contacts, public_url, "
      "tracking_stall_hours, tracking_stall_hours_by_carrier, utc_offset_minutes, "
      "reorder_lead_days, reorder_lead_days_by_sku, reorder_service_level, reorder_review_days "
      "FROM tenant_settings WHERE tenant_id = ?");
  q.bind_all(tenant_);
  MerchantSettings settings;
  if (q.step()) {
    settings.edit_window_seconds = q.integer(0);
    settings.unpaid_timeout_seconds = q.integer(1);
    settings.currency = q.text(2);
    settings.ship.sla_hours = q.integer(3);
    settings.ship.due_soon_hours = q.integer(4);
    settings.ship.escalate_hours = q.integer(5);
    json::value by_platform = json::parse(q.text(6));
    for (const auto& [platform, hours] : by_platform.as_object()) {
      settings.ship.sla_hours_by_platform[std::string(platform)] = hours.as_int64();
    }
    NotificationPolicy& notify = settings.notify;
    notify.retry_base_ms = q.integer(7);
    // Each parsed document is named: a range-for over a member of a temporary would outlive it.
    json::value channels = json::parse(q.text(8));
    json::value events = json::parse(q.text(9));
    json::value contacts = json::parse(q.text(10));
    notify.default_channels.clear();
    for (const json::value& name : channels.as_array()) {
      if (auto channel = parse_channel_kind(name.as_string())) {
        notify.default_channels.push_back(*channel);
      }
    }
    notify.customer_events.clear();
    for (const json::value& name : events.as_array()) {
      if (auto event = parse_event_type(name.as_string())) notify.customer_events.push_back(*event);
    }
    for (const json::value& contact : contacts.as_array()) {
      const json::object& object = contact.as_object();
      if (auto channel = parse_channel_kind(object.at("channel").as_string())) {
        notify.alert_contacts.push_back(
            {*channel, std::string(object.at("recipient").as_string())});
      }
    }
    notify.public_url = q.text(11);
    settings.tracking.stall_hours = q.integer(12);
    json::value by_carrier = json::parse(q.text(13));
    for (const auto& [carrier, hours] : by_carrier.as_object()) {
      settings.tracking.stall_hours_by_carrier[std::string(carrier)] = hours.as_int64();
    }
    ReportPolicy& reports = settings.reports;
    reports.utc_offset_minutes = static_cast<int>(q.integer(14));
    reports.lead_days = q.integer(15);
    json::value lead_by_sku = json::parse(q.text(16));
    for (const auto& [sku, days] : lead_by_sku.as_object()) {
      reports.lead_days_by_sku[std::string(sku)] = days.as_int64();
    }
    reports.service_level = q.real(17);
    reports.review_days = q.integer(18);
  }
  utc_offset_ = settings.reports.utc_offset_minutes;
  if (settings_memo_) settings_memo_->insert_or_assign(tenant_, settings);
  return settings;
}

void SqlTx::save_settings(const MerchantSettings& s) {
  if (settings_memo_) settings_memo_->erase(tenant_);
  json::object by_platform;
  for (const auto& [platform, hours] : s.ship.sla_hours_by_platform) by_platform[platform] = hours;
  json::object stall_by_carrier;
  for (const auto& [carrier, hours] : s.tracking.stall_hours_by_carrier) {
    stall_by_carrier[carrier] = hours;
  }
  json::object lead_by_sku;
  for (const auto& [sku, days] : s.reports.lead_days_by_sku) lead_by_sku[sku] = days;
  json::array channels;
  for (ChannelKind channel : s.notify.default_channels) channels.emplace_back(to_string(channel));
  json::array events;
  for (EventType event : s.notify.customer_events) events.emplace_back(to_string(event));
  json::array contacts;
  for (const AlertContact& contact : s.notify.alert_contacts) {
    contacts.push_back(
        json::object{{"channel", to_string(contact.channel)}, {"recipient", contact.recipient}});
  }
  int offset_before = stored_utc_offset(db_, tenant_);
  db_.query(
         "INSERT INTO tenant_settings (tenant_id, edit_window_seconds, unpaid_timeout_seconds, "
         "currency, ship_sla_hours, ship_due_soon_hours, ship_escalate_hours, "
         "ship_sla_hours_by_platform, notification_retry_base_ms, default_channels, "
         "notify_events, alert_contacts, public_url, tracking_stall_hours, "
         "tracking_stall_hours_by_carrier, utc_offset_minutes, reorder_lead_days, "
         "reorder_lead_days_by_sku, reorder_service_level, reorder_review_days) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
         "ON CONFLICT (tenant_id) DO UPDATE SET "
         "edit_window_seconds = excluded.edit_window_seconds, "
         "unpaid_timeout_seconds = excluded.unpaid_timeout_seconds, currency = excluded.currency, "
         "ship_sla_hours = excluded.ship_sla_hours, "
         "ship_due_soon_hours = excluded.ship_due_soon_hours, "
         "ship_escalate_hours = excluded.ship_escalate_hours, "
         "ship_sla_hours_by_platform = excluded.ship_sla_hours_by_platform, "
         "notification_retry_base_ms = excluded.notification_retry_base_ms, "
         "default_channels = excluded.default_channels, "
         "notify_events = excluded.notify_events, alert_contacts = excluded.alert_contacts, "
         "public_url = excluded.public_url, tracking_stall_hours = excluded.tracking_stall_hours, "
         "tracking_stall_hours_by_carrier = excluded.tracking_stall_hours_by_carrier, "
         "utc_offset_minutes = excluded.utc_offset_minutes, "
         "reorder_lead_days = excluded.reorder_lead_days, "
         "reorder_lead_days_by_sku = excluded.reorder_lead_days_by_sku, "
         "reorder_service_level = excluded.reorder_service_level, "
         "reorder_review_days = excluded.reorder_review_days")
      .bind_all(tenant_, s.edit_window_seconds, s.unpaid_timeout_seconds, s.currency,
                s.ship.sla_hours, s.ship.due_soon_hours, s.ship.escalate_hours,
                json::serialize(by_platform), s.notify.retry_base_ms, json::serialize(channels),
                json::serialize(events), json::serialize(contacts), s.notify.public_url,
                s.tracking.stall_hours, json::serialize(stall_by_carrier),
                s.reports.utc_offset_minutes, s.reports.lead_days, json::serialize(lead_by_sku),
                s.reports.service_level, s.reports.review_days)
      .run();
  utc_offset_ = s.reports.utc_offset_minutes;
  // Every day key of the rollups depends on the offset: a new one recounts them all, once the
  // work is done (settle_rollups).
  if (s.reports.utc_offset_minutes != offset_before) recount_rollups_ = true;
}

Product SqlTx::product_from(Query& row) {
  Product p;
  p.sku = row.text(0);
  p.name = row.text(1);
  p.price = row.integer(2);
  p.currency = row.text(3);
  p.barcode = row.text(4);
  p.attributes = decode_attributes(row.text(5));
  p.weight_grams = row.integer(6);
  p.low_stock_threshold = row.integer(7);
  p.version = row.integer(8);
  p.created_at = from_millis(row.integer(9));
  p.updated_at = from_millis(row.integer(10));
  return p;
}

std::vector<ProductImage> SqlTx::images_of(const std::string& sku) {
  Query q = db_.query(
      "SELECT id, file_name, content_type, size FROM product_images "
      "WHERE tenant_id = ? AND sku = ? ORDER BY id");
  q.bind_all(tenant_, sku);
  std::vector<ProductImage> images;
  while (q.step()) images.push_back({q.integer(0), q.text(1), q.text(2), q.integer(3)});
  return images;
}

std::optional<Product> SqlTx::find_product(const std::string& sku) {
  std::optional<Product> product;
  {
    Query q = db_.query(std::string(kProductColumns) + "WHERE tenant_id = ? AND sku = ?");
    q.bind_all(tenant_, sku);
    if (!q.step()) return std::nullopt;
    product = product_from(q);
  }
  product->images = images_of(sku);
  return product;
}

std::optional<std::int64_t> SqlTx::low_stock_threshold(const std::string& sku) {
  Query q = db_.query("SELECT low_stock_threshold FROM products WHERE tenant_id = ? AND sku = ?");
  q.bind_all(tenant_, sku);
  if (!q.step()) return std::nullopt;
  return q.integer(0);
}

std::vector<Product> SqlTx::list_products(const std::string& after_sku, int limit,
                                          const std::string& search) {
  std::vector<Product> products;
  {
    std::string pattern = "%";
    for (char c : search) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    const std::string like = db_.like_ignoring_case();
    Query q = db_.query(std::string(kProductColumns) +
                        "WHERE tenant_id = ? AND sku > ? AND (? = '' OR sku " + like +
                        " ? ESCAPE '\\' OR name " + like + " ? ESCAPE '\\') ORDER BY sku LIMIT ?");
    q.bind_all(tenant_, after_sku, search, pattern, pattern, limit);
    while (q.step()) products.push_back(product_from(q));
  }
  for (Product& p : products) p.images = images_of(p.sku);
  return products;
}

void SqlTx::insert_product(const Product& p) {
  db_.query(
         "INSERT INTO products (tenant_id, sku, name, price, currency, barcode, attributes, "
         "weight_grams, low_stock_threshold, version, created_at, updated_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, p.sku, p.name, p.price, p.currency, p.barcode,
                encode_attributes(p.attributes), p.weight_grams, p.low_stock_threshold, p.version,
                to_millis(p.created_at), to_millis(p.updated_at))
      .run();
}

void SqlTx::update_product(const Product& p) {
  db_.query(
         "UPDATE products SET name = ?, price = ?, barcode = ?, attributes = ?, weight_grams = ?, "
         "low_stock_threshold = ?, version = ?, updated_at = ? WHERE tenant_id = ? AND sku = ?")
      .bind_all(p.name, p.price, p.barcode, encode_attributes(p.attributes), p.weight_grams,
                p.low_stock_threshold, p.version, to_millis(p.updated_at), tenant_, p.sku)
      .run();
}

std::int64_t SqlTx::add_product_image(const std::string& sku, const ProductImage& image,
                                      Instant at) {
  std::int64_t id = next_id("product_images");
  db_.query(
         "INSERT INTO product_images (tenant_id, id, sku, file_name, content_type, size, "
         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, id, sku, image.file_name, image.content_type, image.size, to_millis(at))
      .run();
  return id;
}

namespace {

constexpr const char* kWarehouseColumns =
    "w.id, w.code, w.name, w.sender_name, w.sender_phone, w.sender_province, w.sender_city, "
    "w.sender_district, w.sender_detail ";

// A warehouse from kWarehouseColumns starting at column `first`; its locations are not read.
Warehouse warehouse_from(const Query& q, int first) {
  Warehouse warehouse{q.integer(first), q.text(first + 1), q.text(first + 2), {}, std::nullopt};
  if (!q.is_null(first + 3)) {
    warehouse.sender = SenderAddress{q.text(first + 3), q.text(first + 4), q.text(first + 5),
                                     q.text(first + 6), q.text(first + 7), q.text(first + 8)};
  }
  return warehouse;
}

}  // namespace

std::vector<Warehouse> SqlTx::warehouses() {
  std::vector<Warehouse> list;
  Query q = db_.query("SELECT l.code, " + std::string(kWarehouseColumns) +
                      "FROM warehouses w LEFT JOIN locations l ON l.tenant_id = w.tenant_id AND "
                      "l.warehouse_id = w.id WHERE w.tenant_id = ? ORDER BY w.id, l.id");
  q.bind_all(tenant_);
  while (q.step()) {
    if (list.empty() || list.back().id != q.integer(1)) list.push_back(warehouse_from(q, 1));
    if (!q.is_null(0)) list.back().locations.push_back(q.text(0));
  }
  return list;
}

std::optional<Warehouse> SqlTx::find_warehouse(const std::string& code) {
  Query q = db_.query("SELECT l.code, " + std::string(kWarehouseColumns) +
                      "FROM warehouses w LEFT JOIN locations l ON l.tenant_id = w.tenant_id AND "
                      "l.warehouse_id = w.id WHERE w.tenant_id = ? AND w.code = ? ORDER BY l.id");
  q.bind_all(tenant_, code);
  std::optional<Warehouse> found;
  while (q.step()) {
    if (!found) found = warehouse_from(q, 1);
    if (!q.is_null(0)) found->locations.push_back(q.text(0));
  }
  return found;
}

std::optional<std::int64_t> SqlTx::find_location(const LocationRef& ref) {
  Query q = db_.query(
      "SELECT l.id FROM locations l JOIN warehouses w ON w.tenant_id = l.tenant_id "
      "AND w.id = l.warehouse_id WHERE l.tenant_id = ? AND w.code = ? AND l.code = ?");
  q.bind_all(tenant_, ref.warehouse, ref.location);
  if (!q.step()) return std::nullopt;
  return q.integer(0);
}

std::int64_t SqlTx::insert_warehouse(const std::string& code, const std::string& name) {
  std::int64_t id = next_id("warehouses");
  db_.query("INSERT INTO warehouses (tenant_id, id, code, name) VALUES (?, ?, ?, ?)")
      .bind_all(tenant_, id, code, name)
      .run();
  return id;
}

std::int64_t SqlTx::insert_location(std::int64_t warehouse_id, const std::string& code) {
  std::int64_t id = next_id("locations");
  db_.query("INSERT INTO locations (tenant_id, id, warehouse_id, code) VALUES (?, ?, ?, ?)")
      .bind_all(tenant_, id, warehouse_id, code)
      .run();
  return id;
}

std::vector<StockRow> SqlTx::stock_of(const std::string& sku) {
  // In the order reservations take from them, as balances_of() below.
  Query q = db_.query(
      "SELECT b.location_id, w.code, l.code, b.on_hand, b.reserved FROM stock_balances b "
      "JOIN locations l ON l.tenant_id = b.tenant_id AND l.id = b.location_id "
      "JOIN warehouses w ON w.tenant_id = l.tenant_id AND w.id = l.warehouse_id "
      "WHERE b.tenant_id = ? AND b.sku = ? "
      "ORDER BY b.location_id");
  q.bind_all(tenant_, sku);
  std::vector<StockRow> rows;
  while (q.step()) {
    rows.push_back(
        StockRow{q.integer(0), LocationRef{q.text(1), q.text(2)}, {q.integer(3), q.integer(4)}});
  }
  return rows;
}

std::map<std::string, StockToMove> SqlTx::stock_for_moves(const std::vector<std::string>& skus) {
  std::map<std::string, StockToMove> stock;
  if (skus.empty()) return stock;
  // Stock moves only for products, so every balance has its product row. Location ids grow with
  // creation, and a merchant's default location is created with it.
  std::size_t places = padded_places(skus.size());
  Query q = db_.query(
      "SELECT p.sku, p.low_stock_threshold, b.location_id, b.on_hand, b.reserved FROM products p "
      "LEFT JOIN stock_balances b ON b.tenant_id = p.tenant_id AND b.sku = p.sku "
      "WHERE p.tenant_id = ? AND p.sku IN (" +
      places_of(places) + ") ORDER BY p.sku, b.location_id");
  q.bind(1, tenant_);
  for (std::size_t i = 0; i < places; ++i) {
    const std::string& sku = skus[std::min(i, skus.size() - 1)];
    q.bind(static_cast<int>(i) + 2, sku);
    stock.emplace(sku, StockToMove{});
  }
  while (q.step()) {
    StockToMove& of_sku = stock.at(q.text(0));
    of_sku.threshold = q.integer(1);
    if (!q.is_null(2)) of_sku.balances.push_back({q.integer(2), {q.integer(3), q.integer(4)}});
  }
  return stock;
}

void SqlTx::put_balance(const std::string& sku, std::int64_t location_id,
                        const StockBalance& balance) {
  db_.query(
         "INSERT INTO stock_balances (tenant_id, sku, location_id, on_hand, reserved) "
         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, sku, location_id) DO UPDATE SET "
         "on_hand = excluded.on_hand, reserved = excluded.reserved")
      .bind_all(tenant_, sku, location_id, balance.on_hand, balance.reserved)
      .run();
}

void SqlTx::append_movement(const LedgerEntry& e) {
  db_.query(
         "INSERT INTO stock_movements (tenant_id, id, sku, location_id, kind, on_hand_delta, "
         "reserved_delta, reason, actor, order_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, next_id("stock_movements"), e.sku, e.location_id,
                to_string(e.movement.kind), e.movement.on_hand_delta, e.movement.reserved_delta,
                e.reason, e.actor, e.order_id, to_millis(e.at))
      .run();
}

std::vector<LedgerEntry> SqlTx::ledger(const std::string& sku, std::int64_t after_id, int limit) {
  Query q = db_.query(
      "SELECT m.id, m.location_id, w.code || '/' || l.code, m.kind, m.on_hand_delta, "
      "m.reserved_delta, m.reason, m.actor, m.order_id, m.at FROM stock_movements m "
      "JOIN locations l ON l.tenant_id = m.tenant_id AND l.id = m.location_id "
      "JOIN warehouses w ON w.tenant_id = l.tenant_id AND w.id = l.warehouse_id "
      "WHERE m.tenant_id = ? AND m.sku = ? AND m.id > ? ORDER BY m.id LIMIT ?");
  q.bind_all(tenant_, sku, after_id, limit);
  std::vector<LedgerEntry> entries;
  while (q.step()) {
    LedgerEntry e;
    e.id = q.integer(0);
    e.sku = sku;
    e.location_id = q.integer(1);
    e.location = q.text(2);
    e.movement.kind = parse_movement_kind(q.text(3)).value_or(MovementKind::adjustment);
    e.movement.on_hand_delta = q.integer(4);
    e.movement.reserved_delta = q.integer(5);
    e.reason = q.text(6);
    e.actor = q.text(7);
    e.order_id = q.integer(8);
    e.at = from_millis(q.integer(9));
    entries.push_back(std::move(e));
  }
  return entries;
}

namespace {

constexpr const char* kAlertColumns =
    "SELECT id, kind, sku, order_id, message, available, threshold, opened_at FROM alerts ";

Alert alert_from(Query& q) {
  return Alert{q.integer(0), q.text(1),    q.text(2),    q.integer(3),
               q.text(4),    q.integer(5), q.integer(6), from_millis(q.integer(7))};
}

}  // namespace

std::vector<Alert> SqlTx::open_alerts() {
  Query q = db_.query(std::string(kAlertColumns) +
                      "WHERE tenant_id = ? AND closed_at IS NULL ORDER BY id");
  q.bind_all(tenant_);
  std::vector<Alert> alerts;
  while (q.step()) alerts.push_back(alert_from(q));
  return alerts;
}

std::optional<Alert> SqlTx::find_open_alert(const std::string& kind, const std::string& sku,
                                            std::int64_t order_id) {
  Query q = db_.query(std::string(kAlertColumns) +
                      "WHERE tenant_id = ? AND kind = ? AND sku = ? AND order_id = ? "
                      "AND closed_at IS NULL");
  q.bind_all(tenant_, kind, sku, order_id);
  if (!q.step()) return std::nullopt;
  return alert_from(q);
}

std::int64_t SqlTx::open_alert(const Alert& a) {
  std::int64_t id = next_id("alerts");
  db_.query(
         "INSERT INTO alerts (tenant_id, id, kind, sku, order_id, message, available, threshold, "
         "opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, id, a.kind, a.sku, a.order_id, a.message, a.available, a.threshold,
                to_millis(a.opened_at))
      .run();
  return id;
}

void SqlTx::close_alert(std::int64_t alert_id, Instant at) {
  db_.query("UPDATE alerts SET closed_at = ? WHERE tenant_id = ? AND id = ?")
      .bind_all(to_millis(at), tenant_, alert_id)
      .run();
}

}  // namespace depot::sql
