// Power loss, not just kill -9: a VFS that forgets every write not yet fsynced (or keeps some and
// tears the next) cuts the power at many points of a concurrent workload of creates, payments and
// cancellations. After the store is reopened, every change that was acknowledged is there, the
// ledger adds up, no reservation is orphaned, and every stored change has its event in the outbox.
// A disk that acknowledges fsync before the data is durable must make these checks fail.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "app/access_service.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "store/sqlite/sqlite_store.h"
#include "support/power_loss_vfs.h"
#include "support/test_support.h"

namespace depot {
namespace {

using testing::FakeClock;
using testing::PowerLossVfs;
using testing::TempDir;
using testing::wait;

const std::vector<std::string> kSkus = {"SKU-A", "SKU-B", "SKU-C"};
constexpr int kClients = 4;
constexpr int kOrdersPerClient = 25;
// With a cut armed the clients go on until the power fails: how many writes and fsyncs a number of
// orders takes depends on how the group commits fall. This bounds a cut that is never reached.
constexpr int kOrdersPerClientAtMost = 40 * kOrdersPerClient;
constexpr int kCheckpointPages = 64;

bool holds_stock(OrderStatus status) {
  return status == OrderStatus::pending_payment || status == OrderStatus::awaiting_shipment ||
         status == OrderStatus::on_hold;
}

// depot's services over one store file.
struct Depot {
  // Checkpoints every few commits, so that cuts land in them and in the log's restarts too.
  explicit Depot(const std::string& path)
      : store(path, kCheckpointPages),
        media(std::filesystem::path(path).parent_path().string() + "/media"),
        access(store, clock),
        verifier(store, rule_book, nullptr),
        orders(store, clock, verifier),
        inventory(store, clock, media) {}

  FakeClock clock;
  sqlite::SqliteStore store;
  files::MediaDirectory media;
  AccessService access;
  rules::LuaRuleEngine rule_engine;
  RuleBook rule_book{rule_engine};
  Verifier verifier;
  OrderService orders;
  InventoryService inventory;
};

// What the clients were told: the orders whose creation was acknowledged, and for each the
// follow-up (payment or cancellation) that was acknowledged or only attempted.
struct Acknowledged {
  struct Entry {
    std::vector<OrderLine> lines;
    std::optional<OrderStatus> follow_up;  // the status an acknowledged follow-up set
    std::optional<OrderStatus> attempted;  // a follow-up sent but not acknowledged
  };
  std::mutex mutex;
  std::map<std::int64_t, Entry> orders;
};

// Where the power fails: at the n-th write or fsync of the workload, or at its n-th fsync.
struct Cut {
  std::int64_t at = 0;  // 0: never
  bool at_sync = false;
};

struct Outcome {
  std::vector<std::string> problems;  // what the checks found wrong after the reopen
  std::int64_t operations = 0;        // writes and fsyncs the workload made
  std::int64_t syncs = 0;             // of which fsyncs
  std::int64_t database_syncs = 0;    // fsyncs of the database file: checkpoints
  std::size_t acknowledged = 0;       // orders whose creation was acknowledged
};

class PowerLossTest : public ::testing::Test {
 protected:
  // Builds the store, cuts the power where `cut` says, and reopens it from what the disk kept.
  Outcome run(Cut cut, PowerLossVfs::Loss loss, bool lying_disk, unsigned seed) {
    Outcome outcome;
    TempDir dir;
    std::string path = dir.file("depot.db");
    std::mt19937 random(seed);
    Acknowledged acknowledged;
    std::string key;
    {
      PowerLossVfs vfs;
      {
        Depot depot(path);
        key = set_up(depot);
        vfs.lie_about_sync(lying_disk);
        if (cut.at_sync) {
          vfs.cut_power_at_sync(cut.at);
        } else {
          vfs.cut_power_at(cut.at);
        }
        work(depot, key, acknowledged, seed,
             cut.at > 0 ? kOrdersPerClientAtMost : kOrdersPerClient);
        outcome.operations = vfs.operations();
        outcome.syncs = vfs.syncs();
        outcome.database_syncs = vfs.syncs_of(path);
        outcome.acknowledged = acknowledged.orders.size();
        if (cut.at > 0 && !vfs.power_lost()) {
          outcome.problems.push_back("the workload ended before the power was cut");
          return outcome;
        }
      }
      vfs.lose_unsynced(loss, random);
    }
    std::filesystem::remove(path + "-shm");
    Depot depot(path);
    outcome.problems = check(depot, key, acknowledged);
    return outcome;
  }

  // Cuts the power at `cuts` points spread evenly over `count` operations (or fsyncs, with
  // `at_sync`) of the workload, alternating the two kinds of loss; nothing acknowledged may go.
  void cut_at_many_points(int cuts, std::int64_t count, bool at_sync, unsigned first_seed) {
    int cuts_after_acknowledged_orders = 0;
    for (int i = 1; i <= cuts; ++i) {
      std::int64_t cut = 1 + count * i / (cuts + 1);
      PowerLossVfs::Loss loss =
          i % 2 ? PowerLossVfs::Loss::everything_unsynced : PowerLossVfs::Loss::torn_tail;
      Outcome outcome = run({cut, at_sync}, loss, false, first_seed + static_cast<unsigned>(i));
      EXPECT_EQ(outcome.problems, std::vector<std::string>{})
          << "power cut at " << (at_sync ? "fsync " : "operation ") << cut;
      if (outcome.acknowledged > 0) ++cuts_after_acknowledged_orders;
    }
    // Most cuts come after some orders were acknowledged, so the checks had something to find.
    EXPECT_GT(cuts_after_acknowledged_orders, cuts * 3 / 4);
  }

  // A merchant with plenty of three SKUs, all of it durable before the workload starts.
  static std::string set_up(Depot& depot) {
    auto key = depot.access.create_key("power", Role::owner);
    Actor actor = *depot.access.authenticate(key->key);
    for (const std::string& sku : kSkus) {
      Product product;
      product.sku = sku;
      product.name = "Product " + sku;
      product.price = 100;
      EXPECT_TRUE(wait<Product>([&](auto done) {
                    depot.inventory.create_product(actor, product, done);
                  }).ok());
      ReceiveCommand receipt;
      receipt.sku = sku;
      receipt.quantity = 100000;
      EXPECT_TRUE(
          wait<StockLevel>([&](auto done) { depot.inventory.receive(actor, receipt, done); }).ok());
    }
    return key->key;
  }

  // Clients create orders concurrently, and pay or cancel some, until the power fails or each has
  // created `orders` of them.
  static void work(Depot& depot, const std::string& key, Acknowledged& acknowledged, unsigned seed,
                   int orders) {
    Actor actor = *depot.access.authenticate(key);
    std::vector<std::thread> clients;
    for (int client = 0; client < kClients; ++client) {
      clients.emplace_back([&, client] {
        std::mt19937 random(seed * 31 + static_cast<unsigned>(client));
        for (int i = 0; i < orders; ++i) {
          CreateOrderCommand command;
          command.draft.lines = {
              {kSkus[random() % kSkus.size()], static_cast<std::int64_t>(1 + random() % 3), 100}};
          command.draft.customer = {"李四", "13900139000", "", "", "", {}};
          command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号",
                                            "",       {},       {},       {}};
          Result<CreatedOrder> created =
              wait<CreatedOrder>([&](auto done) { depot.orders.create(actor, command, done); });
          if (!created.ok()) return;  // the power is gone
          const Order& order = created->order;
          {
            std::lock_guard lock(acknowledged.mutex);
            acknowledged.orders[order.id].lines = order.lines;
          }
          int choice = static_cast<int>(random() % 3);
          if (choice == 0) continue;
          OrderStatus next = choice == 1 ? OrderStatus::awaiting_shipment : OrderStatus::cancelled;
          {
            std::lock_guard lock(acknowledged.mutex);
            acknowledged.orders[order.id].attempted = next;
          }
          Result<Order> changed = wait<Order>([&](auto done) {
            if (next == OrderStatus::cancelled) {
              depot.orders.cancel(actor, order.id, "customer asked", done);
            } else {
              depot.orders.pay(actor, order.id, Payment{order.total, "alipay", "", {}}, done);
            }
          });
          if (!changed.ok()) return;
          std::lock_guard lock(acknowledged.mutex);
          acknowledged.orders[order.id].follow_up = next;
        }
      });
    }
    for (std::thread& client : clients) client.join();
  }

  static std::vector<std::string> check(Depot& depot, const std::string& key,
                                        const Acknowledged& acknowledged) {
    std::vector<std::string> problems;
    Actor actor = *depot.access.authenticate(key);

    std::map<std::int64_t, Order> stored;
    for (std::int64_t after = 0;;) {
      OrderQuery query;
      query.newest_first = false;
      query.after_id = after;
      query.limit = 200;
      Result<OrderPage> page = depot.orders.list(actor, query);
      if (!page.ok()) return {"the order list failed: " + page.error().message};
      for (Order& order : page->items) stored.emplace(order.id, std::move(order));
      if (page->next_after_id == 0) break;
      after = page->next_after_id;
    }

    for (const auto& [id, entry] : acknowledged.orders) {
      auto found = stored.find(id);
      if (found == stored.end()) {
        problems.push_back("acknowledged order " + std::to_string(id) + " is gone");
        continue;
      }
      OrderStatus status = found->second.status;
      bool allowed = entry.follow_up ? status == *entry.follow_up
                                     : status == OrderStatus::pending_payment ||
                                           (entry.attempted && status == *entry.attempted);
      if (!allowed) {
        problems.push_back("order " + std::to_string(id) + " is " + std::string(to_string(status)) +
                           " against what was acknowledged");
      }
    }

    std::map<std::string, std::int64_t> held;
    for (const auto& [id, order] : stored) {
      if (!holds_stock(order.status)) continue;
      for (const OrderLine& line : order.lines) held[line.sku] += line.quantity;
    }
    for (const std::string& sku : kSkus) {
      std::int64_t on_hand = 0;
      std::int64_t reserved = 0;
      for (std::int64_t after = 0;;) {
        auto page = depot.inventory.ledger(actor, sku, after, 200);
        if (!page.ok()) return {"the ledger of " + sku + " failed"};
        for (const LedgerEntry& entry : page->items) {
          on_hand += entry.movement.on_hand_delta;
          reserved += entry.movement.reserved_delta;
        }
        if (page->next_after_id == 0) break;
        after = page->next_after_id;
      }
      StockBalance balance = depot.inventory.stock(actor, sku)->total();
      if (balance.on_hand != on_hand || balance.reserved != reserved) {
        problems.push_back(sku + ": the balance does not match its ledger");
      }
      if (balance.reserved != held[sku]) {
        problems.push_back(sku + ": " + std::to_string(balance.reserved) + " reserved, but open " +
                           "orders hold " + std::to_string(held[sku]));
      }
    }

    std::set<std::pair<std::int64_t, EventType>> events;
    auto read = depot.store.read(actor.tenant_id);
    for (std::int64_t after = 0;;) {
      std::vector<EventRecord> batch = read->events_after(after, 500);
      if (batch.empty()) break;
      for (const EventRecord& record : batch) {
        events.emplace(record.event.order_id, record.event.type);
      }
      after = batch.back().id;
    }
    for (const auto& [id, order] : stored) {
      std::vector<EventType> expected = {EventType::order_created};
      if (order.status == OrderStatus::awaiting_shipment) expected.push_back(EventType::order_paid);
      if (order.status == OrderStatus::cancelled) expected.push_back(EventType::order_cancelled);
      for (EventType type : expected) {
        if (!events.count({id, type})) {
          problems.push_back("order " + std::to_string(id) + " has no " +
                             std::string(to_string(type)) + " event");
        }
      }
    }
    return problems;
  }
};

TEST_F(PowerLossTest, EveryAcknowledgedChangeSurvivesAPowerCutAtAnyPoint) {
  Outcome whole = run({}, PowerLossVfs::Loss::everything_unsynced, false, 1);
  ASSERT_EQ(whole.problems, std::vector<std::string>{});
  ASSERT_EQ(whole.acknowledged, std::size_t{kClients * kOrdersPerClient});
  ASSERT_GT(whole.database_syncs, 3) << "the workload ran too few checkpoints to cut into";

  cut_at_many_points(24, whole.operations, false, 1000);
}

// A cut at the fsync that is to make a commit durable: the moment a commit path that answered
// before its fsync would lose what it answered.
TEST_F(PowerLossTest, EveryAcknowledgedChangeSurvivesAPowerCutAtAnFsync) {
  Outcome whole = run({}, PowerLossVfs::Loss::everything_unsynced, false, 4);
  ASSERT_EQ(whole.problems, std::vector<std::string>{});
  ASSERT_GT(whole.syncs, 10);

  cut_at_many_points(10, whole.syncs, true, 2000);
}

TEST_F(PowerLossTest, ADiskThatAcknowledgesBeforeSyncLosesAcknowledgedOrders) {
  Outcome whole = run({}, PowerLossVfs::Loss::everything_unsynced, false, 2);
  ASSERT_EQ(whole.problems, std::vector<std::string>{});
  Outcome lied = run({whole.operations / 2}, PowerLossVfs::Loss::everything_unsynced, true, 3);
  ASSERT_GT(lied.acknowledged, 0U);
  ASSERT_FALSE(lied.problems.empty());
  EXPECT_NE(lied.problems.front().find("is gone"), std::string::npos) << lied.problems.front();
}

}  // namespace
}  // namespace depot
