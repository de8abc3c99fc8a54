#include <string_view>

#include "domain/time.h"
#include "store/postgres/pg_store.h"

namespace depot::embedded {
std::string_view postgres_migration_0001();
}  // namespace depot::embedded

namespace depot::postgres {

namespace {

struct Migration {
  int version;
  std::string_view (*sql)();
};

// Append new migrations here, numbered in order; never edit one that has shipped. PostgreSQL's
// numbers are its own: its first schema is SQLite's after all of SQLite's migrations.
constexpr Migration kMigrations[] = {
    {1, &embedded::postgres_migration_0001},
};

// The session advisory lock that lets one node at a time migrate.
constexpr std::int64_t kMigrationLock = 0x6465706f74;  // "depot"

}  // namespace

int latest_schema_version() { return std::end(kMigrations)[-1].version; }

int migrate(PgConnection& db) {
  db.query("SELECT pg_advisory_lock(?)").bind_all(kMigrationLock).run();
  int applied = 0;
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
        "applied_at BIGINT NOT NULL)");
    for (const Migration& migration : kMigrations) {
      bool done = false;
      {
        sql::Query q = db.query("SELECT 1 FROM schema_migrations WHERE version = ?");
        q.bind_all(migration.version);
        done = q.step();
      }
      if (done) continue;
      db.exec("BEGIN");
      try {
        db.exec(std::string(migration.sql()).c_str());
        db.query("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")
            .bind_all(migration.version, to_millis(SystemClock().now()))
            .run();
        db.exec("COMMIT");
      } catch (...) {
        db.exec("ROLLBACK");
        throw;
      }
      ++applied;
    }
  } catch (...) {
    db.query("SELECT pg_advisory_unlock(?)").bind_all(kMigrationLock).run();
    throw;
  }
  db.query("SELECT pg_advisory_unlock(?)").bind_all(kMigrationLock).run();
  return applied;
}

}  // namespace depot::postgres
