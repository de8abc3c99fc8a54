// Copying a store from SQLite to PostgreSQL (sql::copy_store, behind `depot migrate-store`): a
// SQLite store seeded through the use cases reads the same on PostgreSQL after the copy, a second
// copy changes nothing, one merchant can be copied alone, a copy that does not check out is rolled
// back, and ids drawn on PostgreSQL after the copy never clash with copied ones.
#include "store/sql/copy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "app/access_service.h"
#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/order_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "support/postgres_server.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {
namespace {

using testing::FakeClock;
using testing::TempDir;
using testing::wait;

std::string new_database() {
  static int databases = 0;
  return testing::shared_postgres().create_database("copy_" + std::to_string(++databases));
}

// The use cases over one store.
struct UseCases {
  UseCases(Store& store, Clock& clock, MediaStore& media, RuleBook& rules)
      : access(store, clock),
        verifier(store, rules, nullptr),
        orders(store, clock, verifier),
        inventory(store, clock, media),
        merchants(store, clock) {}

  AccessService access;
  Verifier verifier;
  OrderService orders;
  InventoryService inventory;
  MerchantService merchants;
};

// What a store reads of one merchant, a line per thing: its orders with their lines and history,
// every SKU's stock and ledger, the outbox and the settings.
std::vector<std::string> contents(Store& store, TenantId tenant) {
  auto read = store.read(tenant);
  std::vector<std::string> lines;
  OrderQuery every;
  every.newest_first = false;
  every.limit = 1000;
  for (const Order& listed : read->list_orders(every)) {
    Order o = *read->find_order(listed.id);
    std::ostringstream line;
    line << "order " << o.id << ' ' << o.order_no << ' ' << to_string(o.status) << " v" << o.version
         << " total " << o.total << " paid " << o.paid_amount << " refund " << o.refund_due
         << " by " << o.customer.name << " at " << to_millis(o.created_at);
    for (const OrderLine& l : o.lines) line << " | " << l.sku << 'x' << l.quantity;
    for (const HistoryEntry& h : o.history) line << " > " << to_string(h.to) << ' ' << h.actor;
    lines.push_back(line.str());
  }
  for (const Product& product : read->list_products("", 100, "")) {
    for (const StockRow& row : read->stock_of(product.sku)) {
      lines.push_back("stock " + product.sku + " @" + std::to_string(row.location_id) + ' ' +
                      std::to_string(row.balance.on_hand) + '/' +
                      std::to_string(row.balance.reserved));
    }
    for (const LedgerEntry& e : read->ledger(product.sku, 0, 1000)) {
      std::ostringstream line;
      line << "ledger " << e.id << ' ' << e.sku << ' ' << e.location << ' '
           << to_string(e.movement.kind) << ' ' << e.movement.on_hand_delta << '/'
           << e.movement.reserved_delta << " order " << e.order_id << ' ' << e.reason << ' '
           << e.actor << " at " << to_millis(e.at);
      lines.push_back(line.str());
    }
  }
  for (const EventRecord& record : read->events_after(0, 1000)) {
    std::ostringstream line;
    line << "event " << record.id << ' ' << to_string(record.event.type) << " order "
         << record.event.order_id << ' ' << record.event.sku << " with " << record.event.data.size()
         << " at " << to_millis(record.at);
    lines.push_back(line.str());
  }
  MerchantSettings s = read->settings();
  std::ostringstream line;
  line.precision(17);
  line << "settings " << s.edit_window_seconds << ' ' << s.unpaid_timeout_seconds << ' '
       << s.currency << ' ' << s.notify.public_url << ' ' << s.notify.default_channels.size() << ' '
       << s.reports.service_level << ' ' << s.reports.utc_offset_minutes;
  lines.push_back(line.str());
  return lines;
}

// A line count per kind ("order", "ledger", …): enough to know a comparison compared something.
std::size_t count_of(const std::vector<std::string>& lines, const std::string& kind) {
  return static_cast<std::size_t>(
      std::count_if(lines.begin(), lines.end(),
                    [&](const std::string& line) { return line.starts_with(kind + ' '); }));
}

std::int64_t count(sql::Connection& db, const std::string& sql) {
  sql::Query q = db.query(sql);
  return q.step() ? q.integer(0) : -1;
}

class StoreCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    shop_a = merchant("shop-a");
    shop_b = merchant("shop-b");
    for (const Actor& actor : {shop_a, shop_b}) {
      add_product(actor, "SKU-1", 20);
      add_product(actor, "SKU-2", 5);
    }
    Order paid = order(shop_a, "SKU-1", 2);
    ASSERT_OK(wait<Order>([&](auto done) {
      use.orders.pay(shop_a, paid.id, Payment{paid.total, "alipay", "", {}}, done);
    }));
    clock.advance(std::chrono::minutes(5));
    Order cancelled = order(shop_a, "SKU-2", 1);
    ASSERT_OK(wait<Order>(
        [&](auto done) { use.orders.cancel(shop_a, cancelled.id, "changed mind", done); }));
    order(shop_a, "SKU-2", 3);
    order(shop_b, "SKU-1", 4);
    SettingsPatch patch;
    patch.edit_window_seconds = 600;
    patch.public_url = "https://shop-a.example";
    patch.reports.service_level = 0.975;
    ASSERT_OK(wait<MerchantSettings>(
        [&](auto done) { use.merchants.update_settings(shop_a, patch, done); }));
  }

  Actor merchant(const std::string& slug) {
    auto key = use.access.create_key(slug, Role::owner);
    EXPECT_TRUE(key.ok());
    return *use.access.authenticate(key->key);
  }

  void add_product(const Actor& actor, const std::string& sku, std::int64_t stock) {
    Product p;
    p.sku = sku;
    p.name = "Product " + sku;
    p.price = 100;
    ASSERT_OK(wait<Product>([&](auto done) { use.inventory.create_product(actor, p, done); }));
    ReceiveCommand receipt;
    receipt.sku = sku;
    receipt.quantity = stock;
    ASSERT_OK(wait<StockLevel>([&](auto done) { use.inventory.receive(actor, receipt, done); }));
  }

  Order order(const Actor& actor, const std::string& sku, std::int64_t quantity) {
    clock.advance(std::chrono::seconds(30));
    CreateOrderCommand command;
    command.draft.lines = {{sku, quantity, 100}};
    command.draft.customer = {"张三", "13800138000", "", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    auto created =
        wait<CreatedOrder>([&](auto done) { use.orders.create(actor, std::move(command), done); });
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created->order : Order{};
  }

  // Copies the SQLite store into the database `uri`, migrated first, as depot migrate-store does.
  sql::CopyReport copy_to(const std::string& uri, std::optional<TenantId> tenant = {}) {
    sqlite::Connection source(dir.file("depot.db"), false);
    postgres::PgConnection target(uri);
    postgres::migrate(target);
    sql::CopyOptions options;
    options.tenant = tenant;
    return sql::copy_store(source, target, options);
  }

  TempDir dir;
  FakeClock clock;
  sqlite::SqliteStore store{dir.file("depot.db")};
  files::MediaDirectory media{dir.file("media")};
  rules::LuaRuleEngine rule_engine;
  RuleBook rule_book{rule_engine};
  UseCases use{store, clock, media, rule_book};
  Actor shop_a;
  Actor shop_b;
};

TEST_F(StoreCopyTest, CopyReadsTheSameOnPostgresAndASecondCopyChangesNothing) {
  std::string uri = new_database();
  sql::CopyReport first = copy_to(uri);
  ASSERT_EQ(first.mismatch, "");
  EXPECT_GT(first.rows(), 0);
  EXPECT_EQ(first.added(), first.rows()) << "the database was empty: every row is new";
  EXPECT_GT(first.sequences_raised, 0);

  postgres::PgStore copied(uri);
  for (const Actor& actor : {shop_a, shop_b}) {
    std::vector<std::string> on_sqlite = contents(store, actor.tenant_id);
    EXPECT_EQ(contents(copied, actor.tenant_id), on_sqlite);
    EXPECT_GE(count_of(on_sqlite, "order"), 1u);
    EXPECT_GE(count_of(on_sqlite, "ledger"), 3u);
    EXPECT_GE(count_of(on_sqlite, "event"), 1u);
  }
  EXPECT_EQ(copied.read(shop_a.tenant_id)->settings().reports.service_level, 0.975);

  sql::CopyReport second = copy_to(uri);
  ASSERT_EQ(second.mismatch, "");
  EXPECT_FALSE(second.changed());
  EXPECT_EQ(second.added(), 0);
  ASSERT_EQ(second.tables.size(), first.tables.size());
  for (std::size_t i = 0; i < first.tables.size(); ++i) {
    EXPECT_EQ(second.tables[i].rows, first.tables[i].rows) << first.tables[i].table;
  }
  EXPECT_EQ(contents(copied, shop_a.tenant_id), contents(store, shop_a.tenant_id));
}

TEST_F(StoreCopyTest, IdsDrawnOnPostgresAfterTheCopyAreNew) {
  std::string uri = new_database();
  ASSERT_EQ(copy_to(uri).mismatch, "");
  auto read = store.read(shop_a.tenant_id);
  std::int64_t last_event = read->latest_event_id();
  std::int64_t last_movement = read->ledger("SKU-1", 0, 1000).back().id;
  OrderQuery newest;
  std::int64_t last_order = 0;
  for (const Actor& actor : {shop_a, shop_b}) {
    for (const Order& o : store.read(actor.tenant_id)->list_orders(newest)) {
      last_order = std::max(last_order, o.id);
    }
  }

  postgres::PgStore copied(uri);
  UseCases on_postgres(copied, clock, media, rule_book);
  CreateOrderCommand command;
  command.draft.lines = {{"SKU-1", 1, 100}};
  command.draft.customer = {"李四", "13900139000", "", "", "", {}};
  command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 2 号", "", {}, {}, {}};
  auto created = wait<CreatedOrder>(
      [&](auto done) { on_postgres.orders.create(shop_a, std::move(command), done); });
  ASSERT_OK(created);
  EXPECT_GT(created->order.id, last_order);
  auto after = copied.read(shop_a.tenant_id);
  EXPECT_GT(after->latest_event_id(), last_event);
  EXPECT_GT(after->ledger("SKU-1", 0, 1000).back().id, last_movement);
  EXPECT_EQ(after->find_order(created->order.id)->customer.name, "李四");
}

TEST_F(StoreCopyTest, OneMerchantIsCopiedAlone) {
  std::string uri = new_database();
  sql::CopyReport report = copy_to(uri, shop_b.tenant_id);
  ASSERT_EQ(report.mismatch, "");

  postgres::PgConnection target(uri);
  for (const std::string& table : target.tables()) {
    std::vector<std::string> columns = target.columns(table);
    if (std::find(columns.begin(), columns.end(), "tenant_id") == columns.end()) continue;
    EXPECT_EQ(count(target, "SELECT COUNT(*) FROM " + table + " WHERE tenant_id <> " +
                                std::to_string(shop_b.tenant_id)),
              0)
        << table;
  }
  postgres::PgStore copied(uri);
  EXPECT_EQ(copied.tenant_ids(), std::vector<TenantId>{shop_b.tenant_id});
  EXPECT_FALSE(copied.find_tenant("shop-a"));
  EXPECT_EQ(contents(copied, shop_b.tenant_id), contents(store, shop_b.tenant_id));
}

TEST_F(StoreCopyTest, ACopyThatDoesNotCheckOutIsRolledBack) {
  std::string uri = new_database();
  {
    // A row of shop-a's the source does not have: the target holds one more than was copied.
    postgres::PgConnection target(uri);
    postgres::migrate(target);
    target
        .query(
            "INSERT INTO request_keys (tenant_id, key, fingerprint, created_at) "
            "VALUES (?, 'not-in-the-source', '', 0)")
        .bind_all(shop_a.tenant_id)
        .run();
  }
  sql::CopyReport report = copy_to(uri);
  EXPECT_TRUE(report.mismatch.starts_with("request_keys:")) << report.mismatch;
  postgres::PgConnection target(uri);
  EXPECT_EQ(count(target, "SELECT COUNT(*) FROM tenants"), 0) << "nothing may stay of the copy";

  {
    // A balance the ledger does not add up to.
    sqlite::Connection writer(dir.file("depot.db"), true);
    writer
        .query(
            "UPDATE stock_balances SET on_hand = on_hand + 1 WHERE tenant_id = ? AND "
            "sku = 'SKU-2'")
        .bind_all(shop_b.tenant_id)
        .run();
  }
  report = copy_to(new_database());
  EXPECT_NE(report.mismatch.find("SKU SKU-2"), std::string::npos) << report.mismatch;
}

}  // namespace
}  // namespace depot
