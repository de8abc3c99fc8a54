#pragma once
// The stores the store conformance suite runs its tests on, unchanged: the SQLite file and a
// PostgreSQL database. A test names its store kind by parameter; PostgreSQL tests share one
// server per test binary, started on first use, and each test gets a database of its own.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "cli/open_store.h"
#include "store/sql/connection.h"
#include "support/test_support.h"

namespace depot::testing {

enum class StoreKind { sqlite, postgres };

class PostgresServer;

// The test binary's PostgreSQL server, started on first use and stopped at exit.
PostgresServer& shared_postgres();

// Names a parameterised test by its store kind ("sqlite", "postgres").
std::string store_kind_name(const ::testing::TestParamInfo<StoreKind>& info);

// Where one test's data lives: the SQLite file in `dir`, or a new database on the shared server.
class StoreLocation {
 public:
  StoreLocation(StoreKind kind, const TempDir& dir);

  // Opens (and migrates) a store on the location; each call opens another on the same data, as a
  // restart, a second node or a command beside the server would.
  std::unique_ptr<cli::OpenStore> open() const;
  // A plain connection to the same data, for a test to look at rows the port does not show.
  std::unique_ptr<sql::Connection> connect() const;

 private:
  std::string data_dir_;
  std::string db_;  // empty for SQLite
};

}  // namespace depot::testing
