#pragma once
// The embedded store: one SQLite file in WAL mode. Reads run on a pool of connections in
// parallel; every write goes to one writer thread that commits whatever is queued in one
// transaction (group commit), each use case in its own savepoint, so durability costs one fsync
// per batch rather than one per request. Thread-safe.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/ports.h"
#include "app/report_ports.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_reports.h"
#include "store/sqlite/sqlite_tx.h"

namespace depot::sqlite {

// Applies the numbered migrations that are not yet in schema_migrations; returns how many.
int migrate(Connection& db);
int latest_schema_version();

class SqliteStore final : public Store, public ReportStore {
 public:
  // Opens (creating if needed) `path`, migrates it and starts the writer.
  explicit SqliteStore(const std::string& path);
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
  class PooledRead;
  class PooledReports;

  // Runs a function on the writer with a raw connection, blocking until it commits.
  template <class T, class F>
  T on_writer(F function);
  void writer_loop();
  void commit_batch(std::vector<Job>& batch);
  std::unique_ptr<Connection> lease_reader();
  void give_back(std::unique_ptr<Connection> connection);

  std::string path_;
  std::unique_ptr<Connection> writer_db_;
  IdAllocator ids_;

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::vector<Job> queue_;  // GUARDED_BY(queue_mutex_)
  bool stopping_ = false;   // GUARDED_BY(queue_mutex_)
  std::atomic<bool> writer_alive_ = false;
  std::vector<CommitListener> commit_listeners_;  // set before writes start
  std::vector<BatchListener> batch_listeners_;    // set before writes start
  std::thread writer_;

  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Connection>> readers_;  // GUARDED_BY(pool_mutex_)
};

}  // namespace depot::sqlite
