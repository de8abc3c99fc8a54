#include "app/shipment_imports.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace depot {

namespace {

constexpr std::size_t kBatchRows = 500;

using ParcelKey = std::tuple<std::string, std::string, std::string>;

ParcelKey parcel_of(const ImportRow& row) { return {row.order_no, row.carrier, row.tracking_no}; }

// Rows of one parcel next to each other, parcels in the order they first appear.
void group_parcels(std::vector<ImportRow>& rows) {
  std::map<ParcelKey, std::size_t> first_seen;
  for (std::size_t i = 0; i < rows.size(); ++i) first_seen.emplace(parcel_of(rows[i]), i);
  std::stable_sort(rows.begin(), rows.end(), [&](const ImportRow& a, const ImportRow& b) {
    return first_seen[parcel_of(a)] < first_seen[parcel_of(b)];
  });
}

// The file column a use case's field error is about.
std::string column_of(const std::string& field) {
  if (field == "carrier" || field == "tracking_no") return field;
  if (field.ends_with(".sku")) return "sku";
  if (field.ends_with(".quantity") || field == "lines") return "quantity";
  return "order_no";
}

}  // namespace

std::string_view to_string(ImportStatus status) {
  switch (status) {
    case ImportStatus::queued:
      return "queued";
    case ImportStatus::running:
      return "running";
    case ImportStatus::finished:
      return "finished";
  }
  return "queued";
}

std::optional<ImportStatus> parse_import_status(std::string_view text) {
  for (ImportStatus status :
       {ImportStatus::queued, ImportStatus::running, ImportStatus::finished}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

void ShipmentImports::start(const Actor& actor, std::vector<ImportRow> rows,
                            Callback<ImportJob> done) {
  if (Status allowed = require(actor, Permission::ship_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  if (rows.empty()) return done(invalid_field("body", "the file holds no rows"));
  if (rows.size() > kMaxImportRows) {
    return done(invalid_field(
        "body", "the file holds more than " + std::to_string(kMaxImportRows) + " rows"));
  }
  group_parcels(rows);
  run_write<ImportJob>(
      store_, actor.tenant_id,
      [this, actor, rows = std::move(rows)](WriteTx& tx) -> Result<ImportJob> {
        ImportJob job;
        job.total = static_cast<std::int64_t>(rows.size());
        job.actor = actor.name;
        job.created_at = clock_.now();
        job.id = tx.insert_import(job, rows);
        return job;
      },
      [this, done = std::move(done)](Result<ImportJob> queued) {
        if (queued.ok() && wake_) wake_();
        done(std::move(queued));
      });
}

Result<ImportReport> ShipmentImports::report(const Actor& actor, std::int64_t import_id) {
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  Result<ImportJob> job = find_import_of(*tx, ImportKind::shipments, import_id);
  if (!job.ok()) return job.error();
  ImportReport report{*job, {}};
  for (const ImportRow& row : tx->failed_import_rows(import_id, kMaxReportedErrors)) {
    report.errors.push_back({row.line, row.column, row.message});
  }
  std::sort(report.errors.begin(), report.errors.end(),
            [](const ImportError& a, const ImportError& b) { return a.line < b.line; });
  return report;
}

Result<bool> ShipmentImports::run_batch(TenantId tenant, std::int64_t import_id) {
  return run_write_blocking<bool>(store_, tenant, [&](WriteTx& tx) -> Result<bool> {
    Result<ImportJob> job = find_import_of(tx, ImportKind::shipments, import_id);
    if (!job.ok()) return job.error();
    if (job->status == ImportStatus::finished) return true;
    Instant now = clock_.now();
    std::int64_t done_rows = job->applied + job->unchanged + job->failed;
    auto rows = tx.import_rows(import_id, done_rows, 2 * kBatchRows);
    auto same_parcel = [](const NumberedRow& a, const NumberedRow& b) {
      return parcel_of(a.second) == parcel_of(b.second);
    };
    for_each_group(rows, rows.size() == 2 * kBatchRows, kBatchRows, same_parcel,
                   [&](std::size_t first, std::size_t last) {
                     std::vector<NumberedRow*> parcel;
                     for (std::size_t i = first; i <= last; ++i) parcel.push_back(&rows[i]);
                     ParcelOutcome outcome = apply_parcel(tx, job->actor, parcel, now);
                     for (auto* row : parcel) {
                       ImportRow& r = row->second;
                       if (r.outcome == RowOutcome::failed) {
                         ++job->failed;  // refused by the file's reader already
                         continue;
                       }
                       r.outcome = outcome.outcome;
                       r.column = outcome.column;
                       r.message = outcome.message;
                       tx.record_import_row(import_id, row->first, r);
                       count_outcome(*job, r.outcome);
                     }
                   });
    bool finished = settle_progress(*job, now);
    tx.update_import(*job);
    return finished;
  });
}

ShipmentImports::ParcelOutcome ShipmentImports::apply_parcel(WriteTx& tx, const std::string& actor,
                                                             const std::vector<NumberedRow*>& rows,
                                                             Instant now) {
  std::vector<const ImportRow*> readable;
  for (const NumberedRow* row : rows) {
    if (row->second.outcome != RowOutcome::failed) readable.push_back(&row->second);
  }
  if (readable.empty()) return {RowOutcome::failed, {}, {}};
  const ImportRow& head = *readable.front();
  ShipCommand command{head.carrier, head.tracking_no, std::nullopt, {}};
  for (const ImportRow* row : readable) {
    if (!row->sku.empty()) command.lines.push_back({row->sku, row->quantity});
  }
  if (!command.lines.empty() && command.lines.size() != readable.size()) {
    return {RowOutcome::failed, "sku",
            "a parcel's rows must all name a SKU, or none (ship everything left)"};
  }
  std::optional<std::int64_t> order_id = tx.find_order_id(head.order_no);
  std::optional<Order> order = order_id ? tx.find_order(*order_id) : std::nullopt;
  if (!order) return {RowOutcome::failed, "order_no", "no order " + head.order_no};

  Result<Shipped> shipped = shipping_.ship_in(tx, actor, *order, command, now);
  if (!shipped.ok()) {
    const Error& e = shipped.error();
    std::string field = e.fields.empty() ? std::string() : e.fields.front().field;
    std::string why = e.fields.empty() ? e.message : e.fields.front().message;
    for (std::size_t i = 1; i < e.fields.size(); ++i) why += "; " + e.fields[i].message;
    return {RowOutcome::failed, column_of(field), why};
  }
  if (shipped->order.status == OrderStatus::on_hold) {
    std::string why = "the order failed verification and is on hold:";
    for (const HoldReason& r : shipped->order.hold_reasons) why += " " + r.message + ";";
    return {RowOutcome::failed, "order_no", why};
  }
  return {shipped->created ? RowOutcome::applied : RowOutcome::unchanged, {}, {}};
}

std::vector<std::pair<TenantId, std::int64_t>> ShipmentImports::unfinished() {
  return unfinished_imports(store_, ImportKind::shipments);
}

}  // namespace depot
