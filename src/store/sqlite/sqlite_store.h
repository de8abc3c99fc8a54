#pragma once
// The embedded store: one SQLite file in WAL mode. Reads run on a pool of connections in
// parallel; every write goes to one writer thread that commits whatever is queued in one
// transaction (group commit), each use case in its own savepoint, so durability costs one fsync
// per batch rather than one per request. The writer does not wait for that fsync: it hands each
// commit to a flusher thread and runs the next batch while the disk takes the last one. The
// flusher fsyncs the log once for every commit handed over since its last fsync and only then
// answers their use cases, so an answer still means the change is on disk. Thread-safe.

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/ports.h"
#include "app/report_ports.h"
#include "concurrency/mutex.h"
#include "store/sql/leased_reads.h"
#include "store/sql/reports.h"
#include "store/sql/sql_tx.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/id_allocator.h"
#include "store/sqlite/wal_file.h"

namespace depot::sqlite {

// Applies the numbered migrations that are not yet in schema_migrations; returns how many.
int migrate(Connection& db);
int latest_schema_version();
// Rebuilds the rollups of the merchants a schema migration queued, each in its own transaction.
// Call on the writer connection before writes start.
void rebuild_queued_rollups(Connection& db);

class SqliteStore final : public Store, public ReportStore {
 public:
  // A checkpoint still runs on the writer and waits for two fsyncs (log, then database): every
  // 10,000 pages of log (about 40 MiB) rather than SQLite's 1,000, it holds up the writer a tenth
  // as often and copies a page rewritten by many commits once (see docs/benchmarks.md).
  static constexpr int kCheckpointPages = 10000;

  // Opens (creating if needed) `path`, migrates it and starts the writer, which checkpoints the
  // log once it holds `checkpoint_pages` pages.
  explicit SqliteStore(const std::string& path, int checkpoint_pages = kCheckpointPages);
  ~SqliteStore() override;

  std::unique_ptr<ReadTx> read(TenantId tenant) override;
  void write(TenantId tenant, Work work, Done done) override;

  TenantId ensure_tenant(const std::string& slug) override;
  std::vector<TenantId> tenant_ids() override;
  std::optional<TenantId> find_tenant(const std::string& slug) override;
  std::optional<ApiKeyRecord> find_api_key(const std::string& key_hash) override;
  std::optional<MerchantUser> find_user_by_email(const std::string& email) override;
  std::optional<MerchantSession> find_session(const std::string& token_hash) override;
  bool ready() override;
  void on_events_committed(CommitListener listener) override;
  void on_batch_committed(BatchListener listener) override;

  std::unique_ptr<ReportReads> read_reports(TenantId tenant) override;

  // Finishes every queued write, then stops the writer. Later writes fail as unavailable.
  void close();

  // Copies the live database to `destination` (online backup, consistent snapshot).
  void backup_to(const std::string& destination);

 private:
  struct Job {
    TenantId tenant;
    Work work;
    Done done;
  };
  // A commit in the log, not yet known to be on disk, with what to do once it is.
  struct Unsynced {
    std::vector<std::pair<Done, Status>> answers;
    std::vector<TenantId> with_events;
    std::int64_t last_event_id = 0;  // the highest event id it may hold
    std::size_t jobs = 0;
    std::chrono::steady_clock::time_point started;
  };

  // Runs a function on the writer with a raw connection, blocking until it commits.
  template <class T, class F>
  T on_writer(F function);
  void writer_loop() EXCLUDES(queue_mutex_);
  void commit_batch(std::vector<Job>& batch) EXCLUDES(flush_mutex_);
  void flusher_loop() EXCLUDES(flush_mutex_);
  // Fsyncs the log and settles `commits`: answers, the durable event id, listeners.
  void make_durable(std::vector<Unsynced>& commits);
  // After an I/O error `code` (from `what`) that is a failing disk, refuses every later write.
  void refuse_after_disk_failure(int code, const char* what);

  std::string path_;
  std::unique_ptr<Connection> writer_db_;
  IdAllocator ids_;

  Mutex queue_mutex_;
  ConditionVariable queue_ready_;
  std::vector<Job> queue_ GUARDED_BY(queue_mutex_);
  bool stopping_ GUARDED_BY(queue_mutex_) = false;
  std::atomic<bool> writer_alive_ = false;
  // Set by an I/O error other than a full disk: what the disk holds is no longer known (a failed
  // fsync may have dropped pages it had accepted), so no later write is committed, or answered
  // as stored, until a restart recovers the database from what really is on disk.
  std::atomic<bool> disk_failed_ = false;
  std::vector<CommitListener> commit_listeners_;  // set before writes start
  std::vector<BatchListener> batch_listeners_;    // set before writes start
  std::thread writer_;

  std::unique_ptr<WalFile> wal_;  // the flusher's handle on the log
  // Events up to this id are on disk. Reads see no later event, so nothing acts on an event (a
  // notification, a feed page) that a power cut could still take back.
  std::atomic<std::int64_t> durable_event_id_ = 0;
  Mutex flush_mutex_;
  ConditionVariable flush_ready_;
  std::vector<Unsynced> unsynced_ GUARDED_BY(flush_mutex_);
  bool writer_done_ GUARDED_BY(flush_mutex_) = false;
  std::thread flusher_;

  sql::ConnectionPool<Connection> readers_{
      [this] { return std::make_unique<Connection>(path_, false); }};
};

}  // namespace depot::sqlite
