#include "support/test_stores.h"

#include "cli/commands.h"
#include "store/postgres/pg_connection.h"
#include "store/sqlite/connection.h"
#include "support/postgres_server.h"

namespace depot::testing {

PostgresServer& shared_postgres() {
  static PostgresServer server;
  return server;
}

std::string store_kind_name(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::sqlite ? "sqlite" : "postgres";
}

StoreLocation::StoreLocation(StoreKind kind, const TempDir& dir) : data_dir_(dir.path()) {
  static int databases = 0;
  if (kind == StoreKind::postgres) {
    db_ = shared_postgres().create_database("test_" + std::to_string(++databases));
  }
}

std::unique_ptr<cli::OpenStore> StoreLocation::open() const {
  return std::make_unique<cli::OpenStore>(data_dir_, db_);
}

std::unique_ptr<sql::Connection> StoreLocation::connect() const {
  if (db_.empty()) {
    return std::make_unique<sqlite::Connection>(cli::database_path(data_dir_), false);
  }
  return std::make_unique<postgres::PgConnection>(db_);
}

}  // namespace depot::testing
