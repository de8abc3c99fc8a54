#pragma once
// A router with no routes yet, over a SQLite store in a temporary directory and no rate limit:
// what a test of the HTTP server needs before it adds routes of its own.

#include "app/access_service.h"
#include "http/router.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace depot::testing {

struct BareRouter {
  TempDir dir;
  FakeClock clock;
  sqlite::SqliteStore store{dir.file("depot.db")};
  AccessService access{store, clock};
  http::RateLimiter limiter{0, 1};
  http::Router router{access, limiter};
};

}  // namespace depot::testing
