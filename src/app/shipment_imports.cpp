#include "app/shipment_imports.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace depot {

namespace {

constexpr int kBatchRows = 500;

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
  std::optional<ImportJob> job = tx->find_import(import_id);
  if (!job) {
    return error(ErrorCode::not_found, "import " + std::to_string(import_id) + " was not found");
  }
  ImportReport report{*job, tx->failed_import_rows(import_id, kMaxReportedErrors)};
  std::sort(report.errors.begin(), report.errors.end(),
            [](const ImportRow& a, const ImportRow& b) { return a.line < b.line; });
  return report;
}

Result<bool> ShipmentImports::run_batch(TenantId tenant, std::int64_t import_id) {
  return run_write_blocking<bool>(store_, tenant, [&](WriteTx& tx) -> Result<bool> {
    std::optional<ImportJob> job = tx.find_import(import_id);
    if (!job) return error(ErrorCode::not_found, "no such import");
    if (job->status == ImportStatus::finished) return true;
    Instant now = clock_.now();
    std::int64_t done_rows = job->applied + job->unchanged + job->failed;
    auto rows = tx.import_rows(import_id, done_rows, 2 * kBatchRows);
    std::size_t end = 0;
    int processed = 0;
    while (end < rows.size() && processed < kBatchRows) {
      // One parcel: its rows are adjacent. A parcel cut off by the page waits for the next batch.
      std::size_t last = end;
      while (last + 1 < rows.size() &&
             parcel_of(rows[last + 1].second) == parcel_of(rows[end].second)) {
        ++last;
      }
      if (last + 1 == rows.size() && rows.size() == 2 * kBatchRows && end > 0) break;
      std::vector<NumberedRow*> parcel;
      for (std::size_t i = end; i <= last; ++i) parcel.push_back(&rows[i]);
      end = last + 1;
      processed += static_cast<int>(parcel.size());

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
        if (r.outcome == RowOutcome::applied) ++job->applied;
        if (r.outcome == RowOutcome::unchanged) ++job->unchanged;
        if (r.outcome == RowOutcome::failed) ++job->failed;
      }
    }
    bool finished = job->applied + job->unchanged + job->failed >= job->total;
    job->status = finished ? ImportStatus::finished : ImportStatus::running;
    if (finished) job->finished_at = now;
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
  std::vector<std::pair<TenantId, std::int64_t>> jobs;
  for (TenantId tenant : store_.tenant_ids()) {
    for (std::int64_t id : store_.read(tenant)->unfinished_imports()) jobs.emplace_back(tenant, id);
  }
  return jobs;
}

}  // namespace depot
