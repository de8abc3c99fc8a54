#include "app/order_imports.h"

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <tuple>

#include "domain/text.h"

namespace depot {

namespace {

constexpr std::size_t kBatchRows = 500;

using OrderKey = std::tuple<std::string, std::string>;

OrderKey order_of(const OrderImportRow& row) { return {row.platform, row.external_no}; }

// Rows of one order next to each other, orders in the order they first appear.
void group_orders(std::vector<OrderImportRow>& rows) {
  std::map<OrderKey, std::size_t> first_seen;
  for (std::size_t i = 0; i < rows.size(); ++i) first_seen.emplace(order_of(rows[i]), i);
  std::stable_sort(rows.begin(), rows.end(), [&](const OrderImportRow& a, const OrderImportRow& b) {
    return first_seen[order_of(a)] < first_seen[order_of(b)];
  });
}

// The file column a field of depot's order input comes from ("lines[2].sku" → "sku"), and which of
// the order's rows it is on (the line's; 0 for the order's own fields, which its first row gives).
std::pair<std::string, std::size_t> column_of(std::string_view field) {
  if (field.starts_with("lines[")) {
    std::size_t close = field.find(']');
    std::size_t index = 0;
    for (char c : field.substr(6, close == std::string_view::npos ? 0 : close - 6)) {
      index = index * 10 + static_cast<std::size_t>(c - '0');
    }
    std::size_t dot = field.rfind('.');
    std::string_view name = dot == std::string_view::npos ? "sku" : field.substr(dot + 1);
    return {std::string(name), index};
  }
  if (field == "lines") return {"sku", 0};
  if (field == "customer.name") return {"customer_name", 0};
  if (field == "customer.phone") return {"phone", 0};
  if (field == "customer.email") return {"email", 0};
  if (field.starts_with("shipping_address.")) {
    return {std::string(field.substr(sizeof("shipping_address.") - 1)), 0};
  }
  if (field.starts_with("payment")) return {"paid", 0};
  if (field == "external_no" || field == "platform" || field == "notes") {
    return {std::string(field), 0};
  }
  return {"", 0};
}

// The order a group of rows describes: its own fields from its first row, a line from each.
PlatformOrder order_from(const std::vector<const OrderImportRow*>& rows) {
  const OrderImportRow& head = *rows.front();
  PlatformOrder order;
  OrderDraft& draft = order.draft;
  draft.platform = head.platform;
  draft.external_no = head.external_no;
  draft.customer.name = head.customer_name;
  draft.customer.phone = head.phone;
  draft.customer.email = head.email;
  draft.shipping_address = {
      head.province, head.city, head.district, head.detail, head.postcode, {}, {}, {}};
  draft.notes = head.notes;
  for (const OrderImportRow* row : rows) {
    draft.lines.push_back({row->sku, row->quantity, row->unit_price});
  }
  // The same reference a platform's payment without a transaction id has: a payment recorded
  // by a delivery of the order is not recorded again by its import, nor the other way round.
  if (head.paid) order.payment = PlatformPayment{std::nullopt, "import", "paid", {}};
  return order;
}

using NumberedRow = std::pair<std::int64_t, OrderImportRow>;  // (seq, row)

// Fails every row of an order still pending: the row at `line` with why, the others naming it.
void fail_order(const std::vector<NumberedRow*>& rows, const std::string& column, std::int64_t line,
                const std::string& why) {
  for (NumberedRow* numbered : rows) {
    OrderImportRow& row = numbered->second;
    if (row.outcome != RowOutcome::pending) continue;
    row.outcome = RowOutcome::failed;
    row.column = column;
    row.message =
        row.line == line ? why : "line " + std::to_string(line) + " of this order: " + why;
  }
}

// The same for a use case's error, on the row and column its first field comes from.
void fail_order(const std::vector<NumberedRow*>& rows, const Error& e) {
  std::string field = e.fields.empty() ? std::string() : e.fields.front().field;
  std::string why = e.fields.empty() ? e.message : e.fields.front().message;
  for (std::size_t i = 1; i < e.fields.size(); ++i) why += "; " + e.fields[i].message;
  auto [column, index] = column_of(field);
  std::int64_t line = rows[index < rows.size() ? index : 0]->second.line;
  fail_order(rows, column, line, why);
}

}  // namespace

void OrderImports::start(const Actor& actor, std::vector<OrderImportRow> rows,
                         Callback<ImportJob> done) {
  if (Status allowed = require(actor, Permission::create_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  if (rows.empty()) return done(invalid_field("body", "the file holds no rows"));
  if (rows.size() > kMaxImportRows) {
    return done(invalid_field(
        "body", "the file holds more than " + std::to_string(kMaxImportRows) + " rows"));
  }
  group_orders(rows);
  run_write<ImportJob>(
      store_, actor.tenant_id,
      [this, actor, rows = std::move(rows)](WriteTx& tx) -> Result<ImportJob> {
        ImportJob job;
        job.kind = ImportKind::orders;
        job.total = static_cast<std::int64_t>(rows.size());
        job.actor = actor.name;
        job.created_at = clock_.now();
        job.id = tx.insert_order_import(job, rows);
        return job;
      },
      [this, done = std::move(done)](Result<ImportJob> queued) {
        if (queued.ok() && wake_) wake_();
        done(std::move(queued));
      });
}

Result<ImportReport> OrderImports::report(const Actor& actor, std::int64_t import_id) {
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  Result<ImportJob> job = find_import_of(*tx, ImportKind::orders, import_id);
  if (!job.ok()) return job.error();
  ImportReport report{*job, {}};
  for (const OrderImportRow& row : tx->failed_order_import_rows(import_id, kMaxReportedErrors)) {
    report.errors.push_back({row.line, row.column, row.message});
  }
  std::sort(report.errors.begin(), report.errors.end(),
            [](const ImportError& a, const ImportError& b) { return a.line < b.line; });
  return report;
}

std::vector<std::pair<TenantId, std::int64_t>> OrderImports::unfinished() {
  return unfinished_imports(store_, ImportKind::orders);
}

// Each order of the batch is a write of its own, so an order that fails rolls back alone, as a
// platform's delivery of it would; the store commits them together. A last write records the
// failed rows and the progress. A row's outcome is stored with its order, so after a crash
// between the two an order already applied is counted, not applied again.
Result<bool> OrderImports::run_batch(TenantId tenant, std::int64_t import_id) {
  std::vector<NumberedRow> rows;
  std::string actor_name;
  {
    std::unique_ptr<ReadTx> tx = store_.read(tenant);
    Result<ImportJob> job = find_import_of(*tx, ImportKind::orders, import_id);
    if (!job.ok()) return job.error();
    if (job->status == ImportStatus::finished) return true;
    rows = tx->order_import_rows(import_id, job->applied + job->unchanged + job->failed,
                                 2 * kBatchRows);
    actor_name = job->actor;
  }
  Actor actor{tenant, actor_name, Role::owner};

  struct Applying {
    std::vector<NumberedRow*> rows;
    std::future<Result<RowOutcome>> outcome;
  };
  std::vector<Applying> applying;
  std::size_t processed = for_each_group(
      rows, rows.size() == 2 * kBatchRows, kBatchRows,
      [](const NumberedRow& a, const NumberedRow& b) {
        return order_of(a.second) == order_of(b.second);
      },
      [&](std::size_t first, std::size_t last) {
        std::vector<NumberedRow*> order;
        for (std::size_t i = first; i <= last; ++i) order.push_back(&rows[i]);
        auto pending = [](const NumberedRow* row) {
          return row->second.outcome == RowOutcome::pending;
        };
        if (std::none_of(order.begin(), order.end(), pending)) return;  // applied before a crash
        auto unread = std::find_if(order.begin(), order.end(), [](const NumberedRow* row) {
          return row->second.outcome == RowOutcome::failed;
        });
        if (unread != order.end()) {
          const OrderImportRow& bad = (*unread)->second;
          return fail_order(order, bad.column, bad.line, bad.message);
        }
        std::vector<const OrderImportRow*> lines;
        for (const NumberedRow* row : order) lines.push_back(&row->second);
        Result<PreparedPlatformOrder> prepared = prepare_platform_order(order_from(lines));
        if (!prepared.ok()) return fail_order(order, prepared.error());
        applying.push_back({order, apply_order(actor, import_id, order, std::move(*prepared))});
      });
  for (Applying& order : applying) {
    Result<RowOutcome> outcome = order.outcome.get();
    if (!outcome.ok()) {
      fail_order(order.rows, outcome.error());
      continue;
    }
    for (NumberedRow* row : order.rows) row->second.outcome = *outcome;
  }

  return run_write_blocking<bool>(store_, tenant, [&](WriteTx& tx) -> Result<bool> {
    Result<ImportJob> job = find_import_of(tx, ImportKind::orders, import_id);
    if (!job.ok()) return job.error();
    for (std::size_t i = 0; i < processed; ++i) {
      const auto& [seq, row] = rows[i];
      // Rows of applied orders were recorded with their order.
      if (row.outcome == RowOutcome::failed) tx.record_order_import_row(import_id, seq, row);
      count_outcome(*job, row.outcome);
    }
    bool finished = settle_progress(*job, clock_.now());
    tx.update_import(*job);
    return finished;
  });
}

std::future<Result<RowOutcome>> OrderImports::apply_order(const Actor& actor,
                                                          std::int64_t import_id,
                                                          const std::vector<NumberedRow*>& rows,
                                                          PreparedPlatformOrder prepared) {
  auto promise = std::make_shared<std::promise<Result<RowOutcome>>>();
  std::future<Result<RowOutcome>> outcome = promise->get_future();
  std::vector<NumberedRow> numbered;
  for (const NumberedRow* row : rows) numbered.push_back(*row);
  run_write<RowOutcome>(
      store_, actor.tenant_id,
      [this, actor, import_id, numbered = std::move(numbered),
       prepared = std::move(prepared)](WriteTx& tx) mutable -> Result<RowOutcome> {
        // A geocoder is a network call the runner does not wait for: imports are verified on
        // the offline checks.
        Result<SyncedOrder> synced =
            integrations_.sync_in(tx, actor, PlatformTopic::updated, prepared, std::nullopt);
        if (!synced.ok()) return synced.error();
        RowOutcome applied = synced->changed ? RowOutcome::applied : RowOutcome::unchanged;
        for (auto& [seq, row] : numbered) {
          row.outcome = applied;
          tx.record_order_import_row(import_id, seq, row);
        }
        return applied;
      },
      Callback<RowOutcome>(
          [promise](Result<RowOutcome> result) { promise->set_value(std::move(result)); }));
  return outcome;
}

}  // namespace depot
