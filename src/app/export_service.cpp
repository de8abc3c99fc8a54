#include "app/export_service.h"

#include <algorithm>

namespace depot {

namespace {

struct KindName {
  ExportKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {ExportKind::orders, "orders"},
    {ExportKind::ledger, "ledger"},
    {ExportKind::notifications, "notifications"},
    {ExportKind::dashboard, "dashboard"},
};

// The UTC instant at which the merchant's day starts, on a clock `utc_offset_minutes` ahead of UTC.
Instant start_of(Day day, int utc_offset_minutes) {
  return Instant(day - std::chrono::minutes(utc_offset_minutes));
}

bool ended(ExportStatus status) {
  return status == ExportStatus::done || status == ExportStatus::failed;
}

bool settles(const ExportJob& job, std::int64_t rows) {
  return ended(job.status) || (job.rows_total && *job.rows_total > rows);
}

std::string extension(ExportFormat format) { return std::string(to_string(format)); }

// The job's file in ExportFiles: named by id, so names never clash within a process.
std::string stored_name(std::int64_t id, ExportFormat format) {
  return "export-" + std::to_string(id) + "." + extension(format);
}

}  // namespace

std::string_view to_string(ExportKind kind) {
  for (const auto& [value, name] : kKindNames) {
    if (value == kind) return name;
  }
  return "orders";
}

std::optional<ExportKind> parse_export_kind(std::string_view text) {
  for (const auto& [value, name] : kKindNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view to_string(ExportFormat format) {
  return format == ExportFormat::csv ? "csv" : "xlsx";
}

std::optional<ExportFormat> parse_export_format(std::string_view text) {
  if (text == "csv") return ExportFormat::csv;
  if (text == "xlsx") return ExportFormat::xlsx;
  return std::nullopt;
}

std::string_view to_string(ExportStatus status) {
  switch (status) {
    case ExportStatus::queued:
      return "queued";
    case ExportStatus::running:
      return "running";
    case ExportStatus::done:
      return "done";
    case ExportStatus::failed:
      return "failed";
  }
  return "failed";
}

// What the runner needs to carry a job on from one step to the next.
struct ExportService::Run {
  TenantId tenant = 0;
  ExportKind kind = ExportKind::orders;
  ExportFormat format = ExportFormat::csv;
  DayRange days;  // the merchant's days asked for
  Instant from;   // the instants they span, [from, to)
  Instant to;
  ExportView view;
  std::string stored_name;  // the file's name in ExportFiles
  std::unique_ptr<TableWriter> writer;
  std::int64_t counted = 0;
  OrderCursor orders_after;
  std::int64_t after_id = 0;  // movements and notifications
  bool finished = false;
};

ExportService::ExportService(Store& store, ReportStore& reports, Clock& clock, ExportFiles& files,
                             TableWriterFactory csv, TableWriterFactory xlsx, ExportOptions options)
    : store_(store),
      reports_(reports),
      clock_(clock),
      files_(files),
      csv_(std::move(csv)),
      xlsx_(std::move(xlsx)),
      options_(options) {
  // A new service knows no job: files an earlier process left behind can never be downloaded.
  files_.remove_all();
}

Result<ExportJob> ExportService::start(const Actor& actor, const ExportRequest& request) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  std::vector<FieldError> errors;
  std::optional<Day> from = parse_day(request.from);
  std::optional<Day> to = parse_day(request.to);
  for (auto [name, text, day] :
       {std::tuple{"from", &request.from, &from}, std::tuple{"to", &request.to, &to}}) {
    if (text->empty()) {
      errors.push_back({name, "is required: a day, YYYY-MM-DD"});
    } else if (!*day) {
      errors.push_back({name, "must be a day, YYYY-MM-DD"});
    }
  }
  if (from && to && *to < *from) errors.push_back({"to", "must not be before from"});
  // The dashboard's days come from its rollups, a range at a time, as the dashboard reads them.
  if (from && to && request.kind == ExportKind::dashboard &&
      DayRange{*from, *to}.days() > kMaxDashboardDays) {
    errors.push_back(
        {"to", "must be at most " + std::to_string(kMaxDashboardDays - 1) + " days after from"});
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));

  int offset = store_.read(actor.tenant_id)->settings().reports.utc_offset_minutes;
  auto run = std::make_shared<Run>();
  run->tenant = actor.tenant_id;
  run->kind = request.kind;
  run->format = request.format;
  run->days = DayRange{*from, *to};
  run->from = start_of(*from, offset);
  run->to = start_of(*to + std::chrono::days(1), offset);
  run->view = ExportView{offset, contact_disclosure(actor.role, ContactView::list)};
  run->orders_after = OrderCursor{run->from, 0};

  ExportJob job;
  {
    MutexLock lock(mutex_);
    if (!make_room(actor.tenant_id)) {
      return error(ErrorCode::rate_limited,
                   std::to_string(options_.unfinished_per_merchant) +
                       " exports are under way for this merchant: wait for one to finish");
    }
    job.id = next_id_++;
    job.kind = request.kind;
    job.format = request.format;
    job.from = request.from;
    job.to = request.to;
    job.file_name = std::string(to_string(request.kind)) + "-" + request.from + "-" + request.to +
                    "." + extension(request.format);
    job.created_at = clock_.now();
    run->stored_name = stored_name(job.id, request.format);
    jobs_.emplace(job.id, Entry{actor.tenant_id, actor.name, job, std::move(run), {}});
  }
  if (wake_) wake_();
  return job;
}

bool ExportService::make_room(TenantId tenant) {
  std::size_t unfinished = 0;
  std::vector<std::int64_t> ended_ids;  // oldest first: the map is ordered by id
  for (const auto& [id, entry] : jobs_) {
    if (entry.tenant != tenant) continue;
    if (ended(entry.job.status)) {
      ended_ids.push_back(id);
    } else {
      ++unfinished;
    }
  }
  if (unfinished >= options_.unfinished_per_merchant) return false;
  std::size_t kept = unfinished + ended_ids.size();
  for (std::int64_t id : ended_ids) {
    if (kept < options_.kept_per_merchant) break;
    files_.remove(stored_name(id, jobs_.at(id).job.format));
    jobs_.erase(id);
    --kept;
  }
  return true;
}

ExportService::Entry* ExportService::find_entry(const Actor& actor, std::int64_t id) {
  auto found = jobs_.find(id);
  if (found == jobs_.end() || found->second.tenant != actor.tenant_id ||
      found->second.owner != actor.name) {
    return nullptr;
  }
  return &found->second;
}

Result<ExportJob> ExportService::find(const Actor& actor, std::int64_t id) {
  MutexLock lock(mutex_);
  Entry* entry = find_entry(actor, id);
  if (entry == nullptr) {
    return error(ErrorCode::not_found, "export " + std::to_string(id) + " was not found");
  }
  return entry->job;
}

std::vector<ExportJob> ExportService::list(const Actor& actor) {
  MutexLock lock(mutex_);
  std::vector<ExportJob> jobs;
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {
    if (it->second.tenant == actor.tenant_id && it->second.owner == actor.name) {
      jobs.push_back(it->second.job);
    }
  }
  return jobs;
}

void ExportService::when_settled(const Actor& actor, std::int64_t id, std::int64_t rows,
                                 Callback<ExportJob> done) {
  std::optional<Result<ExportJob>> now;
  {
    MutexLock lock(mutex_);
    Entry* entry = find_entry(actor, id);
    if (entry == nullptr) {
      now = Result<ExportJob>(
          error(ErrorCode::not_found, "export " + std::to_string(id) + " was not found"));
    } else if (settles(entry->job, rows)) {
      now = Result<ExportJob>(entry->job);
    } else {
      entry->waiters.emplace_back(rows, std::move(done));
      return;
    }
  }
  done(std::move(*now));
}

Result<ExportDownload> ExportService::download(const Actor& actor, std::int64_t id) {
  MutexLock lock(mutex_);
  Entry* entry = find_entry(actor, id);
  if (entry == nullptr) {
    return error(ErrorCode::not_found, "export " + std::to_string(id) + " was not found");
  }
  const ExportJob& job = entry->job;
  if (job.status == ExportStatus::failed) {
    return error(ErrorCode::conflict, "export " + std::to_string(id) + " failed: " + job.error);
  }
  if (job.status != ExportStatus::done) {
    return error(ErrorCode::conflict, "export " + std::to_string(id) + " is still running");
  }
  std::string type = job.format == ExportFormat::csv
                         ? "text/csv; charset=utf-8"
                         : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return ExportDownload{files_.path_of(stored_name(id, job.format)), job.file_name, type};
}

bool ExportService::run_step() {
  std::int64_t id = 0;
  std::shared_ptr<Run> run;
  {
    MutexLock lock(mutex_);
    auto runnable = [](const auto& item) { return item.second.run != nullptr; };
    auto next = std::find_if(jobs_.upper_bound(last_stepped_), jobs_.end(), runnable);
    if (next == jobs_.end()) next = std::find_if(jobs_.begin(), jobs_.end(), runnable);
    if (next == jobs_.end()) return false;
    id = next->first;
    run = next->second.run;
    next->second.job.status = ExportStatus::running;
    last_stepped_ = id;
  }
  Result<std::int64_t> stepped = error(ErrorCode::internal, "the step did not run");
  try {
    stepped = step(*run);
  } catch (const std::exception& e) {
    stepped = error(ErrorCode::internal, "an internal error stopped the export");
    if (log_) log_(id, e.what());
  }
  std::vector<Callback<ExportJob>> settled;
  ExportJob job;
  {
    MutexLock lock(mutex_);
    Entry& entry = jobs_.at(id);
    settled = record(entry, *run, stepped);
    job = entry.job;
  }
  std::string file = run->stored_name;
  run.reset();  // an ended job's writer closes here, before a failed job's file is removed
  if (!stepped.ok()) files_.remove(file);
  for (Callback<ExportJob>& done : settled) done(job);
  return true;
}

Result<std::int64_t> ExportService::step(Run& run) {
  std::unique_ptr<ReportReads> reads = reports_.read_reports(run.tenant);
  if (run.writer) return write_page(run, *reads);
  std::vector<Column> columns;
  switch (run.kind) {
    case ExportKind::orders:
      run.counted = reads->count_orders_created_between(run.from, run.to);
      columns = order_columns();
      break;
    case ExportKind::ledger:
      run.counted = reads->count_movements_between(run.from, run.to);
      columns = movement_columns();
      break;
    case ExportKind::notifications:
      run.counted = reads->count_notifications_between(run.from, run.to);
      columns = notification_columns();
      break;
    case ExportKind::dashboard:
      run.counted = run.days.days();
      columns = dashboard_columns();
      break;
  }
  const TableWriterFactory& factory = run.format == ExportFormat::csv ? csv_ : xlsx_;
  run.writer = factory(files_.path_of(run.stored_name));
  if (Status begun = run.writer->begin(std::string(to_string(run.kind)), columns); !begun.ok()) {
    return begun.error();
  }
  return 0;
}

Result<std::int64_t> ExportService::write_page(Run& run, ReportReads& reads) {
  std::int64_t written = 0;
  auto write = [&](const std::vector<Cell>& row) {
    Status added = run.writer->add_row(row);
    if (added.ok()) ++written;
    return added;
  };
  std::size_t read = 0;
  switch (run.kind) {
    case ExportKind::orders: {
      std::vector<Order> page =
          reads.orders_created_between(run.from, run.to, run.orders_after, options_.page_rows);
      read = page.size();
      for (const Order& order : page) {
        if (Status added = write(order_row(order, run.view)); !added.ok()) return added.error();
      }
      if (!page.empty()) run.orders_after = OrderCursor{page.back().created_at, page.back().id};
      break;
    }
    case ExportKind::ledger: {
      std::vector<LedgerEntry> page =
          reads.movements_between(run.from, run.to, run.after_id, options_.page_rows);
      read = page.size();
      for (const LedgerEntry& entry : page) {
        if (Status added = write(movement_row(entry, run.view)); !added.ok()) return added.error();
      }
      if (!page.empty()) run.after_id = page.back().id;
      break;
    }
    case ExportKind::notifications: {
      std::vector<Notification> page =
          reads.notifications_between(run.from, run.to, run.after_id, options_.page_rows);
      read = page.size();
      for (const Notification& delivery : page) {
        Status added = write(notification_row(delivery, run.view));
        if (!added.ok()) return added.error();
      }
      if (!page.empty()) run.after_id = page.back().id;
      break;
    }
    case ExportKind::dashboard: {
      // At most a row per day of a bounded range: one step writes them all.
      OrderDay totals;
      std::vector<OrderDay> days = every_day(
          run.days, reads.order_days(format_day(run.days.from), format_day(run.days.to)), totals);
      for (const OrderDay& day : days) {
        if (Status added = write(dashboard_row(day)); !added.ok()) return added.error();
      }
      break;
    }
  }
  if (run.kind == ExportKind::dashboard || read < static_cast<std::size_t>(options_.page_rows)) {
    if (Status finished = run.writer->finish(); !finished.ok()) return finished.error();
    run.finished = true;
  }
  return written;
}

std::vector<Callback<ExportJob>> ExportService::record(Entry& entry, const Run& run,
                                                       const Result<std::int64_t>& stepped) {
  ExportJob& job = entry.job;
  if (!stepped.ok()) {
    job.status = ExportStatus::failed;
    job.error = stepped.error().message;
    job.finished_at = clock_.now();
    entry.run.reset();
  } else {
    job.rows_done += *stepped;
    // Rows committed after the count may join the export: the total never trails what is done.
    job.rows_total = std::max(run.counted, job.rows_done);
    if (run.finished) {
      job.status = ExportStatus::done;
      job.finished_at = clock_.now();
      entry.run.reset();
    }
  }
  std::vector<Callback<ExportJob>> settled;
  auto still_waiting =
      std::partition(entry.waiters.begin(), entry.waiters.end(),
                     [&](const auto& waiter) { return !settles(job, waiter.first); });
  for (auto it = still_waiting; it != entry.waiters.end(); ++it) {
    settled.push_back(std::move(it->second));
  }
  entry.waiters.erase(still_waiting, entry.waiters.end());
  return settled;
}

void ExportService::expire() {
  Instant cutoff = clock_.now() - options_.keep_for;
  MutexLock lock(mutex_);
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    const ExportJob& job = it->second.job;
    if (ended(job.status) && job.finished_at && *job.finished_at < cutoff) {
      files_.remove(stored_name(job.id, job.format));
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace depot
