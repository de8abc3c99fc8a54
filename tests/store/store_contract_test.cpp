// The store conformance suite: the store contract (app/ports.h) and the use cases on it, run
// unchanged on SQLite and on PostgreSQL: rollback of one failed use case among others, durability
// across reopen, tenant scoping, ids with another writer beside, and the ledger invariant.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "store/store_fixture.h"

namespace depot {
namespace {

TEST_P(StoreTest, NewMerchantHasMainWarehouseWithDefaultLocation) {
  Actor a = merchant("shop-a");
  auto warehouses = inventory->warehouses(a);
  ASSERT_EQ(warehouses.size(), 1u);
  EXPECT_EQ(warehouses[0].code, "main");
  EXPECT_EQ(warehouses[0].locations, std::vector<std::string>{"default"});
  merchant("shop-a");
  EXPECT_EQ(inventory->warehouses(a).size(), 1u) << "a second key must not add a warehouse";
}

TEST_P(StoreTest, ConcurrentOrdersNeverOversell) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 50);
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto result = order(a, "SKU-1", 1);
        if (result.ok()) {
          ++created;
        } else if (result.error().code == ErrorCode::insufficient_stock) {
          ++refused;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 50);
  EXPECT_EQ(refused.load(), 150);
  EXPECT_EQ(inventory->stock(a, "SKU-1")->total().available(), 0);
  expect_ledger_matches(a, "SKU-1");
}

TEST_P(StoreTest, AFailedUseCaseInABatchLeavesTheOthersIntact) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 3);
  std::vector<std::future<Result<CreatedOrder>>> pending;
  // Queue many at once so they share batches: the short ones roll back alone.
  std::vector<std::thread> threads;
  std::vector<Result<CreatedOrder>> results(6, Result<CreatedOrder>(Error{}));
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] { results[i] = order(a, "SKU-1", i % 2 == 0 ? 1 : 5); });
  }
  for (auto& t : threads) t.join();
  int ok = 0;
  for (auto& r : results) ok += r.ok();
  EXPECT_EQ(ok, 3);
  auto page = orders->list(a, OrderQuery{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 3u);
  expect_ledger_matches(a, "SKU-1");
}

TEST_P(StoreTest, IdempotencyKeyReturnsTheFirstOrder) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  auto first = order(a, "SKU-1", 2, "key-1");
  auto again = order(a, "SKU-1", 2, "key-1");
  ASSERT_OK(first);
  ASSERT_OK(again);
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(first->order.id, again->order.id);
  EXPECT_EQ(inventory->stock(a, "SKU-1")->total().reserved, 2);
  auto different = order(a, "SKU-1", 3, "key-1");
  ASSERT_FALSE(different.ok());
  EXPECT_EQ(different.error().fields.front().field, "Idempotency-Key");
}

TEST_P(StoreTest, CommittedOrdersSurviveReopen) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  auto created = order(a, "SKU-1", 4);
  ASSERT_OK(created);
  reopen();
  auto found = orders->get(a, created->order.id);
  ASSERT_OK(found);
  EXPECT_EQ(found->lines.front().quantity, 4);
  EXPECT_EQ(found->history.size(), 1u);
  auto next = order(a, "SKU-1", 1);
  ASSERT_OK(next);
  EXPECT_GT(next->order.id, created->order.id) << "ids continue after a restart";
  expect_ledger_matches(a, "SKU-1");
}

TEST_P(StoreTest, MerchantsSeeOnlyTheirOwnData) {
  Actor a = merchant("shop-a");
  Actor b = merchant("shop-b");
  add_product(a, "SKU-1", 10);
  auto created = order(a, "SKU-1", 1);
  ASSERT_OK(created);
  EXPECT_EQ(orders->get(b, created->order.id).error().code, ErrorCode::not_found);
  EXPECT_TRUE(orders->list(b, OrderQuery{})->items.empty());
  EXPECT_FALSE(inventory->stock(b, "SKU-1").ok());
  EXPECT_EQ(order(b, "SKU-1", 1).error().fields.front().field, "lines[0].sku");
}

TEST_P(StoreTest, EditReReservesAndCancelReleases) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  auto created = order(a, "SKU-1", 4);
  ASSERT_OK(created);
  OrderPatch patch;
  patch.lines = std::vector<OrderLine>{{"SKU-1", 7, 100}};
  auto edited = wait<Order>(
      [&](auto done) { orders->edit(a, created->order.id, created->order.version, patch, done); });
  ASSERT_OK(edited);
  EXPECT_EQ(inventory->stock(a, "SKU-1")->total().reserved, 7);
  patch.lines = std::vector<OrderLine>{{"SKU-1", 11, 100}};
  auto too_much = wait<Order>(
      [&](auto done) { orders->edit(a, created->order.id, edited->version, patch, done); });
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().code, ErrorCode::insufficient_stock);
  EXPECT_EQ(inventory->stock(a, "SKU-1")->total().reserved, 7) << "a refused edit changes nothing";
  auto cancelled =
      wait<Order>([&](auto done) { orders->cancel(a, created->order.id, "changed mind", done); });
  ASSERT_OK(cancelled);
  EXPECT_EQ(inventory->stock(a, "SKU-1")->total().reserved, 0);
  expect_ledger_matches(a, "SKU-1");
}

TEST_P(StoreTest, EditOutsideTheWindowIsRefused) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  auto created = order(a, "SKU-1", 1);
  ASSERT_OK(created);
  clock.advance(std::chrono::minutes(31));
  OrderPatch patch;
  patch.notes = "late";
  auto late = wait<Order>(
      [&](auto done) { orders->edit(a, created->order.id, created->order.version, patch, done); });
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::conflict);
}

TEST_P(StoreTest, UnpaidOrdersAreCancelledAfterTheTimeout) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  auto unpaid = order(a, "SKU-1", 3);
  auto paid = order(a, "SKU-1", 2);
  ASSERT_OK(unpaid);
  ASSERT_OK(paid);
  ASSERT_OK(pay_in_full(a, paid->order));
  clock.advance(std::chrono::minutes(29));
  EXPECT_EQ(*orders->cancel_overdue_unpaid(a.tenant_id), 0);
  clock.advance(std::chrono::minutes(2));
  EXPECT_EQ(*orders->cancel_overdue_unpaid(a.tenant_id), 1);
  EXPECT_EQ(orders->get(a, unpaid->order.id)->status, OrderStatus::cancelled);
  EXPECT_EQ(orders->get(a, paid->order.id)->status, OrderStatus::awaiting_shipment);
  EXPECT_EQ(inventory->stock(a, "SKU-1")->total().reserved, 2);
  expect_ledger_matches(a, "SKU-1");
}

TEST_P(StoreTest, LowStockAlertOpensOnceUntilReplenished) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10, 5);
  ASSERT_OK(order(a, "SKU-1", 6));
  ASSERT_OK(order(a, "SKU-1", 1));
  ASSERT_EQ(inventory->alerts(a).size(), 1u);
  ReceiveCommand receipt;
  receipt.sku = "SKU-1";
  receipt.quantity = 20;
  ASSERT_OK(wait<StockLevel>([&](auto done) { inventory->receive(a, receipt, done); }));
  EXPECT_TRUE(inventory->alerts(a).empty());
  ASSERT_OK(order(a, "SKU-1", 20));
  EXPECT_EQ(inventory->alerts(a).size(), 1u);
}

TEST_P(StoreTest, TransfersAndAdjustmentsKeepTheLedger) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  ASSERT_OK(
      wait<LocationRef>([&](auto done) { inventory->create_location(a, "main", "B-2", done); }));
  TransferCommand transfer{"SKU-1", "", "main/B-2", 4, "shelving", ""};
  ASSERT_OK(wait<StockLevel>([&](auto done) { inventory->transfer(a, transfer, done); }));
  AdjustCommand count;
  count.sku = "SKU-1";
  count.location = "B-2";
  count.counted_quantity = 3;
  count.reason = "stocktake";
  auto level = wait<StockLevel>([&](auto done) { inventory->adjust(a, count, done); });
  ASSERT_OK(level);
  EXPECT_EQ(level->total().on_hand, 9);
  ASSERT_OK(order(a, "SKU-1", 8));  // takes 6 from default, 2 from B-2
  AdjustCommand below;
  below.sku = "SKU-1";
  below.counted_quantity = 5;
  below.reason = "recount";
  auto refused = wait<StockLevel>([&](auto done) { inventory->adjust(a, below, done); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  expect_ledger_matches(a, "SKU-1");
}

TEST_P(StoreTest, EveryChangeWritesItsEvents) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 10);
  auto created = order(a, "SKU-1", 1);
  ASSERT_OK(created);
  auto events = store->read(a.tenant_id)->events_after(0, 100);
  std::vector<std::string_view> types;
  for (const auto& e : events) types.push_back(to_string(e.event.type));
  EXPECT_EQ(types,
            (std::vector<std::string_view>{"product.created", "stock.received", "order.created"}));
  EXPECT_EQ(events.back().event.order_id, created->order.id);
}

TEST(Migrations, AreAppliedOnceAndRecorded) {
  TempDir dir;
  sqlite::Connection db(dir.file("depot.db"), true);
  EXPECT_EQ(sqlite::migrate(db), sqlite::latest_schema_version());
  EXPECT_EQ(sqlite::migrate(db), 0);
}

TEST(Backup, CopiesALiveDatabase) {
  TempDir dir;
  FakeClock clock;
  sqlite::SqliteStore store(dir.file("depot.db"));
  AccessService access(store, clock);
  ASSERT_OK(access.create_key("shop", Role::owner));
  store.backup_to(dir.file("copy.db"));
  sqlite::SqliteStore copy(dir.file("copy.db"));
  EXPECT_EQ(copy.tenant_ids().size(), 1u);
}

}  // namespace
}  // namespace depot

namespace depot {
namespace {}  // namespace
}  // namespace depot

namespace depot {
namespace {

TEST_P(StoreTest, AFirstReceiptBelowTheThresholdOpensAnAlert) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 15, 20);
  auto alerts = inventory->alerts(a);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].available, 15);
  add_product(a, "SKU-2", 25, 20);
  EXPECT_EQ(inventory->alerts(a).size(), 1u);
}

// A second writer on the same file, as `depot apikey create` beside a running server: neither
// may hand out an id the other already used, whatever it counted before.
TEST_P(StoreTest, AnotherWriterOnTheSameDatabaseNeverClashesOnIds) {
  Actor a = merchant("shop-a");
  auto first =
      wait<Warehouse>([&](auto done) { inventory->create_warehouse(a, "north", "North", done); });
  ASSERT_OK(first);
  {
    auto other = location.open();
    AccessService other_access(other->store(), clock);
    ASSERT_OK(other_access.create_key("newco", Role::owner));
    ASSERT_OK(other_access.create_key("shop-a", Role::viewer));
  }
  Actor newco = merchant("newco");
  for (const Actor* actor : {&newco, &a}) {
    auto created = wait<Warehouse>(
        [&](auto done) { inventory->create_warehouse(*actor, "south", "South", done); });
    ASSERT_OK(created);
    EXPECT_EQ(inventory->warehouses(*actor).size(), actor == &a ? 3u : 2u);
  }
  add_product(newco, "SKU-1", 5);
  ASSERT_OK(order(newco, "SKU-1", 1));
  auto events = store->read(newco.tenant_id)->events_after(0, 100);
  for (std::size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i - 1].id, events[i].id);
}

// Two nodes on one database: a key revoked through one is refused by the other within the time the
// other trusts a key it has seen, and at once by the node that revoked it.
TEST_P(StoreTest, AKeyRevokedOnAnotherNodeIsRefusedWithinSeconds) {
  auto key = access->create_key("shop-a", Role::owner);
  ASSERT_OK(key);
  auto other_node = location.open();
  AccessService other_access(other_node->store(), clock);
  ASSERT_OK(other_access.authenticate(key->key));
  Actor owner = *access->authenticate(key->key);
  ASSERT_TRUE(access->revoke_key(owner, key->info.id).ok());
  EXPECT_FALSE(access->authenticate(key->key).ok());
  EXPECT_TRUE(other_access.authenticate(key->key).ok());  // still trusted for a moment
  clock.advance(std::chrono::seconds(6));
  auto refused = other_access.authenticate(key->key);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::unauthenticated);
}

TEST_P(StoreTest, AKeyThatIsTakenIsAConflictAndKeepsNothing) {
  Actor a = merchant("shop-a");
  UserRecord user{0, "li@example.com", Role::viewer, "hash", clock.now(), std::nullopt};
  std::promise<Status> finished;
  store->write(
      a.tenant_id,
      [&](WriteTx& tx) {
        tx.insert_user(user);
        tx.insert_user(user);
        return true;
      },
      [&](Status status) { finished.set_value(std::move(status)); });
  Status status = finished.get_future().get();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::conflict);
  EXPECT_FALSE(store->find_user_by_email("li@example.com"));
}

TEST_P(StoreTest, AKeyTakenInOneUseCaseOfABatchFailsThatOneAlone) {
  Actor a = merchant("shop-a");
  constexpr int kWrites = 20;
  constexpr int kTheOneThatClashes = 7;
  std::vector<std::promise<Status>> finished(kWrites);
  // Queued at once, so that they share transactions: the clash must cost the others nothing,
  // wherever the store learns of it.
  for (int i = 0; i < kWrites; ++i) {
    store->write(
        a.tenant_id,
        [i](WriteTx& tx) {
          UserRecord user{0,
                          "u" + std::to_string(i) + "@example.com",
                          Role::viewer,
                          "hash",
                          Instant{},
                          std::nullopt};
          tx.insert_user(user);
          if (i == kTheOneThatClashes) tx.insert_user(user);
          return true;
        },
        [&finished, i](Status status) { finished[i].set_value(std::move(status)); });
  }
  for (int i = 0; i < kWrites; ++i) {
    Status status = finished[i].get_future().get();
    std::string email = "u" + std::to_string(i) + "@example.com";
    if (i == kTheOneThatClashes) {
      ASSERT_FALSE(status.ok());
      EXPECT_EQ(status.error().code, ErrorCode::conflict);
      EXPECT_FALSE(store->find_user_by_email(email));
    } else {
      EXPECT_TRUE(status.ok()) << i << ": " << status.error().message;
      EXPECT_TRUE(store->find_user_by_email(email)) << email;
    }
  }
}

// PostgreSQL draws a batch's ids in blocks: within a batch and from one batch to the next, ids
// still rise in the order the use cases ran, which the event feed's cursor and the ledger rest on.
TEST_P(StoreTest, IdsRiseInTheOrderUseCasesRanWithinAndAcrossBatches) {
  Actor a = merchant("shop-a");
  add_product(a, "SKU-1", 100);
  add_product(a, "SKU-2", 100);
  std::int64_t events_before = store->read(a.tenant_id)->latest_event_id();
  std::vector<std::int64_t> order_ids;
  for (int batch = 0; batch < 2; ++batch) {
    // The writer waits inside the first use case, so the creations queued behind it share a
    // transaction.
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<Status> held;
    store->write(
        a.tenant_id,
        [released](WriteTx&) {
          released.wait();
          return false;
        },
        [&held](Status status) { held.set_value(std::move(status)); });
    std::vector<std::future<Result<CreatedOrder>>> created;
    for (int i = 0; i < 5; ++i) {
      auto answer = std::make_shared<std::promise<Result<CreatedOrder>>>();
      created.push_back(answer->get_future());
      CreateOrderCommand command;
      command.draft.lines = {{"SKU-1", 1, 100}, {"SKU-2", 2, 100}};
      command.draft.customer = {"张三", "13800138000", "", "", "", {}};
      command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号",
                                        "",       {},       {},       {}};
      orders->create(a, command, [answer](Result<CreatedOrder> result) {
        answer->set_value(std::move(result));
      });
    }
    release.set_value();
    ASSERT_TRUE(held.get_future().get().ok());
    for (auto& answer : created) {
      Result<CreatedOrder> result = answer.get();
      ASSERT_TRUE(result.ok()) << result.error().message;
      order_ids.push_back(result->order.id);
    }
  }
  EXPECT_TRUE(std::adjacent_find(order_ids.begin(), order_ids.end(), std::greater_equal<>()) ==
              order_ids.end());

  auto tx = store->read(a.tenant_id);
  std::vector<std::int64_t> created_in_feed;
  std::vector<std::int64_t> event_ids;
  for (const EventRecord& record : tx->events_after(events_before, 1000)) {
    event_ids.push_back(record.id);
    if (record.event.type == EventType::order_created)
      created_in_feed.push_back(record.event.order_id);
  }
  EXPECT_EQ(created_in_feed, order_ids);
  EXPECT_TRUE(std::is_sorted(event_ids.begin(), event_ids.end()));
  for (const char* sku : {"SKU-1", "SKU-2"}) {
    std::vector<std::int64_t> reserved_for;
    for (const LedgerEntry& entry : tx->ledger(sku, 0, 1000)) {
      if (entry.order_id != 0) reserved_for.push_back(entry.order_id);
    }
    EXPECT_EQ(reserved_for, order_ids) << sku;
  }
}

// A batch's use cases may share what they read of the merchant's settings; one that saves them and
// is undone must leave the next the settings as stored.
TEST_P(StoreTest, SettingsReadInABatchAreThoseStoredAfterEachUseCase) {
  Actor a = merchant("shop-a");
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::future<Status>> done;
  std::vector<std::int64_t> seen(3);
  auto queue = [&](std::function<bool(WriteTx&)> work) {
    auto answer = std::make_shared<std::promise<Status>>();
    done.push_back(answer->get_future());
    store->write(a.tenant_id, std::move(work),
                 [answer](Status status) { answer->set_value(std::move(status)); });
  };
  auto save_window = [](WriteTx& tx, std::int64_t seconds) {
    MerchantSettings changed = tx.settings();
    changed.edit_window_seconds = seconds;
    tx.save_settings(changed);
    return tx.settings().edit_window_seconds == seconds;
  };
  queue([&](WriteTx& tx) {
    released.wait();  // the rest queue behind this one and share its transaction
    seen[0] = tx.settings().edit_window_seconds;
    return true;
  });
  queue([&](WriteTx& tx) {
    save_window(tx, 111);
    return false;  // undone
  });
  queue([&](WriteTx& tx) {
    seen[1] = tx.settings().edit_window_seconds;
    return true;
  });
  queue([&](WriteTx& tx) { return save_window(tx, 222); });
  queue([&](WriteTx& tx) {
    seen[2] = tx.settings().edit_window_seconds;
    return true;
  });
  release.set_value();
  for (auto& answer : done) EXPECT_TRUE(answer.get().ok());
  EXPECT_NE(seen[0], 111);
  EXPECT_EQ(seen[1], seen[0]);
  EXPECT_EQ(seen[2], 222);
  EXPECT_EQ(store->read(a.tenant_id)->settings().edit_window_seconds, 222);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest,
                         ::testing::Values(StoreKind::sqlite, StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
