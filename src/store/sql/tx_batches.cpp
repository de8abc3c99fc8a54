// Batch shipping jobs and their orders, and the sender address of each warehouse.
#include <boost/json.hpp>

#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace json = boost::json;

namespace {

std::string encode_reasons(const std::vector<std::string>& reasons) {
  json::array array;
  for (const std::string& reason : reasons) array.emplace_back(reason);
  return json::serialize(array);
}

std::vector<std::string> decode_reasons(const std::string& text) {
  std::vector<std::string> reasons;
  json::value parsed = json::parse(text);
  for (const json::value& reason : parsed.as_array()) {
    reasons.emplace_back(reason.as_string());
  }
  return reasons;
}

}  // namespace

std::optional<ShipmentBatch> SqlTx::find_batch(std::int64_t id) {
  Query q = db_.query(
      "SELECT carrier, status, total, shipped, skipped, failed, actor, created_at, finished_at "
      "FROM shipment_batches WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  ShipmentBatch batch;
  batch.id = id;
  batch.carrier = q.text(0);
  batch.status = parse_batch_status(q.text(1)).value_or(BatchStatus::queued);
  batch.total = q.integer(2);
  batch.shipped = q.integer(3);
  batch.skipped = q.integer(4);
  batch.failed = q.integer(5);
  batch.actor = q.text(6);
  batch.created_at = from_millis(q.integer(7));
  if (!q.is_null(8)) batch.finished_at = from_millis(q.integer(8));
  return batch;
}

std::vector<BatchOrder> SqlTx::batch_orders(std::int64_t batch_id) {
  Query q = db_.query(
      "SELECT order_id, outcome, reasons, tracking_no FROM shipment_batch_orders "
      "WHERE tenant_id = ? AND batch_id = ? ORDER BY seq");
  q.bind_all(tenant_, batch_id);
  std::vector<BatchOrder> orders;
  while (q.step()) {
    orders.push_back({q.integer(0), parse_batch_outcome(q.text(1)).value_or(BatchOutcome::pending),
                      decode_reasons(q.text(2)), q.text(3)});
  }
  return orders;
}

std::vector<std::int64_t> SqlTx::unfinished_batches() {
  Query q = db_.query(
      "SELECT id FROM shipment_batches WHERE tenant_id = ? AND status <> 'finished' ORDER BY id");
  q.bind_all(tenant_);
  std::vector<std::int64_t> ids;
  while (q.step()) ids.push_back(q.integer(0));
  return ids;
}

void SqlTx::insert_batch(ShipmentBatch& batch, const std::vector<std::int64_t>& order_ids) {
  batch.id = next_id("shipment_batches");
  db_.query(
         "INSERT INTO shipment_batches (tenant_id, id, carrier, status, total, shipped, skipped, "
         "failed, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, batch.id, batch.carrier, to_string(batch.status), batch.total,
                batch.shipped, batch.skipped, batch.failed, batch.actor,
                to_millis(batch.created_at))
      .run();
  std::int64_t seq = 0;
  for (std::int64_t order_id : order_ids) {
    db_.query(
           "INSERT INTO shipment_batch_orders (tenant_id, batch_id, seq, order_id, outcome, "
           "reasons, tracking_no) VALUES (?, ?, ?, ?, 'pending', '[]', '')")
        .bind_all(tenant_, batch.id, ++seq, order_id)
        .run();
  }
}

void SqlTx::update_batch(const ShipmentBatch& batch) {
  db_.query(
         "UPDATE shipment_batches SET status = ?, shipped = ?, skipped = ?, failed = ?, "
         "finished_at = ? WHERE tenant_id = ? AND id = ?")
      .bind_all(to_string(batch.status), batch.shipped, batch.skipped, batch.failed)
      .bind_or_null(5,
                    batch.finished_at ? std::optional(to_millis(*batch.finished_at)) : std::nullopt)
      .bind(6, tenant_)
      .bind(7, batch.id)
      .run();
}

void SqlTx::record_batch_order(std::int64_t batch_id, const BatchOrder& order) {
  db_.query(
         "UPDATE shipment_batch_orders SET outcome = ?, reasons = ?, tracking_no = ? "
         "WHERE tenant_id = ? AND batch_id = ? AND order_id = ?")
      .bind_all(to_string(order.outcome), encode_reasons(order.reasons), order.tracking_no, tenant_,
                batch_id, order.order_id)
      .run();
}

bool SqlTx::save_warehouse_sender(const std::string& code, const SenderAddress& sender) {
  db_.query(
         "UPDATE warehouses SET sender_name = ?, sender_phone = ?, sender_province = ?, "
         "sender_city = ?, sender_district = ?, sender_detail = ? WHERE tenant_id = ? AND "
         "code = ?")
      .bind_all(sender.name, sender.phone, sender.province, sender.city, sender.district,
                sender.detail, tenant_, code)
      .run();
  return db_.changes() > 0;
}

}  // namespace depot::sql
