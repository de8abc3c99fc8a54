#include "store/postgres/pg_store.h"

#include <poll.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "store/sql/leased_reads.h"
#include "store/sql/merchants.h"
#include "store/sql/reports.h"
#include "store/sql/rollups.h"

namespace depot::postgres {

namespace {

// How often a batch is run again after a serialisation failure or deadlock before it is refused.
constexpr int kAttempts = 5;
constexpr const char* kEventsChannel = "depot_events";

// A write that could not be stored for a reason of the database's, not of the request's.
Error refusal_of(const sql::Error& e) {
  switch (e.failure()) {
    case sql::Failure::key_taken:
      return error(ErrorCode::conflict, "a record with the same key already exists");
    case sql::Failure::disk_full:
      return error(ErrorCode::unavailable,
                   "the database's disk is full: the change was not stored");
    case sql::Failure::retry:
      return error(ErrorCode::unavailable, "the change kept meeting others: try again");
    case sql::Failure::connection_lost:
    case sql::Failure::disk_failed:
      return error(ErrorCode::unavailable,
                   "the database went away: the change may not have been stored");
    case sql::Failure::other:
      break;
  }
  return error(ErrorCode::internal, "the change could not be stored");
}

// Whether the whole transaction is lost, rather than only the use case that met the failure.
bool ends_transaction(const sql::Error& e) {
  return e.failure() == sql::Failure::retry || e.failure() == sql::Failure::connection_lost ||
         e.failure() == sql::Failure::disk_failed;
}

// A job that failed outside the database may leave writes unanswered; they are undone with the
// job, so only a failure that ends the whole transaction matters.
void settle_after_failure(PgConnection& db) {
  try {
    db.settle();
  } catch (const sql::Error& e) {
    if (ends_transaction(e)) throw;
  }
}

// Opens a transaction holding the merchants' locks, in one round trip. In merchant order, so two
// transactions that want the same merchants never wait on each other in a cycle.
std::string begin_and_lock(const std::vector<TenantId>& tenants) {
  std::string sql = "BEGIN";
  for (TenantId tenant : tenants) {
    sql += "; SELECT pg_advisory_xact_lock(" + std::to_string(tenant) + ")";
  }
  return sql;
}

// Tells every node's listener which merchants have new events, and commits, in one round trip:
// PostgreSQL delivers the notifications only if the commit succeeds.
std::string notify_and_commit(const std::vector<TenantId>& tenants) {
  std::string sql;
  for (TenantId tenant : tenants) {
    sql += "SELECT pg_notify('" + std::string(kEventsChannel) + "', '" + std::to_string(tenant) +
           "'); ";
  }
  return sql + "COMMIT";
}

// Ids for one run of a batch, drawn from the sequences a block at a time, so that a use case's ids
// cost it no round trips of its own. Drawn under the batch's merchant locks, a block lies above
// the ids of those merchants' earlier commits and below those of their later ones: ids still rise
// in commit order. Ids a batch leaves unused are skipped, as a rolled-back nextval skips them
// anyway. Order ids are drawn one at a time all the same: order numbers are made from them, and
// a merchant reads a gap in those as a lost order.
class BlockIds final : public sql::IdSource {
 public:
  explicit BlockIds(std::size_t jobs) : jobs_(jobs) {}

  // Called as each use case of the batch starts, so that blocks fit what is left of it.
  void start_job() { ++started_; }

  std::int64_t next(sql::Connection& db, const std::string& table) override {
    if (table == "orders") return one_at_a_time_.next(db, table);
    Drawn& drawn = drawn_[table];
    ++drawn.used;
    if (drawn.ids.empty()) {
      // Enough for the rest of the batch at the rate its use cases have drawn them so far.
      std::size_t started = std::max<std::size_t>(started_, 1);
      std::size_t per_job = (drawn.used + started - 1) / started;
      std::size_t block = per_job * (jobs_ - std::min(jobs_, started) + 1);
      sql::Query q = db.query("SELECT nextval(?) FROM generate_series(1, ?)");
      q.bind(1, table + "_id_seq");
      q.bind(2, static_cast<std::int64_t>(block));
      while (q.step()) drawn.ids.push_back(q.integer(0));
      std::sort(drawn.ids.rbegin(), drawn.ids.rend());  // the lowest is handed out first
    }
    std::int64_t id = drawn.ids.back();
    drawn.ids.pop_back();
    return id;
  }

 private:
  struct Drawn {
    std::vector<std::int64_t> ids;  // highest first
    std::size_t used = 0;
  };
  std::size_t jobs_;
  std::size_t started_ = 0;
  std::unordered_map<std::string, Drawn> drawn_;
  SequenceIds one_at_a_time_;
};

}  // namespace

std::int64_t SequenceIds::next(sql::Connection& db, const std::string& table) {
  // One prepared statement for every table: the sequence's name is a value (a regclass).
  sql::Query q = db.query("SELECT nextval(?)");
  q.bind(1, table + "_id_seq");
  q.step();
  return q.integer(0);
}

using PooledRead = sql::LeasedReads<sql::SqlTx, PgConnection>;
using PooledReports = sql::LeasedReads<sql::SqlReports, PgConnection>;
constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

PgStore::PgStore(std::string uri, PgStoreOptions options) : uri_(std::move(uri)) {
  {
    PgConnection db(uri_);
    int applied = migrate(db);
    if (applied > 0) spdlog::info("applied {} schema migration(s) to PostgreSQL", applied);
  }
  for (int i = 0; i < std::max(1, options.writers); ++i) {
    writers_.push_back(std::make_unique<Writer>());
  }
  for (auto& writer : writers_) {
    writer->thread = std::thread([this, w = writer.get()] { writer_loop(*w); });
  }
  listener_ = std::thread([this] { listen_loop(); });
}

PgStore::~PgStore() { close(); }

void PgStore::close() {
  if (stopping_.exchange(true)) return;
  for (auto& writer : writers_) {
    {
      MutexLock lock(writer->mutex);
      writer->stopping = true;
    }
    writer->ready.notify_all();
  }
  for (auto& writer : writers_) {
    if (writer->thread.joinable()) writer->thread.join();
  }
  if (listener_.joinable()) listener_.join();
}

std::unique_ptr<ReadTx> PgStore::read(TenantId tenant) {
  return std::make_unique<PooledRead>(readers_, kBeginRead, tenant, nullptr);
}

std::unique_ptr<ReportReads> PgStore::read_reports(TenantId tenant) {
  return std::make_unique<PooledReports>(readers_, kBeginRead, tenant);
}

void PgStore::write(TenantId tenant, Work work, Done done) {
  // Tenant ids are positive; 0 (global work) goes to the first writer.
  Writer& writer =
      *writers_[static_cast<std::size_t>(tenant < 0 ? -tenant : tenant) % writers_.size()];
  {
    MutexLock lock(writer.mutex);
    if (!writer.stopping) {
      writer.queue.push_back(Job{tenant, std::move(work), std::move(done)});
      writer.ready.notify_one();
      return;
    }
  }
  done(error(ErrorCode::unavailable, "the store is shutting down"));
}

void PgStore::writer_loop(Writer& writer) {
  pthread_setname_np(pthread_self(), "depot-pg-writer");
  std::unique_ptr<PgConnection> db;
  std::vector<Job> batch;
  for (;;) {
    {
      MutexLock lock(writer.mutex);
      writer.ready.wait(writer.mutex, [&]() REQUIRES(writer.mutex) {
        return writer.stopping || !writer.queue.empty();
      });
      if (writer.queue.empty()) break;  // stopping, and everything queued is done
      batch.swap(writer.queue);
    }
    commit_batch(db, batch);
    batch.clear();
  }
}

void PgStore::commit_batch(std::unique_ptr<PgConnection>& db, std::vector<Job>& batch) {
  auto started = std::chrono::steady_clock::now();
  std::vector<TenantId> tenants;
  for (const Job& job : batch) tenants.push_back(job.tenant);
  std::sort(tenants.begin(), tenants.end());
  tenants.erase(std::unique(tenants.begin(), tenants.end()), tenants.end());

  std::vector<std::optional<Error>> failures;
  std::vector<TenantId> with_events;
  Status committed;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    failures.assign(batch.size(), std::nullopt);
    with_events.clear();
    committed = Status();
    try {
      if (!db) {
        db = std::make_unique<PgConnection>(uri_);
        db->defer_writes(true);
      }
      db->exec(begin_and_lock(tenants).c_str());
      BlockIds ids(batch.size());
      std::map<TenantId, MerchantSettings> settings;  // read once a batch, not once a use case
      sql::RollupBuffer rollups;
      // A job alone in its transaction needs no savepoint: undoing it undoes the transaction.
      const bool savepoints = batch.size() > 1;
      bool kept_any = false;
      for (std::size_t i = 0; i < batch.size(); ++i) {
        if (savepoints) db->run("SAVEPOINT job");
        bool keep = false;
        try {
          ids.start_job();
          sql::SqlTx tx(*db, batch[i].tenant, &ids);
          tx.share_settings(&settings);
          bool worked = batch[i].work(tx);
          // The job's writes answer here, so that one that failed fails this job alone.
          db->settle();
          keep = worked;
          if (keep) tx.settle_rollups(rollups);
          if (keep && tx.appended_events() &&
              std::find(with_events.begin(), with_events.end(), batch[i].tenant) ==
                  with_events.end()) {
            with_events.push_back(batch[i].tenant);
          }
        } catch (const sql::Error& e) {
          if (ends_transaction(e)) throw;
          spdlog::error("a write failed and was rolled back: {}", e.what());
          failures[i] = refusal_of(e);
        } catch (const std::exception& e) {
          spdlog::error("a write failed and was rolled back: {}", e.what());
          failures[i] = error(ErrorCode::internal, "the change could not be stored");
          settle_after_failure(*db);
        }
        kept_any = kept_any || keep;
        if (!savepoints) break;
        if (!keep) {
          db->run("ROLLBACK TO job");
          settings.clear();  // they may hold what the undone use case saved
        }
        db->run("RELEASE job");
      }
      if (!kept_any) {
        db->run("ROLLBACK");
        break;
      }
      rollups.apply(*db);
      db->exec(notify_and_commit(with_events).c_str());
      break;
    } catch (const std::exception& e) {
      const auto* database_error = dynamic_cast<const sql::Error*>(&e);
      bool again =
          database_error && database_error->failure() == sql::Failure::retry && attempt < kAttempts;
      if (!again) spdlog::error("a commit failed: {}", e.what());
      committed = database_error ? Status(refusal_of(*database_error))
                                 : Status(error(ErrorCode::internal, "the commit failed"));
      try {
        db->exec("ROLLBACK");
      } catch (const std::exception&) {
        db.reset();  // the connection is gone: the next batch opens another
      }
      if (!again) break;
    }
  }
  auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  for (const BatchListener& listener : batch_listeners_) listener(batch.size(), took);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].done(failures[i] && committed.ok() ? Status(*failures[i]) : committed);
  }
  if (committed.ok() && !with_events.empty()) tell_listeners(with_events);
}

void PgStore::tell_listeners(const std::vector<TenantId>& tenants) {
  MutexLock lock(listeners_mutex_);
  for (const CommitListener& listener : commit_listeners_) listener(tenants);
}

void PgStore::listen_loop() {
  pthread_setname_np(pthread_self(), "depot-pg-listen");
  std::unique_ptr<PgConnection> db;
  while (!stopping_) {
    try {
      if (!db) {
        db = std::make_unique<PgConnection>(uri_);
        db->exec("LISTEN depot_events");
        // Notifications sent while no connection listened are lost: wake every merchant's
        // workers once, and they read what they missed.
        tell_listeners(sql::tenant_ids(*db));
      }
      pollfd socket{PQsocket(db->handle()), POLLIN, 0};
      if (poll(&socket, 1, 200) < 0 || !PQconsumeInput(db->handle())) {
        throw sql::Error(PQerrorMessage(db->handle()), sql::Failure::connection_lost);
      }
      while (PGnotify* notice = PQnotifies(db->handle())) {
        std::vector<TenantId> tenants = {std::atoll(notice->extra)};
        PQfreemem(notice);
        tell_listeners(tenants);
      }
    } catch (const std::exception& e) {
      spdlog::warn("listening for other nodes' events: {}; again in a second", e.what());
      db.reset();
      for (int i = 0; i < 5 && !stopping_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    }
  }
}

void PgStore::on_events_committed(CommitListener listener) {
  MutexLock lock(listeners_mutex_);
  commit_listeners_.push_back(std::move(listener));
}

void PgStore::on_batch_committed(BatchListener listener) {
  batch_listeners_.push_back(std::move(listener));
}

TenantId PgStore::ensure_tenant(const std::string& slug) {
  for (int attempt = 1;; ++attempt) {
    auto db = readers_.lease();
    try {
      db->run("BEGIN");
      TenantId id = sql::ensure_tenant(*db, ids_, slug, SystemClock().now());
      db->run("COMMIT");
      readers_.give_back(std::move(db));
      return id;
    } catch (const sql::Error& e) {
      // Two nodes creating the same merchant at once: the second finds the first's.
      if (!e.key_taken() || attempt == kAttempts) throw;
      db->exec("ROLLBACK");
      readers_.give_back(std::move(db));
    }
  }
}

std::optional<TenantId> PgStore::find_tenant(const std::string& slug) {
  return readers_.with([&](PgConnection& db) { return sql::find_tenant(db, slug); });
}

std::vector<TenantId> PgStore::tenant_ids() {
  return readers_.with([](PgConnection& db) { return sql::tenant_ids(db); });
}

std::optional<ApiKeyRecord> PgStore::find_api_key(const std::string& key_hash) {
  return readers_.with([&](PgConnection& db) { return sql::find_api_key(db, key_hash); });
}

std::optional<MerchantUser> PgStore::find_user_by_email(const std::string& email) {
  return readers_.with([&](PgConnection& db) { return sql::find_user_by_email(db, email); });
}

std::optional<MerchantSession> PgStore::find_session(const std::string& token_hash) {
  return readers_.with([&](PgConnection& db) { return sql::find_session(db, token_hash); });
}

bool PgStore::ready() {
  try {
    int version = readers_.with([](PgConnection& db) { return sql::schema_version(db); });
    return version == latest_schema_version() && !stopping_;
  } catch (const std::exception& e) {
    spdlog::warn("readiness check failed: {}", e.what());
    return false;
  }
}

}  // namespace depot::postgres
