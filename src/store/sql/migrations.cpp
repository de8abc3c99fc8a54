#include "store/sql/migrations.h"

#include <string>

#include "app/ports.h"

namespace depot::sql {

int apply_migrations(Connection& db, std::span<const Migration> migrations, const char* begin) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at BIGINT NOT NULL)");
  int applied = 0;
  for (const Migration& migration : migrations) {
    bool done = false;
    {
      Query q = db.query("SELECT 1 FROM schema_migrations WHERE version = ?");
      q.bind_all(migration.version);
      done = q.step();
    }
    if (done) continue;
    db.exec(begin);
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
  return applied;
}

}  // namespace depot::sql
