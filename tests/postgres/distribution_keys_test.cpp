// The PostgreSQL schema, migrated to its latest version, read back from the server's catalog: every
// table but the few looked up before the merchant is known holds tenant_id and leads every primary
// and unique key with it, which is what distributing the tables by merchant (Citus) requires.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_store.h"
#include "support/postgres_server.h"

namespace depot::postgres {
namespace {

// Looked up by slug, key, email or session token before the merchant is known, so they cannot be
// split by merchant: operations.md makes them reference tables, copied to every node.
const std::set<std::string> kReferenceTables = {"tenants", "api_keys", "users", "sessions",
                                                "schema_migrations"};

class DistributionKeysTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = std::make_unique<testing::PostgresServer>();
    db = std::make_unique<PgConnection>(server->create_database("distribution_keys"));
    migrate(*db);
  }
  static void TearDownTestSuite() {
    db.reset();
    server.reset();
  }

  static std::unique_ptr<testing::PostgresServer> server;
  static std::unique_ptr<PgConnection> db;
};

std::unique_ptr<testing::PostgresServer> DistributionKeysTest::server;
std::unique_ptr<PgConnection> DistributionKeysTest::db;

TEST_F(DistributionKeysTest, EveryTableButTheReferenceTablesHoldsTheMerchant) {
  auto tables = db->query(
      "SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
      "AND a.attname = 'tenant_id' AND NOT a.attisdropped) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.relname");
  int distributed = 0;
  while (tables.step()) {
    std::string table = tables.text(0);
    if (kReferenceTables.contains(table)) continue;
    EXPECT_TRUE(tables.integer(1)) << table << " has no tenant_id";
    ++distributed;
  }
  EXPECT_GT(distributed, 50) << "the schema's tables were not found";
}

TEST_F(DistributionKeysTest, EveryPrimaryAndUniqueKeyOfADistributedTableLeadsWithTheMerchant) {
  // Unique indexes include the primary keys, the UNIQUE constraints and the partial unique
  // indexes; indkey[0] is the key's first column.
  auto keys = db->query(
      "SELECT t.relname, i.relname, a.attname "
      "FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
      "JOIN pg_class i ON i.oid = x.indexrelid "
      "JOIN pg_namespace n ON n.oid = t.relnamespace "
      "LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] "
      "WHERE n.nspname = current_schema() AND x.indisunique ORDER BY t.relname, i.relname");
  std::set<std::string> not_leading;
  int checked = 0;
  while (keys.step()) {
    std::string table = keys.text(0);
    if (kReferenceTables.contains(table)) continue;
    ++checked;
    if (keys.text(2) != "tenant_id") {
      not_leading.insert(table + "." + keys.text(1) + " leads with '" + keys.text(2) + "'");
    }
  }
  EXPECT_TRUE(not_leading.empty()) << ::testing::PrintToString(not_leading);
  EXPECT_GT(checked, 60) << "the schema's keys were not found";
}

TEST_F(DistributionKeysTest, EveryDistributedTableHasAPrimaryKey) {
  auto without = db->query(
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT EXISTS "
      "(SELECT 1 FROM pg_index x WHERE x.indrelid = c.oid AND x.indisprimary)");
  std::set<std::string> tables;
  while (without.step()) {
    if (!kReferenceTables.contains(without.text(0))) tables.insert(without.text(0));
  }
  EXPECT_TRUE(tables.empty()) << ::testing::PrintToString(tables);
}

}  // namespace
}  // namespace depot::postgres
