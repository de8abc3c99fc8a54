// The libpq connection against a real PostgreSQL server: SQLite's placeholders rewritten, values
// bound and read back as the SQLite connection gives them, the statement cache, the failures the
// store tells apart, and the merchant's day agreeing with SQLite's date().
#include "store/postgres/pg_connection.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "support/postgres_server.h"

namespace depot::postgres {
namespace {

using testing::PostgresServer;

class PgConnectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = std::make_unique<PostgresServer>();
    uri = server->create_database("connection_test");
  }
  static void TearDownTestSuite() { server.reset(); }

  // A fresh session per test: its temporary tables and prepared statements start empty.
  void SetUp() override { db = std::make_unique<PgConnection>(uri); }

  // The one value of a one-row query.
  std::string text_of(std::string_view sql) {
    auto query = db->query(sql);
    EXPECT_TRUE(query.step()) << sql;
    return query.text(0);
  }

  static std::unique_ptr<PostgresServer> server;
  static std::string uri;
  std::unique_ptr<PgConnection> db;
};

std::unique_ptr<PostgresServer> PgConnectionTest::server;
std::string PgConnectionTest::uri;

TEST_F(PgConnectionTest, NumbersPlaceholdersAsSqliteDoes) {
  auto numbered = db->query("SELECT ?2 - ?1, ?1");
  numbered.bind_all(10, 3);
  ASSERT_TRUE(numbered.step());
  EXPECT_EQ(numbered.integer(0), -7);
  EXPECT_EQ(numbered.integer(1), 10);
  EXPECT_FALSE(numbered.step());

  // A bare `?` after `?2` is `?3`, as in SQLite; `?1` is then never used.
  auto mixed = db->query("SELECT ?2, ?");
  mixed.bind(2, "two").bind(3, "three");
  ASSERT_TRUE(mixed.step());
  EXPECT_EQ(mixed.text(0), "two");
  EXPECT_EQ(mixed.text(1), "three");
}

TEST_F(PgConnectionTest, LeavesQuestionMarksInLiteralsIdentifiersAndComments) {
  auto query = db->query(
      "SELECT 'it''s ?' || ?, 1 AS \"why?\", -- or ?\n"
      "?");
  query.bind(1, "!").bind(2, 7);
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.text(0), "it's ?!");
  EXPECT_EQ(query.integer(1), 1);
  EXPECT_EQ(query.integer(2), 7);
}

TEST_F(PgConnectionTest, ReadsBackIntegersRealsAndText) {
  db->exec("CREATE TEMP TABLE t (i bigint, r double precision, s text)");
  const std::int64_t values[] = {0, -42, std::numeric_limits<std::int64_t>::max(),
                                 std::numeric_limits<std::int64_t>::min()};
  for (std::int64_t value : values) {
    db->query("INSERT INTO t VALUES (?, ?, ?)").bind_all(value, 1.0 / 3, "上海 ünï").run();
    auto query = db->query("SELECT i, r, s FROM t WHERE i = ?");
    query.bind(1, value);
    ASSERT_TRUE(query.step());
    EXPECT_EQ(query.integer(0), value);
    EXPECT_EQ(query.real(1), 1.0 / 3);  // every digit survives the text form
    EXPECT_EQ(query.text(2), "上海 ünï");
    EXPECT_FALSE(query.step());
  }
  auto extreme = db->query("SELECT ?::float8");
  extreme.bind(1, -2.5e300);
  ASSERT_TRUE(extreme.step());
  EXPECT_EQ(extreme.real(0), -2.5e300);
}

TEST_F(PgConnectionTest, ReadsBooleansAndNumericsAsIntegersAsSqliteWould) {
  auto query = db->query(
      "SELECT true, false, 12.5000::numeric, -12.5::numeric, 7.9::float8, 1e-5::float8, "
      "1.5e20::float8, 123456789012345678.9::numeric");
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.integer(0), 1);
  EXPECT_EQ(query.integer(1), 0);
  EXPECT_EQ(query.integer(2), 12);
  EXPECT_EQ(query.integer(3), -12);
  EXPECT_EQ(query.integer(4), 7);
  EXPECT_EQ(query.integer(5), 0);  // "1e-05", not 1
  EXPECT_EQ(query.integer(6), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(query.integer(7), 123456789012345678);  // every digit, which a double would not keep
  EXPECT_EQ(query.real(2), 12.5);
}

TEST_F(PgConnectionTest, KeepsEveryByteOfABlob) {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  bytes += std::string("\0\0x\0", 4);
  db->exec("CREATE TEMP TABLE files (id bigint, content bytea)");
  db->query("INSERT INTO files VALUES (?, ?)").bind(1, 1).bind_blob(2, bytes).run();
  auto query = db->query("SELECT content, length(content) FROM files WHERE id = 1");
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.blob(0), bytes);
  EXPECT_EQ(query.integer(1), 260);
}

TEST_F(PgConnectionTest, ReadsNullsAsZeroAndEmpty) {
  db->exec("CREATE TEMP TABLE t (i bigint, r double precision, s text, b bytea)");
  db->query("INSERT INTO t VALUES (?, ?, ?, ?)")
      .bind_null(1)
      .bind_null(2)
      .bind_or_null(3, "")
      .bind_null(4)
      .run();
  auto query = db->query("SELECT i, r, s, b, 5 FROM t");
  ASSERT_TRUE(query.step());
  for (int column = 0; column < 4; ++column) EXPECT_TRUE(query.is_null(column)) << column;
  EXPECT_FALSE(query.is_null(4));
  EXPECT_EQ(query.integer(0), 0);
  EXPECT_EQ(query.real(1), 0.0);
  EXPECT_EQ(query.text(2), "");
  EXPECT_EQ(query.blob(3), "");
}

TEST_F(PgConnectionTest, CountsTheRowsOfTheLastChange) {
  db->exec(
      "CREATE TEMP TABLE t (id bigint, v bigint); INSERT INTO t VALUES (1, 0), (2, 0), (3, 0)");
  EXPECT_EQ(db->changes(), 3);
  db->query("UPDATE t SET v = ? WHERE id >= ?").bind_all(9, 2).run();
  EXPECT_EQ(db->changes(), 2);
  // A read changes nothing, so the count stays that of the UPDATE.
  EXPECT_EQ(text_of("SELECT count(*) FROM t WHERE v = 9"), "2");
  EXPECT_EQ(db->changes(), 2);
  db->query("DELETE FROM t WHERE id = ?").bind(1, 3).run();
  EXPECT_EQ(db->changes(), 1);
}

TEST_F(PgConnectionTest, ThrowsKeyTakenForADuplicateKey) {
  db->exec("CREATE TEMP TABLE users (email text PRIMARY KEY)");
  const char* insert = "INSERT INTO users (email) VALUES (?)";
  db->query(insert).bind(1, "a@example.com").run();
  try {
    db->query(insert).bind(1, "a@example.com").run();
    FAIL() << "the second row was accepted";
  } catch (const sql::Error& error) {
    EXPECT_TRUE(error.key_taken()) << error.what();
    EXPECT_NE(std::string(error.what()).find(insert), std::string::npos) << error.what();
  }
  // The statement is still usable after its failure.
  db->query(insert).bind(1, "b@example.com").run();
  EXPECT_EQ(db->changes(), 1);
}

TEST_F(PgConnectionTest, ThrowsOtherForAnErrorInTheSql) {
  try {
    db->query("SELECT nothing FROM nowhere").run();
    FAIL() << "the statement ran";
  } catch (const sql::Error& error) {
    EXPECT_EQ(error.failure(), sql::Failure::other);
    EXPECT_NE(std::string(error.what()).find("nowhere"), std::string::npos) << error.what();
  }
}

TEST_F(PgConnectionTest, ThrowsRetryForASerialisationFailure) {
  db->exec(
      "CREATE TABLE IF NOT EXISTS counters (id bigint PRIMARY KEY, n bigint);"
      "INSERT INTO counters VALUES (1, 0) ON CONFLICT DO NOTHING");
  PgConnection other(uri);
  db->run("BEGIN ISOLATION LEVEL REPEATABLE READ");
  EXPECT_EQ(text_of("SELECT count(*) FROM counters"), "1");  // takes the snapshot
  other.query("UPDATE counters SET n = n + 1 WHERE id = ?").bind(1, 1).run();
  try {
    db->query("UPDATE counters SET n = n + 1 WHERE id = ?").bind(1, 1).run();
    FAIL() << "the update of a row changed since the snapshot was accepted";
  } catch (const sql::Error& error) {
    EXPECT_EQ(error.failure(), sql::Failure::retry) << error.what();
  }
  db->run("ROLLBACK");
}

TEST_F(PgConnectionTest, ThrowsConnectionLostWhenTheServerEndsTheSession) {
  PgConnection other(uri);
  // The cast because integers are sent as bigint, and the function takes an integer.
  other.query("SELECT pg_terminate_backend(?::integer)").bind(1, PQbackendPID(db->handle())).run();
  try {
    db->query("SELECT 1").run();
    FAIL() << "the statement ran on a terminated session";
  } catch (const sql::Error& error) {
    EXPECT_EQ(error.failure(), sql::Failure::connection_lost) << error.what();
  }
}

TEST_F(PgConnectionTest, ThrowsConnectionLostWhenItCannotConnect) {
  std::string missing = "postgresql://depot@127.0.0.1:" + std::to_string(server->port()) + "/none";
  try {
    PgConnection connection(missing);
    FAIL() << "connected to a database that does not exist";
  } catch (const sql::Error& error) {
    EXPECT_EQ(error.failure(), sql::Failure::connection_lost) << error.what();
  }
}

TEST_F(PgConnectionTest, PreparesACachedStatementOnce) {
  const char* prepared = "SELECT count(*) FROM pg_prepared_statements";
  const char* sql = "SELECT ? * 2";
  for (std::int64_t value : {21, 50}) {
    auto query = db->query(sql);
    query.bind(1, value);
    ASSERT_TRUE(query.step());
    EXPECT_EQ(query.integer(0), value * 2);
    EXPECT_FALSE(query.step());
  }
  // This count and the statement above: the second run reused the first's preparation.
  EXPECT_EQ(text_of(prepared), "2");
  // The bindings went with the last use.
  auto unbound = db->query(sql);
  ASSERT_TRUE(unbound.step());
  EXPECT_TRUE(unbound.is_null(0));
}

TEST_F(PgConnectionTest, PreparesAgainForValuesOfAnotherType) {
  const char* sql = "SELECT ?::text";
  auto run = [&](auto bind) {
    auto query = db->query(sql);
    bind(query);
    EXPECT_TRUE(query.step());
    return query.text(0);
  };
  EXPECT_EQ(run([](sql::Query& q) { q.bind(1, 5); }), "5");
  EXPECT_EQ(run([](sql::Query& q) { q.bind(1, 2.5); }), "2.5");  // not a bigint
  EXPECT_EQ(run([](sql::Query& q) { q.bind(1, "text"); }), "text");
  EXPECT_EQ(run([](sql::Query& q) { q.bind_null(1); }), "");
}

TEST_F(PgConnectionTest, RunsTransactionsThroughTheCache) {
  db->exec("CREATE TEMP TABLE t (id bigint)");
  db->run("BEGIN");
  db->query("INSERT INTO t VALUES (?)").bind(1, 1).run();
  db->run("SAVEPOINT job");
  db->query("INSERT INTO t VALUES (?)").bind(1, 2).run();
  db->run("ROLLBACK TO job");
  db->run("RELEASE job");
  db->run("COMMIT");
  EXPECT_EQ(text_of("SELECT string_agg(id::text, ',') FROM t"), "1");
}

TEST_F(PgConnectionTest, MatchesIgnoringCase) {
  auto query = db->query(std::string("SELECT 'Shanghai' ") + db->like_ignoring_case() + " ?");
  query.bind(1, "sHANG%");
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.integer(0), 1);
}

// The hints that steer SQLite's planner mean nothing to PostgreSQL: an index named with INDEXED BY
// is dropped and a CROSS JOIN with ON becomes a plain join, while the same words in a literal stay.
TEST_F(PgConnectionTest, DropsSqlitesPlannerHints) {
  db->exec(
      "CREATE TABLE hinted (id BIGINT PRIMARY KEY, name TEXT); "
      "CREATE INDEX hinted_name ON hinted (name); "
      "INSERT INTO hinted VALUES (1, 'a'), (2, 'b')");
  auto query = db->query(
      "SELECT h.id, 'INDEXED BY x CROSS JOIN y' FROM hinted h INDEXED BY hinted_name "
      "CROSS JOIN hinted g ON g.id = h.id WHERE h.name = ?");
  query.bind(1, "b");
  ASSERT_TRUE(query.step());
  EXPECT_EQ(query.integer(0), 2);
  EXPECT_EQ(query.text(1), "INDEXED BY x CROSS JOIN y");
  EXPECT_FALSE(query.step());
}

// SQLite's answer for the day of `millis` at `offset_minutes`, through its own spelling.
std::string sqlite_day(std::int64_t millis, int offset_minutes) {
  sqlite3* sqlite = nullptr;
  sqlite3_open(":memory:", &sqlite);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(sqlite, "SELECT date(?1 / 1000 + ?2 * 60, 'unixepoch')", -1, &statement,
                     nullptr);
  sqlite3_bind_int64(statement, 1, millis);
  sqlite3_bind_int(statement, 2, offset_minutes);
  std::string day;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    day = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(sqlite);
  return day;
}

TEST_F(PgConnectionTest, GivesTheMerchantsDayAsSqliteDoes) {
  const std::int64_t afternoon = 1795537800000;  // 2026-11-24T16:30Z
  auto day = [&](std::int64_t millis, int offset) {
    auto query = db->query("SELECT " + db->day_of("?1", "?2"));
    query.bind_all(millis, offset);
    EXPECT_TRUE(query.step());
    return query.text(0);
  };
  EXPECT_EQ(day(afternoon, 480), "2026-11-25");
  EXPECT_EQ(day(afternoon, 0), "2026-11-24");
  EXPECT_EQ(day(afternoon, -300), "2026-11-24");
  // Around midnight and before 1970, where SQLite's division truncates toward zero.
  for (std::int64_t millis : {afternoon, std::int64_t{0}, std::int64_t{-1}, std::int64_t{-1500},
                              std::int64_t{86399999}, std::int64_t{-86400001}}) {
    for (int offset : {-720, -300, 0, 480, 840}) {
      EXPECT_EQ(day(millis, offset), sqlite_day(millis, offset)) << millis << " at " << offset;
    }
  }
}

TEST_F(PgConnectionTest, DeferredWritesAnswerWhenSomethingNeedsAnAnswer) {
  db->exec("CREATE TEMP TABLE t (k bigint PRIMARY KEY, v text)");
  db->defer_writes(true);
  db->run("BEGIN");
  for (int k = 1; k <= 50; ++k) db->query("INSERT INTO t VALUES (?, ?)").bind_all(k, "v").run();
  db->query("UPDATE t SET v = 'w' WHERE k > ?").bind_all(40).run();
  EXPECT_EQ(db->changes(), 10) << "the last write's rows, once its answer came";
  db->query("DELETE FROM t WHERE k <= ?").bind_all(5).run();
  // A read sees every write sent before it, in order.
  EXPECT_EQ(text_of("SELECT count(*) || ' ' || min(k) || ' ' || count(*) FILTER (WHERE v = 'w') "
                    "FROM t"),
            "45 6 10");
  db->run("COMMIT");
  db->settle();
  EXPECT_EQ(text_of("SELECT count(*) FROM t"), "45");
}

TEST_F(PgConnectionTest, ADeferredWriteThatFailsIsThrownWhereTheAnswersAreAwaited) {
  db->exec("CREATE TEMP TABLE t (k bigint PRIMARY KEY)");
  db->defer_writes(true);
  db->run("BEGIN");
  db->query("INSERT INTO t VALUES (?)").bind_all(1).run();
  db->run("SAVEPOINT job");
  db->query("INSERT INTO t VALUES (?)").bind_all(2).run();
  db->query("INSERT INTO t VALUES (?)").bind_all(1).run();  // refused: the key is taken
  db->query("INSERT INTO t VALUES (?)").bind_all(3).run();  // not run: the pipeline stopped
  try {
    db->settle();
    FAIL() << "the refused insert was not reported";
  } catch (const sql::Error& e) {
    EXPECT_TRUE(e.key_taken()) << e.what();
    EXPECT_NE(std::string(e.what()).find("INSERT INTO t"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(db->settle()) << "nothing is pending once the failure was thrown";
  db->run("ROLLBACK TO job");
  db->run("COMMIT");
  EXPECT_EQ(text_of("SELECT string_agg(k::text, ',' ORDER BY k) FROM t"), "1")
      << "the job's writes are undone, the one before its savepoint kept";
}

TEST_F(PgConnectionTest, AFailureIsThrownFromTheNextReadWhenNothingSettledBefore) {
  db->exec("CREATE TEMP TABLE t (k bigint PRIMARY KEY)");
  db->defer_writes(true);
  db->run("BEGIN");
  db->query("INSERT INTO t VALUES (?)").bind_all(7).run();
  db->query("INSERT INTO t VALUES (?)").bind_all(7).run();
  auto read = db->query("SELECT count(*) FROM t");
  EXPECT_THROW(read.step(), sql::Error);
  db->run("ROLLBACK");
  EXPECT_EQ(text_of("SELECT count(*) FROM t"), "0");
}

}  // namespace
}  // namespace depot::postgres
