// Shipments, the reminder sweep's index and bulk imports: their jobs, shipment rows and order rows.
#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace {

std::string_view to_string(RowOutcome outcome) {
  switch (outcome) {
    case RowOutcome::pending:
      return "pending";
    case RowOutcome::applied:
      return "applied";
    case RowOutcome::unchanged:
      return "unchanged";
    case RowOutcome::failed:
      return "failed";
  }
  return "pending";
}

RowOutcome parse_outcome(std::string_view text) {
  for (RowOutcome outcome :
       {RowOutcome::pending, RowOutcome::applied, RowOutcome::unchanged, RowOutcome::failed}) {
    if (to_string(outcome) == text) return outcome;
  }
  return RowOutcome::pending;
}

constexpr const char* kRowColumns =
    "SELECT seq, line, order_no, carrier, tracking_no, sku, quantity, outcome, column_name, "
    "message FROM shipment_import_rows ";

ImportRow row_from(Query& q) {
  return ImportRow{q.integer(1),
                   q.text(2),
                   q.text(3),
                   q.text(4),
                   q.text(5),
                   q.integer(6),
                   parse_outcome(q.text(7)),
                   q.text(8),
                   q.text(9)};
}

constexpr const char* kOrderRowColumns =
    "SELECT seq, line, platform, external_no, customer_name, phone, email, province, city, "
    "district, detail, postcode, sku, quantity, unit_price, paid, notes, outcome, column_name, "
    "message FROM order_import_rows ";

OrderImportRow order_row_from(Query& q) {
  OrderImportRow row;
  row.line = q.integer(1);
  row.platform = q.text(2);
  row.external_no = q.text(3);
  row.customer_name = q.text(4);
  row.phone = q.text(5);
  row.email = q.text(6);
  row.province = q.text(7);
  row.city = q.text(8);
  row.district = q.text(9);
  row.detail = q.text(10);
  row.postcode = q.text(11);
  row.sku = q.text(12);
  row.quantity = q.integer(13);
  row.unit_price = q.integer(14);
  row.paid = q.integer(15) != 0;
  row.notes = q.text(16);
  row.outcome = parse_outcome(q.text(17));
  row.column = q.text(18);
  row.message = q.text(19);
  return row;
}

}  // namespace

// Named indexes are forced where the planner would rather walk the merchant's whole table in id
// order than sort an order's few rows.
std::vector<Shipment> SqlTx::shipments_of(std::int64_t order_id) {
  std::vector<Shipment> shipments;
  {
    Query q = db_.query(
        "SELECT id, carrier, tracking_no, shipped_at, actor, created_at FROM shipments "
        "INDEXED BY shipments_order WHERE tenant_id = ? AND order_id = ? ORDER BY id");
    q.bind_all(tenant_, order_id);
    while (q.step()) {
      Shipment s;
      s.id = q.integer(0);
      s.order_id = order_id;
      s.carrier = q.text(1);
      s.tracking_no = q.text(2);
      s.shipped_at = from_millis(q.integer(3));
      s.actor = q.text(4);
      s.created_at = from_millis(q.integer(5));
      shipments.push_back(std::move(s));
    }
  }
  for (Shipment& s : shipments) {
    Query q = db_.query(
        "SELECT sku, quantity FROM shipment_lines WHERE tenant_id = ? AND shipment_id = ? "
        "ORDER BY sku");
    q.bind_all(tenant_, s.id);
    while (q.step()) s.lines.push_back({q.text(0), q.integer(1)});
  }
  return shipments;
}

void SqlTx::insert_shipment(Shipment& s) {
  // Shipments and parcels coming back share one sequence: a shipment's id is its parcel's.
  s.id = next_id("parcels");
  db_.query(
         "INSERT INTO shipments (tenant_id, id, order_id, carrier, tracking_no, shipped_at, actor, "
         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, s.id, s.order_id, s.carrier, s.tracking_no, to_millis(s.shipped_at),
                s.actor, to_millis(s.created_at))
      .run();
  for (const ShipmentLine& line : s.lines) {
    db_.query(
           "INSERT INTO shipment_lines (tenant_id, shipment_id, sku, quantity) VALUES (?, ?, ?, ?)")
        .bind_all(tenant_, s.id, line.sku, line.quantity)
        .run();
  }
}

std::optional<std::int64_t> SqlTx::find_order_id(const std::string& order_no) {
  Query q = db_.query("SELECT id FROM orders WHERE tenant_id = ? AND order_no = ?");
  q.bind_all(tenant_, order_no);
  if (!q.step()) return std::nullopt;
  return q.integer(0);
}

std::vector<Order> SqlTx::orders_due_before(Instant cutoff, Instant after_due,
                                            std::int64_t after_id, int limit) {
  Query q = db_.query(std::string(order_columns()) +
                      "FROM orders INDEXED BY orders_awaiting_due WHERE tenant_id = ? "
                      "AND awaiting_due_at IS NOT NULL AND awaiting_due_at <= ? "
                      "AND (awaiting_due_at, id) > (?, ?) ORDER BY awaiting_due_at, id LIMIT ?");
  q.bind_all(tenant_, to_millis(cutoff), to_millis(after_due), after_id, limit);
  return orders_from(q);
}

std::optional<ImportJob> SqlTx::find_import(std::int64_t id) {
  Query q = db_.query(
      "SELECT status, total, applied, unchanged, failed, actor, created_at, finished_at, kind "
      "FROM shipment_imports WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  ImportJob job;
  job.id = id;
  job.status = parse_import_status(q.text(0)).value_or(ImportStatus::queued);
  job.total = q.integer(1);
  job.applied = q.integer(2);
  job.unchanged = q.integer(3);
  job.failed = q.integer(4);
  job.actor = q.text(5);
  job.created_at = from_millis(q.integer(6));
  if (!q.is_null(7)) job.finished_at = from_millis(q.integer(7));
  job.kind = parse_import_kind(q.text(8)).value_or(ImportKind::shipments);
  return job;
}

std::vector<std::pair<std::int64_t, ImportRow>> SqlTx::import_rows(std::int64_t import_id,
                                                                   std::int64_t after_seq,
                                                                   int limit) {
  Query q = db_.query(std::string(kRowColumns) +
                      "WHERE tenant_id = ? AND import_id = ? AND seq > ? ORDER BY seq LIMIT ?");
  q.bind_all(tenant_, import_id, after_seq, limit);
  std::vector<std::pair<std::int64_t, ImportRow>> rows;
  while (q.step()) rows.emplace_back(q.integer(0), row_from(q));
  return rows;
}

std::vector<ImportRow> SqlTx::failed_import_rows(std::int64_t import_id, int limit) {
  Query q = db_.query(std::string(kRowColumns) +
                      "WHERE tenant_id = ? AND import_id = ? AND outcome = 'failed' "
                      "ORDER BY seq LIMIT ?");
  q.bind_all(tenant_, import_id, limit);
  std::vector<ImportRow> rows;
  while (q.step()) rows.push_back(row_from(q));
  return rows;
}

std::vector<std::int64_t> SqlTx::unfinished_imports(ImportKind kind) {
  Query q = db_.query(
      "SELECT id FROM shipment_imports INDEXED BY shipment_imports_unfinished "
      "WHERE status <> 'finished' AND tenant_id = ? AND kind = ? ORDER BY id");
  q.bind_all(tenant_, to_string(kind));
  std::vector<std::int64_t> ids;
  while (q.step()) ids.push_back(q.integer(0));
  return ids;
}

std::int64_t SqlTx::insert_import(const ImportJob& job, const std::vector<ImportRow>& rows) {
  std::int64_t id = next_id("shipment_imports");
  db_.query(
         "INSERT INTO shipment_imports (tenant_id, id, kind, status, total, applied, unchanged, "
         "failed, actor, created_at) VALUES (?, ?, 'shipments', ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, id, to_string(job.status), job.total, job.applied, job.unchanged,
                job.failed, job.actor, to_millis(job.created_at))
      .run();
  std::int64_t seq = 0;
  for (const ImportRow& row : rows) {
    db_.query(
           "INSERT INTO shipment_import_rows (tenant_id, import_id, seq, line, order_no, carrier, "
           "tracking_no, sku, quantity, outcome, column_name, message) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_all(tenant_, id, ++seq, row.line, row.order_no, row.carrier, row.tracking_no, row.sku,
                  row.quantity, to_string(row.outcome), row.column, row.message)
        .run();
  }
  return id;
}

void SqlTx::update_import(const ImportJob& job) {
  Query q = db_.query(
      "UPDATE shipment_imports SET status = ?, applied = ?, unchanged = ?, failed = ?, "
      "finished_at = ? WHERE tenant_id = ? AND id = ?");
  q.bind_all(to_string(job.status), job.applied, job.unchanged, job.failed);
  q.bind_or_null(5, job.finished_at ? std::optional(to_millis(*job.finished_at)) : std::nullopt);
  q.bind(6, tenant_).bind(7, job.id);
  q.run();
}

void SqlTx::record_import_row(std::int64_t import_id, std::int64_t seq, const ImportRow& row) {
  db_.query(
         "UPDATE shipment_import_rows SET outcome = ?, column_name = ?, message = ? "
         "WHERE tenant_id = ? AND import_id = ? AND seq = ?")
      .bind_all(to_string(row.outcome), row.column, row.message, tenant_, import_id, seq)
      .run();
}

std::vector<std::pair<std::int64_t, OrderImportRow>> SqlTx::order_import_rows(
    std::int64_t import_id, std::int64_t after_seq, int limit) {
  Query q = db_.query(std::string(kOrderRowColumns) +
                      "WHERE tenant_id = ? AND import_id = ? AND seq > ? ORDER BY seq LIMIT ?");
  q.bind_all(tenant_, import_id, after_seq, limit);
  std::vector<std::pair<std::int64_t, OrderImportRow>> rows;
  while (q.step()) rows.emplace_back(q.integer(0), order_row_from(q));
  return rows;
}

std::vector<OrderImportRow> SqlTx::failed_order_import_rows(std::int64_t import_id, int limit) {
  Query q = db_.query(std::string(kOrderRowColumns) +
                      "WHERE tenant_id = ? AND import_id = ? AND outcome = 'failed' "
                      "ORDER BY seq LIMIT ?");
  q.bind_all(tenant_, import_id, limit);
  std::vector<OrderImportRow> rows;
  while (q.step()) rows.push_back(order_row_from(q));
  return rows;
}

std::int64_t SqlTx::insert_order_import(const ImportJob& job,
                                        const std::vector<OrderImportRow>& rows) {
  std::int64_t id = next_id("shipment_imports");
  db_.query(
         "INSERT INTO shipment_imports (tenant_id, id, kind, status, total, applied, unchanged, "
         "failed, actor, created_at) VALUES (?, ?, 'orders', ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, id, to_string(job.status), job.total, job.applied, job.unchanged,
                job.failed, job.actor, to_millis(job.created_at))
      .run();
  std::int64_t seq = 0;
  for (const OrderImportRow& row : rows) {
    db_.query(
           "INSERT INTO order_import_rows (tenant_id, import_id, seq, line, platform, "
           "external_no, customer_name, phone, email, province, city, district, detail, postcode, "
           "sku, quantity, unit_price, paid, notes, outcome, column_name, message) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind_all(tenant_, id, ++seq, row.line, row.platform, row.external_no, row.customer_name,
                  row.phone, row.email, row.province, row.city, row.district, row.detail,
                  row.postcode, row.sku, row.quantity, row.unit_price, row.paid, row.notes,
                  to_string(row.outcome), row.column, row.message)
        .run();
  }
  return id;
}

void SqlTx::record_order_import_row(std::int64_t import_id, std::int64_t seq,
                                    const OrderImportRow& row) {
  db_.query(
         "UPDATE order_import_rows SET outcome = ?, column_name = ?, message = ? "
         "WHERE tenant_id = ? AND import_id = ? AND seq = ?")
      .bind_all(to_string(row.outcome), row.column, row.message, tenant_, import_id, seq)
      .run();
}

}  // namespace depot::sql
