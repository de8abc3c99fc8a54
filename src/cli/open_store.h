#pragma once
// The store a command works on: the SQLite file in the data directory, or, with --db, a
// PostgreSQL database that several depot nodes may share.

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "app/ports.h"
#include "app/report_ports.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace depot::cli {

// Adds --db (and DEPOT_DB) to a command: empty for the SQLite file, or postgresql://….
void add_db_option(CLI::App& command, std::string& db);
// Throws std::invalid_argument, naming `flag`, unless `db` is a PostgreSQL URI.
void require_postgres_uri(const std::string& db, std::string_view flag = "--db");

class OpenStore {
 public:
  // Opens, and migrates, the store `db` names; throws with a message naming --db if it is not a
  // PostgreSQL URI.
  OpenStore(const std::string& data_dir, const std::string& db);
  OpenStore(const OpenStore&) = delete;
  OpenStore& operator=(const OpenStore&) = delete;

  Store& store() { return *store_; }
  ReportStore& reports() { return *reports_; }
  // True for PostgreSQL, whose every statement is a round trip to another process or machine.
  bool across_network() const { return postgres_ != nullptr; }
  // Finishes every queued write and stops the store's threads.
  void close();

 private:
  // Exactly one of the two is open.
  std::unique_ptr<sqlite::SqliteStore> sqlite_;
  std::unique_ptr<postgres::PgStore> postgres_;
  Store* store_ = nullptr;
  ReportStore* reports_ = nullptr;
};

}  // namespace depot::cli
