// The waybill account, the waybills bought for parcels and their labels.
#include <boost/json.hpp>

#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace json = boost::json;

namespace {

std::string encode_carriers(const std::map<std::string, std::map<std::string, std::string>>& map) {
  json::object carriers;
  for (const auto& [carrier, fields] : map) {
    json::object object;
    for (const auto& [name, value] : fields) object[name] = value;
    carriers[carrier] = std::move(object);
  }
  return json::serialize(carriers);
}

std::map<std::string, std::map<std::string, std::string>> decode_carriers(const std::string& text) {
  std::map<std::string, std::map<std::string, std::string>> map;
  json::value parsed = json::parse(text);
  for (const auto& [carrier, fields] : parsed.as_object()) {
    auto& decoded = map[std::string(carrier)];
    for (const auto& [name, value] : fields.as_object()) {
      decoded.emplace(std::string(name), std::string(value.as_string()));
    }
  }
  return map;
}

constexpr const char* kWaybillColumns =
    "SELECT id, order_id, parcel, parcel_key, carrier, status, tracking_no, provider_order_no, "
    "label_format, error, batch_id, created_at, updated_at FROM waybills ";

Waybill waybill_from(const Query& q) {
  Waybill w;
  w.id = q.integer(0);
  w.order_id = q.integer(1);
  w.parcel = static_cast<int>(q.integer(2));
  w.parcel_key = q.text(3);
  w.carrier = q.text(4);
  w.status = parse_waybill_status(q.text(5)).value_or(WaybillStatus::requested);
  w.tracking_no = q.text(6);
  w.provider_order_no = q.text(7);
  w.label_format = q.text(8);
  w.error = q.text(9);
  w.batch_id = q.integer(10);
  w.created_at = from_millis(q.integer(11));
  w.updated_at = from_millis(q.integer(12));
  return w;
}

}  // namespace

std::optional<WaybillAccount> SqlTx::waybill_account() {
  Query q = db_.query(
      "SELECT url, key, secret, carriers, updated_at FROM waybill_accounts WHERE tenant_id = ?");
  q.bind_all(tenant_);
  if (!q.step()) return std::nullopt;
  return WaybillAccount{q.text(0), q.text(1), q.text(2), decode_carriers(q.text(3)),
                        from_millis(q.integer(4))};
}

void SqlTx::save_waybill_account(const WaybillAccount& account) {
  db_.query(
         "INSERT INTO waybill_accounts (tenant_id, url, key, secret, carriers, updated_at) "
         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET url = excluded.url, "
         "key = excluded.key, secret = excluded.secret, carriers = excluded.carriers, "
         "updated_at = excluded.updated_at")
      .bind_all(tenant_, account.url, account.key, account.secret,
                encode_carriers(account.carriers), to_millis(account.updated_at))
      .run();
}

std::optional<Waybill> SqlTx::find_waybill(const std::string& parcel_key) {
  Query q = db_.query(std::string(kWaybillColumns) + "WHERE tenant_id = ? AND parcel_key = ?");
  q.bind_all(tenant_, parcel_key);
  if (!q.step()) return std::nullopt;
  return waybill_from(q);
}

std::vector<Waybill> SqlTx::waybills_of(std::int64_t order_id) {
  Query q = db_.query(std::string(kWaybillColumns) +
                      "WHERE tenant_id = ? AND order_id = ? ORDER BY parcel, id");
  q.bind_all(tenant_, order_id);
  std::vector<Waybill> found;
  while (q.step()) found.push_back(waybill_from(q));
  return found;
}

std::optional<WaybillLabel> SqlTx::waybill_label(std::int64_t waybill_id) {
  Query q = db_.query(
      "SELECT format, bytes FROM waybill_labels WHERE tenant_id = ? AND "
      "waybill_id = ?");
  q.bind_all(tenant_, waybill_id);
  if (!q.step()) return std::nullopt;
  return WaybillLabel{q.text(0), q.blob(1)};
}

bool SqlTx::insert_waybill(Waybill& waybill) {
  if (find_waybill(waybill.parcel_key)) return false;
  waybill.id = next_id("waybills");
  db_.query(
         "INSERT INTO waybills (tenant_id, id, order_id, parcel, parcel_key, carrier, status, "
         "tracking_no, provider_order_no, label_format, error, batch_id, created_at, updated_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, waybill.id, waybill.order_id, waybill.parcel, waybill.parcel_key,
                waybill.carrier, to_string(waybill.status), waybill.tracking_no,
                waybill.provider_order_no, waybill.label_format, waybill.error, waybill.batch_id,
                to_millis(waybill.created_at), to_millis(waybill.updated_at))
      .run();
  return true;
}

void SqlTx::update_waybill(const Waybill& waybill) {
  db_.query(
         "UPDATE waybills SET status = ?, tracking_no = ?, provider_order_no = ?, "
         "label_format = ?, error = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")
      .bind_all(to_string(waybill.status), waybill.tracking_no, waybill.provider_order_no,
                waybill.label_format, waybill.error, to_millis(waybill.updated_at), tenant_,
                waybill.id)
      .run();
}

void SqlTx::save_waybill_label(std::int64_t waybill_id, const WaybillLabel& label) {
  db_.query(
         "INSERT INTO waybill_labels (tenant_id, waybill_id, format, bytes) VALUES (?, ?, ?, ?) "
         "ON CONFLICT (tenant_id, waybill_id) DO UPDATE "
         "SET format = excluded.format, bytes = excluded.bytes")
      .bind_all(tenant_, waybill_id, label.format)
      .bind_blob(4, label.bytes)
      .run();
}

}  // namespace depot::sql
