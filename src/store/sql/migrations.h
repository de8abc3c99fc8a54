#pragma once
// Numbered schema migrations, compiled into the binary and recorded in schema_migrations: each
// database has its own list, and the runner is the same.

#include <span>
#include <string_view>

#include "store/sql/connection.h"

namespace depot::sql {

struct Migration {
  int version;
  std::string_view (*sql)();
};

// Applies, each in its own transaction opened with `begin`, the migrations not yet recorded;
// returns how many. Creates schema_migrations when missing.
int apply_migrations(Connection& db, std::span<const Migration> migrations, const char* begin);

}  // namespace depot::sql
