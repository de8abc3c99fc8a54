#include <spdlog/spdlog.h>

#include <string_view>
#include <vector>

#include "store/sql/migrations.h"
#include "store/sql/rollups.h"
#include "store/sqlite/sqlite_store.h"

namespace depot::embedded {
std::string_view sqlite_migration_0001();
std::string_view sqlite_migration_0002();
std::string_view sqlite_migration_0003();
std::string_view sqlite_migration_0004();
std::string_view sqlite_migration_0005();
std::string_view sqlite_migration_0006();
std::string_view sqlite_migration_0007();
std::string_view sqlite_migration_0008();
std::string_view sqlite_migration_0009();
std::string_view sqlite_migration_0010();
std::string_view sqlite_migration_0011();
std::string_view sqlite_migration_0012();
std::string_view sqlite_migration_0013();
std::string_view sqlite_migration_0014();
std::string_view sqlite_migration_0015();
std::string_view sqlite_migration_0016();
}  // namespace depot::embedded

namespace depot::sqlite {

namespace {

using sql::Migration;

// Append new migrations here, numbered in order; never edit one that has shipped.
constexpr Migration kMigrations[] = {
    {1, &embedded::sqlite_migration_0001},  {2, &embedded::sqlite_migration_0002},
    {3, &embedded::sqlite_migration_0003},  {4, &embedded::sqlite_migration_0004},
    {5, &embedded::sqlite_migration_0005},  {6, &embedded::sqlite_migration_0006},
    {7, &embedded::sqlite_migration_0007},  {8, &embedded::sqlite_migration_0008},
    {9, &embedded::sqlite_migration_0009},  {10, &embedded::sqlite_migration_0010},
    {11, &embedded::sqlite_migration_0011}, {12, &embedded::sqlite_migration_0012},
    {13, &embedded::sqlite_migration_0013}, {14, &embedded::sqlite_migration_0014},
    {15, &embedded::sqlite_migration_0015}, {16, &embedded::sqlite_migration_0016},
};

}  // namespace

int latest_schema_version() { return std::end(kMigrations)[-1].version; }

int migrate(Connection& db) { return sql::apply_migrations(db, kMigrations, "BEGIN IMMEDIATE"); }

void rebuild_queued_rollups(Connection& db) {
  std::vector<TenantId> queued;
  {
    Query q = db.query("SELECT tenant_id FROM rollup_rebuilds ORDER BY tenant_id");
    while (q.step()) queued.push_back(q.integer(0));
  }
  for (TenantId tenant : queued) {
    db.exec("BEGIN IMMEDIATE");
    try {
      sql::rebuild_rollups(db, tenant, sql::stored_utc_offset(db, tenant));
      db.query("DELETE FROM rollup_rebuilds WHERE tenant_id = ?").bind_all(tenant).run();
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
    spdlog::info("rebuilt the report rollups of merchant {}", tenant);
  }
}

}  // namespace depot::sqlite
