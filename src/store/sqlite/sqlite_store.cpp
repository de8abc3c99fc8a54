#include "store/sqlite/sqlite_store.h"

#include <spdlog/spdlog.h>

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <future>

#include "store/sql/leased_reads.h"
#include "store/sql/merchants.h"
#include "store/sql/rollups.h"

namespace depot::sqlite {

using PooledRead = sql::LeasedReads<sql::SqlTx, Connection>;
using PooledReports = sql::LeasedReads<sql::SqlReports, Connection>;

SqliteStore::SqliteStore(const std::string& path, int checkpoint_pages)
    : path_(path), writer_db_(std::make_unique<Connection>(path, true)) {
  int applied = migrate(*writer_db_);
  if (applied > 0) spdlog::info("applied {} schema migration(s) to {}", applied, path);
  rebuild_queued_rollups(*writer_db_);
  {
    Query last = writer_db_->query("SELECT COALESCE(MAX(id), 0) FROM events");
    last.step();
    durable_event_id_ = last.integer(0);
  }
  // From here the flusher makes each commit durable; the writer's COMMIT only writes the log.
  writer_db_->exec("PRAGMA synchronous=NORMAL");
  sqlite3_wal_autocheckpoint(writer_db_->handle(), checkpoint_pages);
  // Opening it fsyncs the log too: a crash may have left commits in it that are only in the
  // page cache, and readers are about to see them.
  wal_ = std::make_unique<WalFile>(*writer_db_);
  writer_alive_ = true;
  flusher_ = std::thread([this] { flusher_loop(); });
  writer_ = std::thread([this] { writer_loop(); });
}

SqliteStore::~SqliteStore() { close(); }

void SqliteStore::close() {
  {
    MutexLock lock(queue_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  queue_ready_.notify_all();
  if (writer_.joinable()) writer_.join();
  {
    MutexLock lock(flush_mutex_);
    writer_done_ = true;
  }
  flush_ready_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  // Refreshes the planner's statistics where the data changed enough, as SQLite advises at close.
  try {
    writer_db_->exec("PRAGMA optimize");
  } catch (const std::exception& e) {
    spdlog::warn("PRAGMA optimize at close failed: {}", e.what());
  }
}

std::unique_ptr<ReadTx> SqliteStore::read(TenantId tenant) {
  auto tx = std::make_unique<PooledRead>(readers_, "BEGIN", tenant, nullptr);
  tx->hide_events_after(durable_event_id_);
  return tx;
}

std::unique_ptr<ReportReads> SqliteStore::read_reports(TenantId tenant) {
  return std::make_unique<PooledReports>(readers_, "BEGIN", tenant);
}

void SqliteStore::write(TenantId tenant, Work work, Done done) {
  {
    MutexLock lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(Job{tenant, std::move(work), std::move(done)});
      queue_ready_.notify_one();
      return;
    }
  }
  done(error(ErrorCode::unavailable, "the store is shutting down"));
}

void SqliteStore::writer_loop() {
  pthread_setname_np(pthread_self(), "depot-writer");
  std::vector<Job> batch;
  for (;;) {
    {
      MutexLock lock(queue_mutex_);
      queue_ready_.wait(queue_mutex_,
                        [&]() REQUIRES(queue_mutex_) { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, and everything queued is done
      batch.swap(queue_);
    }
    commit_batch(batch);
    batch.clear();
  }
  writer_alive_ = false;
}

namespace {

// After a failed fsync the change may or may not be on disk: a create can be retried with its
// Idempotency-Key once depot is back, and is then answered with what was stored, if anything.
constexpr const char* kDiskFailed =
    "the disk failed: the change may not have been stored, and no write is taken until depot "
    "restarts";

// An I/O error that says the disk itself failed (not memory running out).
bool disk_failure(int code) { return (code & 0xff) == SQLITE_IOERR && code != SQLITE_IOERR_NOMEM; }

// A write the disk refused (full, or failing): nothing of it was stored, so it is answered as
// unavailable (503), never as a bug (500). SQLite rolls the transaction back; after a full disk
// the same connection works again once there is space.
std::optional<Error> disk_refusal(int code) {
  if ((code & 0xff) == SQLITE_FULL) {
    return error(ErrorCode::unavailable, "the disk is full: the change was not stored");
  }
  if (disk_failure(code)) return error(ErrorCode::unavailable, kDiskFailed);
  return std::nullopt;
}

}  // namespace

void SqliteStore::refuse_after_disk_failure(int code, const char* what) {
  if (!disk_failure(code) || disk_failed_.exchange(true)) return;
  spdlog::critical(
      "{}: the disk failed; every write is refused until depot is restarted, so that nothing "
      "is answered as stored that the disk may not hold",
      what);
}

// Runs the batch in one transaction and hands the commit to the flusher, which answers it once
// the log holds it on disk.
void SqliteStore::commit_batch(std::vector<Job>& batch) {
  if (disk_failed_) {
    for (Job& job : batch) job.done(error(ErrorCode::unavailable, kDiskFailed));
    return;
  }
  auto started = std::chrono::steady_clock::now();
  std::vector<std::optional<Error>> failures(batch.size());
  std::vector<TenantId> with_events;
  sql::RollupBuffer rollups;  // the kept jobs' rows, merged
  Status committed;
  try {
    writer_db_->run("BEGIN IMMEDIATE");
    ids_.begin_write(*writer_db_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      writer_db_->run("SAVEPOINT job");
      bool keep = false;
      try {
        sql::SqlTx tx(*writer_db_, batch[i].tenant, &ids_);
        keep = batch[i].work(tx);
        if (keep) tx.settle_rollups(rollups);
        if (keep && tx.appended_events() &&
            std::find(with_events.begin(), with_events.end(), batch[i].tenant) ==
                with_events.end()) {
          with_events.push_back(batch[i].tenant);
        }
      } catch (const SqliteError& e) {
        spdlog::error("a write failed and was rolled back: {}", e.what());
        refuse_after_disk_failure(e.code(), "a write");
        if (auto refused = disk_refusal(e.code())) {
          failures[i] = std::move(refused);
        } else {
          failures[i] =
              e.key_taken()
                  ? error(ErrorCode::conflict, "a record with the same key already exists")
                  : error(ErrorCode::internal, "the change could not be stored");
        }
      } catch (const std::exception& e) {
        spdlog::error("a write failed and was rolled back: {}", e.what());
        failures[i] = error(ErrorCode::internal, "the change could not be stored");
      }
      if (!keep) writer_db_->run("ROLLBACK TO job");
      writer_db_->run("RELEASE job");
    }
    rollups.apply(*writer_db_);
    writer_db_->run("COMMIT");
  } catch (const std::exception& e) {
    spdlog::error("a commit failed: {}", e.what());
    const auto* sqlite_error = dynamic_cast<const SqliteError*>(&e);
    int code = sqlite_error ? sqlite_error->code() : SQLITE_ERROR;
    refuse_after_disk_failure(code, "a commit");
    std::optional<Error> refused = disk_refusal(code);
    committed = refused ? *refused : error(ErrorCode::unavailable, "the store could not commit");
    try {
      writer_db_->exec("ROLLBACK");
    } catch (const std::exception&) {
      // The transaction is already gone when COMMIT failed with it.
    }
  }
  Unsynced commit;
  commit.jobs = batch.size();
  commit.started = started;
  commit.answers.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    commit.answers.emplace_back(std::move(batch[i].done),
                                failures[i] ? Status(*failures[i]) : committed);
  }
  if (committed.ok()) {
    commit.with_events = std::move(with_events);
    commit.last_event_id = ids_.last_issued("events");
  }
  {
    MutexLock lock(flush_mutex_);
    unsynced_.push_back(std::move(commit));
  }
  flush_ready_.notify_one();
}

void SqliteStore::flusher_loop() {
  pthread_setname_np(pthread_self(), "depot-flusher");
  std::vector<Unsynced> commits;
  for (;;) {
    {
      MutexLock lock(flush_mutex_);
      flush_ready_.wait(flush_mutex_, [&]() REQUIRES(flush_mutex_) {
        return writer_done_ || !unsynced_.empty();
      });
      if (unsynced_.empty()) break;  // the writer has stopped and every commit is settled
      commits.swap(unsynced_);
    }
    make_durable(commits);
    commits.clear();
  }
}

void SqliteStore::make_durable(std::vector<Unsynced>& commits) {
  Status synced;
  if (disk_failed_) {
    synced = error(ErrorCode::unavailable, kDiskFailed);
  } else if (int rc = wal_->sync(); rc != SQLITE_OK) {
    spdlog::error("an fsync of the write-ahead log failed with SQLite code {}", rc);
    refuse_after_disk_failure(rc, "an fsync of the write-ahead log");
    synced = error(ErrorCode::unavailable, kDiskFailed);
  }
  if (synced.ok()) {
    std::int64_t last = durable_event_id_;
    for (const Unsynced& commit : commits) last = std::max(last, commit.last_event_id);
    durable_event_id_ = last;
  }
  auto now = std::chrono::steady_clock::now();
  for (Unsynced& commit : commits) {
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(now - commit.started);
    for (const BatchListener& listener : batch_listeners_) listener(commit.jobs, took);
    for (auto& [done, status] : commit.answers) done(status.ok() ? synced : status);
    if (synced.ok() && !commit.with_events.empty()) {
      for (const CommitListener& listener : commit_listeners_) listener(commit.with_events);
    }
  }
}

void SqliteStore::on_events_committed(CommitListener listener) {
  commit_listeners_.push_back(std::move(listener));
}

void SqliteStore::on_batch_committed(BatchListener listener) {
  batch_listeners_.push_back(std::move(listener));
}

template <class T, class F>
T SqliteStore::on_writer(F function) {
  auto result = std::make_shared<std::optional<T>>();
  std::promise<Status> finished;
  auto future = finished.get_future();
  write(
      0,
      [&, result](WriteTx&) {
        result->emplace(function(*writer_db_));
        return true;
      },
      [&](Status status) { finished.set_value(std::move(status)); });
  Status status = future.get();
  if (!status.ok()) throw SqliteError(status.error().message);
  return std::move(**result);
}

TenantId SqliteStore::ensure_tenant(const std::string& slug) {
  return on_writer<TenantId>(
      [&](Connection& db) { return sql::ensure_tenant(db, ids_, slug, SystemClock().now()); });
}

std::optional<TenantId> SqliteStore::find_tenant(const std::string& slug) {
  return readers_.with([&](Connection& db) { return sql::find_tenant(db, slug); });
}

std::vector<TenantId> SqliteStore::tenant_ids() {
  return readers_.with([](Connection& db) { return sql::tenant_ids(db); });
}

std::optional<ApiKeyRecord> SqliteStore::find_api_key(const std::string& key_hash) {
  return readers_.with([&](Connection& db) { return sql::find_api_key(db, key_hash); });
}

std::optional<MerchantUser> SqliteStore::find_user_by_email(const std::string& email) {
  return readers_.with([&](Connection& db) { return sql::find_user_by_email(db, email); });
}

std::optional<MerchantSession> SqliteStore::find_session(const std::string& token_hash) {
  return readers_.with([&](Connection& db) { return sql::find_session(db, token_hash); });
}

bool SqliteStore::ready() {
  try {
    bool migrated = readers_.with([](Connection& db) { return sql::schema_version(db); }) ==
                    latest_schema_version();
    MutexLock lock(queue_mutex_);
    return migrated && writer_alive_ && !disk_failed_ && !stopping_;
  } catch (const std::exception& e) {
    spdlog::warn("readiness check failed: {}", e.what());
    return false;
  }
}

void SqliteStore::backup_to(const std::string& destination) {
  Connection target(destination, true);
  auto source = readers_.lease();
  sqlite3_backup* backup = sqlite3_backup_init(target.handle(), "main", source->handle(), "main");
  if (!backup) throw SqliteError(sqlite3_errmsg(target.handle()));
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  readers_.give_back(std::move(source));
  if (rc != SQLITE_DONE) throw SqliteError("backup failed: " + std::string(sqlite3_errstr(rc)));
}

}  // namespace depot::sqlite
