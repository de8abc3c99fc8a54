#include <string_view>

#include "store/postgres/pg_store.h"
#include "store/sql/migrations.h"

namespace depot::embedded {
std::string_view postgres_migration_0001();
std::string_view postgres_migration_0002();
std::string_view postgres_migration_0003();
std::string_view postgres_migration_0004();
}  // namespace depot::embedded

namespace depot::postgres {

namespace {

using sql::Migration;

// Append new migrations here, numbered in order; never edit one that has shipped. PostgreSQL's
// numbers are its own: its first schema is SQLite's after all of SQLite's migrations.
constexpr Migration kMigrations[] = {
    {1, &embedded::postgres_migration_0001},
    {2, &embedded::postgres_migration_0002},
    {3, &embedded::postgres_migration_0003},
    {4, &embedded::postgres_migration_0004},
};

// The session advisory lock that lets one node at a time migrate.
constexpr std::int64_t kMigrationLock = 0x6465706f74;  // "depot"

}  // namespace

int latest_schema_version() { return std::end(kMigrations)[-1].version; }

int migrate(PgConnection& db) {
  db.query("SELECT pg_advisory_lock(?)").bind_all(kMigrationLock).run();
  int applied = 0;
  try {
    applied = sql::apply_migrations(db, kMigrations, "BEGIN");
  } catch (...) {
    db.query("SELECT pg_advisory_unlock(?)").bind_all(kMigrationLock).run();
    throw;
  }
  db.query("SELECT pg_advisory_unlock(?)").bind_all(kMigrationLock).run();
  return applied;
}

}  // namespace depot::postgres
