#include "cli/open_store.h"

#include <stdexcept>

#include "cli/commands.h"

namespace depot::cli {

void require_postgres_uri(const std::string& db, std::string_view flag) {
  if (db.starts_with("postgresql://") || db.starts_with("postgres://")) return;
  throw std::invalid_argument(std::string(flag) +
                              ": expected postgresql://user@host:port/database, got '" + db + "'");
}

void add_db_option(CLI::App& command, std::string& db) {
  command
      .add_option("--db", db,
                  "A PostgreSQL database (postgresql://user@host:port/name) instead of the "
                  "SQLite file in the data directory")
      ->envname("DEPOT_DB");
}

OpenStore::OpenStore(const std::string& data_dir, const std::string& db) {
  if (db.empty()) {
    sqlite_ = std::make_unique<sqlite::SqliteStore>(database_path(data_dir));
    store_ = sqlite_.get();
    reports_ = sqlite_.get();
  } else {
    require_postgres_uri(db);
    postgres_ = std::make_unique<postgres::PgStore>(db);
    store_ = postgres_.get();
    reports_ = postgres_.get();
  }
}

void OpenStore::close() {
  if (sqlite_) sqlite_->close();
  if (postgres_) postgres_->close();
}

}  // namespace depot::cli
