#pragma once
// Exports of orders, the stock ledger, notification deliveries and the dashboard's days (RPT-2) as
// jobs. An export covers
// whole days on the merchant's wall clock (`from` to `to`, both included). Starting one queues a
// job; a runner thread (workers/export_runner) counts its rows, then reads them a page at a time,
// each page in a snapshot of its own, and writes each page into the job's file before reading the
// next, so memory holds one page whatever the range. Rows committed while an export runs are in it
// when they sort after the page it has reached.
//
// Runnable jobs take turns a page at a time, so a small export finishes promptly while a large one
// runs. A caller may wait until its job is settled: finished, failed, or known to hold more rows
// than it cares to wait for (the HTTP edge answers 200 with the file, or 202 with the job).
//
// Jobs live in memory and their files in the ExportFiles directory: a job is seen only by the key
// that started it, kept for `keep_for` after it ends, and a restart forgets every job and removes
// every file (a download link then answers 404; the export is started again). Thread-safe;
// run_step() is called by one thread at a time.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/export_files.h"
#include "app/export_tables.h"
#include "app/report_ports.h"
#include "app/table_writer.h"
#include "app/write.h"
#include "concurrency/mutex.h"

namespace depot {

enum class ExportKind { orders, ledger, notifications, dashboard };
enum class ExportFormat { csv, xlsx };
enum class ExportStatus { queued, running, done, failed };

std::string_view to_string(ExportKind kind);
std::optional<ExportKind> parse_export_kind(std::string_view text);
std::string_view to_string(ExportFormat format);
std::optional<ExportFormat> parse_export_format(std::string_view text);
std::string_view to_string(ExportStatus status);

// What a caller asks for; dates as given ("YYYY-MM-DD"), judged by start().
struct ExportRequest {
  ExportKind kind = ExportKind::orders;
  ExportFormat format = ExportFormat::csv;
  std::string from;
  std::string to;
};

struct ExportJob {
  std::int64_t id = 0;
  ExportKind kind = ExportKind::orders;
  ExportFormat format = ExportFormat::csv;
  std::string from;  // the first local day, "YYYY-MM-DD"
  std::string to;    // the last local day
  ExportStatus status = ExportStatus::queued;
  std::int64_t rows_done = 0;
  std::optional<std::int64_t> rows_total;  // once counted
  std::string error;                       // why it failed
  std::string file_name;                   // as downloaded: "orders-2026-01-01-2026-01-31.csv"
  Instant created_at;
  std::optional<Instant> finished_at;
};

// A finished export's file, to be sent as it is.
struct ExportDownload {
  std::string path;
  std::string file_name;
  std::string content_type;
};

struct ExportOptions {
  int page_rows = 1000;                     // rows read and written per step
  std::size_t unfinished_per_merchant = 4;  // more are refused until one ends
  std::size_t kept_per_merchant = 20;       // the oldest ended job makes room for a new one
  std::chrono::milliseconds keep_for = std::chrono::hours(24);  // after a job ends
};

class ExportService {
 public:
  ExportService(Store& store, ReportStore& reports, Clock& clock, ExportFiles& files,
                TableWriterFactory csv, TableWriterFactory xlsx, ExportOptions options = {});

  // Called when a job is queued, to wake whatever runs them. Set once, before serving.
  void on_queued(std::function<void()> wake) { wake_ = std::move(wake); }
  // Called (on the runner's thread) with what stopped a job that failed unexpectedly, for the
  // log: the job itself shows only that an internal error stopped it. Set once, before serving.
  void on_internal_error(std::function<void(std::int64_t id, const std::string& what)> log) {
    log_ = std::move(log);
  }

  // Queues an export: 422 naming the field for bad dates, 429 while the merchant has too many
  // unfinished.
  Result<ExportJob> start(const Actor& actor, const ExportRequest& request);
  // Calls `done` once the job has ended or is known to hold more than `rows` rows: at once when it
  // already is, else on the runner's thread.
  void when_settled(const Actor& actor, std::int64_t id, std::int64_t rows,
                    Callback<ExportJob> done);
  Result<ExportJob> find(const Actor& actor, std::int64_t id);
  // The actor's jobs, newest first.
  std::vector<ExportJob> list(const Actor& actor);
  // The file of a finished job: 404 for no such job, 409 while it runs or when it failed.
  Result<ExportDownload> download(const Actor& actor, std::int64_t id);

  // For the runner: one step of the next runnable job (its count and header, or one page);
  // false when no job is runnable.
  bool run_step();
  // Forgets ended jobs past `keep_for` and removes their files.
  void expire();

 private:
  struct Run;
  struct Entry {
    TenantId tenant = 0;
    std::string owner;  // the actor who started it
    ExportJob job;
    std::shared_ptr<Run> run;  // stepped by the runner only; dropped when the job ends
    std::vector<std::pair<std::int64_t, Callback<ExportJob>>> waiters;  // (rows, done)
  };
  Entry* find_entry(const Actor& actor, std::int64_t id) REQUIRES(mutex_);
  // Makes room for one more job of `tenant`; false when its unfinished jobs are at the limit.
  bool make_room(TenantId tenant) REQUIRES(mutex_);
  // One step of `run`, outside the lock: the rows it wrote, or why it failed.
  Result<std::int64_t> step(Run& run);
  Result<std::int64_t> write_page(Run& run, ReportReads& reads);
  // Records the outcome of a step on the job and takes the waiters it settles.
  std::vector<Callback<ExportJob>> record(Entry& entry, const Run& run,
                                          const Result<std::int64_t>& stepped) REQUIRES(mutex_);

  Store& store_;
  ReportStore& reports_;
  Clock& clock_;
  ExportFiles& files_;
  TableWriterFactory csv_;
  TableWriterFactory xlsx_;
  ExportOptions options_;
  std::function<void()> wake_;
  std::function<void(std::int64_t, const std::string&)> log_;

  Mutex mutex_;
  std::map<std::int64_t, Entry> jobs_ GUARDED_BY(mutex_);
  std::int64_t next_id_ GUARDED_BY(mutex_) = 1;
  std::int64_t last_stepped_ GUARDED_BY(mutex_) = 0;  // runnable jobs take turns by id
};

}  // namespace depot
