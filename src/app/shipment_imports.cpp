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
  if (Status allowed = require(actor, Permission::write_orders); !allowed.ok()) {
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
      std::vector<std::pair<std::int64_t, ImportRow>*> parcel;
      for (std::size_t i = end; i <= last; ++i) parcel.push_back(&rows[i]);
      end = last + 1;
      processed += static_cast<int>(parcel.size());

      auto settle = [&](RowOutcome outcome, const std::string& column, const std::string& why) {
        for (auto* row : parcel) {
          ImportRow& r = row->second;
          if (r.outcome == RowOutcome::failed) {
            ++job->failed;  // refused by the file's reader already
            continue;
          }
          r.outcome = outcome;
          r.column = column;
          r.message = why;
          tx.record_import_row(import_id, row->first, r);
          if (outcome == RowOutcome::applied) ++job->applied;
          if (outcome == RowOutcome::unchanged) ++job->unchanged;
          if (outcome == RowOutcome::failed) ++job->failed;
        }
      };
      bool readable = std::any_of(parcel.begin(), parcel.end(), [](auto* row) {
        return row->second.outcome != RowOutcome::failed;
      });
      if (!readable) {
        settle(RowOutcome::failed, {}, {});
        continue;
      }
      const ImportRow& head = parcel.front()->second;
      ShipCommand command{head.carrier, head.tracking_no, std::nullopt, {}};
      bool some_sku = false, no_sku = false;
      for (auto* row : parcel) {
        if (row->second.outcome == RowOutcome::failed) continue;
        if (row->second.sku.empty()) {
          no_sku = true;
        } else {
          some_sku = true;
          command.lines.push_back({row->second.sku, row->second.quantity});
        }
      }
      if (some_sku && no_sku) {
        settle(RowOutcome::failed, "sku",
               "a parcel's rows must all name a SKU, or none (ship everything left)");
        continue;
      }
      std::optional<std::int64_t> order_id = tx.find_order_id(head.order_no);
      std::optional<Order> order = order_id ? tx.find_order(*order_id) : std::nullopt;
      if (!order) {
        settle(RowOutcome::failed, "order_no", "no order " + head.order_no);
        continue;
      }
      Result<Shipped> shipped = shipping_.ship_in(tx, job->actor, *order, command, now);
      if (!shipped.ok()) {
        const Error& e = shipped.error();
        std::string field = e.fields.empty() ? std::string() : e.fields.front().field;
        std::string why = e.fields.empty() ? e.message : e.fields.front().message;
        for (std::size_t i = 1; i < e.fields.size(); ++i) why += "; " + e.fields[i].message;
        settle(RowOutcome::failed, column_of(field), why);
      } else if (shipped->order.status == OrderStatus::on_hold) {
        std::string why = "the order failed verification and is on hold:";
        for (const HoldReason& r : shipped->order.hold_reasons) why += " " + r.message + ";";
        settle(RowOutcome::failed, "order_no", why);
      } else {
        settle(shipped->created ? RowOutcome::applied : RowOutcome::unchanged, {}, {});
      }
    }
    bool finished = job->applied + job->unchanged + job->failed >= job->total;
    job->status = finished ? ImportStatus::finished : ImportStatus::running;
    if (finished) job->finished_at = now;
    tx.update_import(*job);
    return finished;
  });
}

std::vector<std::pair<TenantId, std::int64_t>> ShipmentImports::unfinished() {
  std::vector<std::pair<TenantId, std::int64_t>> jobs;
  for (TenantId tenant : store_.tenant_ids()) {
    for (std::int64_t id : store_.read(tenant)->unfinished_imports()) jobs.emplace_back(tenant, id);
  }
  return jobs;
}

}  // namespace depot
