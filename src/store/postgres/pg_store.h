#pragma once
// The store on PostgreSQL, for one depot node or several on one database. It keeps the store
// contract (app/ports.h) whoever else writes:
// - Every write transaction first takes a transaction-scoped advisory lock on each merchant it
//   writes for, in merchant order (so two batches never wait on each other in a cycle). One
//   merchant's writes are therefore serialised across every node and command, while different
//   merchants' writes run side by side.
// - Ids come from the database's sequences, taken under that lock (a block for each batch of use
//   cases): never handed out twice, and rising in commit order within a merchant, which is what
//   the event feed's cursor needs.
// - A commit is durable when COMMIT returns (synchronous_commit), and readers see nothing of it
//   before, so no event is acted on that a crash could take back.
// - A serialisation failure or deadlock runs the batch again, a few times, before it is refused.
// Writes go to a few writer threads, each with its own connection, which commit whatever is queued
// to them in one transaction (a savepoint per use case), so one fsync on the server serves many
// requests. A merchant's writes always go to the same writer, in the order they were handed in.
// Commits that append events notify the other nodes (NOTIFY depot_events), whose listeners then
// wake their workers at once. Reads run on a pool of connections in REPEATABLE READ snapshots.
// Thread-safe.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/ports.h"
#include "app/report_ports.h"
#include "concurrency/mutex.h"
#include "store/postgres/pg_connection.h"
#include "store/sql/leased_reads.h"
#include "store/sql/sql_tx.h"

namespace depot::postgres {

// Applies the numbered migrations that are not yet in schema_migrations; returns how many.
// Several nodes may start at once: a session advisory lock lets one migrate at a time.
int migrate(PgConnection& db);
int latest_schema_version();

// Ids from the sequences `<table>_id_seq`.
class SequenceIds final : public sql::IdSource {
 public:
  std::int64_t next(sql::Connection& db, const std::string& table) override;
};

struct PgStoreOptions {
  int writers = 4;  // writer threads, each with a connection of its own
};

class PgStore final : public Store, public ReportStore {
 public:
  // Connects to `uri` (postgresql://user@host:port/database), migrates the schema and starts the
  // writers and the listener.
  explicit PgStore(std::string uri, PgStoreOptions options = {});
  ~PgStore() override;

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

  // Finishes every queued write, then stops the writers and the listener. Later writes fail as
  // unavailable.
  void close();

 private:
  struct Job {
    TenantId tenant;
    Work work;
    Done done;
  };
  struct Writer {
    Mutex mutex;
    ConditionVariable ready;
    std::vector<Job> queue GUARDED_BY(mutex);
    bool stopping GUARDED_BY(mutex) = false;
    std::thread thread;
  };

  void writer_loop(Writer& writer);
  // Runs the batch in one transaction (again after a serialisation failure) and answers each job.
  void commit_batch(std::unique_ptr<PgConnection>& db, std::vector<Job>& batch);
  void tell_listeners(const std::vector<TenantId>& tenants) EXCLUDES(listeners_mutex_);
  // Follows NOTIFY depot_events from every node's commits and calls the commit listeners.
  void listen_loop();

  std::string uri_;
  SequenceIds ids_;
  // Also called by the thread that follows other nodes' commits, which starts with the store.
  Mutex listeners_mutex_;
  std::vector<CommitListener> commit_listeners_ GUARDED_BY(listeners_mutex_);
  std::vector<BatchListener> batch_listeners_;  // set before writes start
  std::vector<std::unique_ptr<Writer>> writers_;
  std::atomic<bool> stopping_ = false;
  std::thread listener_;
  sql::ConnectionPool<PgConnection> readers_{
      [this] { return std::make_unique<PgConnection>(uri_); }};
};

}  // namespace depot::postgres
