// Shipping reminders (SHP-4) against a real store with a fake clock: an order passes due soon,
// overdue and escalated, each raised once, and a shipped order is reminded no more.
#include <gtest/gtest.h>

#include "app/access_service.h"
#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/order_service.h"
#include "app/shipping_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {
namespace {

using testing::wait;

class ShippingRemindersTest : public ::testing::TestWithParam<testing::StoreKind> {
 protected:
  void SetUp() override {
    auto key = access.create_key("reminders", Role::owner);
    ASSERT_TRUE(key.ok());
    actor = *access.authenticate(key->key);
    SettingsPatch promise;
    promise.ship_sla_hours = 24;
    promise.ship_due_soon_hours = 4;
    promise.ship_escalate_hours = 12;
    promise.ship_sla_hours_by_platform = std::map<std::string, std::int64_t>{{"jd", 6}};
    ASSERT_OK(
        wait<MerchantSettings>([&](auto done) { merchant.update_settings(actor, promise, done); }));
    Product mug;
    mug.sku = "MUG";
    mug.name = "Mug";
    mug.price = 100;
    ASSERT_OK(wait<Product>([&](auto done) { inventory.create_product(actor, mug, done); }));
    ReceiveCommand receipt;
    receipt.sku = "MUG";
    receipt.quantity = 100;
    ASSERT_OK(wait<StockLevel>([&](auto done) { inventory.receive(actor, receipt, done); }));
  }

  Order paid_order(const std::string& platform = "") {
    CreateOrderCommand command;
    command.draft.lines = {{"MUG", 1, 100}};
    command.draft.customer = {"张三", "13800138000", "", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    if (!platform.empty()) {
      command.draft.platform = platform;
      command.draft.external_no = "X" + std::to_string(++external_);
    }
    auto created = wait<CreatedOrder>([&](auto done) { orders.create(actor, command, done); });
    EXPECT_TRUE(created.ok());
    auto paid = wait<Order>([&](auto done) {
      orders.pay(actor, created->order.id, Payment{created->order.total, "alipay", "", {}}, done);
    });
    EXPECT_TRUE(paid.ok());
    EXPECT_EQ(paid->status, OrderStatus::awaiting_shipment);
    return *paid;
  }

  // The reminder events raised for `order_id`, in order.
  std::vector<EventType> reminders_of(std::int64_t order_id) {
    std::vector<EventType> raised;
    auto feed = merchant.events(actor, 0, 200);
    EXPECT_TRUE(feed.ok());
    for (const EventRecord& r : feed->items) {
      bool reminder = r.event.type == EventType::shipment_due_soon ||
                      r.event.type == EventType::shipment_overdue ||
                      r.event.type == EventType::shipment_escalated;
      if (reminder && r.event.order_id == order_id) raised.push_back(r.event.type);
    }
    return raised;
  }

  int sweep() {
    auto raised = shipping.raise_reminders(actor.tenant_id);
    EXPECT_TRUE(raised.ok());
    return raised.ok() ? *raised : -1;
  }

  ReminderLevel listed_state(std::int64_t order_id) {
    auto page = shipping.reminders(actor, "", 200);
    EXPECT_TRUE(page.ok());
    for (const Reminder& r : page->items) {
      if (r.order.id == order_id) return r.level;
    }
    return ReminderLevel::none;
  }

  testing::TempDir dir;
  testing::FakeClock clock;
  testing::StoreLocation location{GetParam(), dir};
  std::unique_ptr<cli::OpenStore> opened = location.open();
  Store& store = opened->store();
  files::MediaDirectory media{dir.file("media")};
  rules::LuaRuleEngine engine;
  RuleBook book{engine};
  Verifier verifier{store, book, nullptr};
  AccessService access{store, clock};
  MerchantService merchant{store, clock};
  InventoryService inventory{store, clock, media};
  OrderService orders{store, clock, verifier};
  ShippingService shipping{store, clock, verifier};
  Actor actor;
  int external_ = 0;
};

TEST_P(ShippingRemindersTest, AnOrderPassesEachLevelOnce) {
  Order order = paid_order();
  ASSERT_TRUE(order.ship_due_at.has_value());
  EXPECT_EQ(*order.ship_due_at, clock.now() + std::chrono::hours(24));

  EXPECT_EQ(sweep(), 0);
  EXPECT_TRUE(reminders_of(order.id).empty());

  clock.advance(std::chrono::hours(21));  // 3 hours before the promise: due soon
  EXPECT_EQ(sweep(), 1);
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(listed_state(order.id), ReminderLevel::due_soon);

  clock.advance(std::chrono::hours(4));  // an hour late: overdue
  EXPECT_EQ(sweep(), 1);
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(listed_state(order.id), ReminderLevel::overdue);

  clock.advance(std::chrono::hours(12));  // 13 hours late: escalated
  EXPECT_EQ(sweep(), 1);
  clock.advance(std::chrono::hours(48));
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(listed_state(order.id), ReminderLevel::escalated);

  EXPECT_EQ(reminders_of(order.id),
            (std::vector<EventType>{EventType::shipment_due_soon, EventType::shipment_overdue,
                                    EventType::shipment_escalated}));
}

TEST_P(ShippingRemindersTest, APlatformsOwnPromiseAndShippingEndReminders) {
  Order jd = paid_order("jd");
  Order plain = paid_order();
  EXPECT_EQ(*jd.ship_due_at, clock.now() + std::chrono::hours(6));

  clock.advance(std::chrono::hours(7));
  EXPECT_EQ(sweep(), 1);
  EXPECT_EQ(reminders_of(jd.id), (std::vector<EventType>{EventType::shipment_overdue}));
  EXPECT_TRUE(reminders_of(plain.id).empty());

  auto shipped = wait<Shipped>([&](auto done) {
    shipping.ship(actor, jd.id, ShipCommand{"SF", "SF1234567890123", std::nullopt, {}}, done);
  });
  ASSERT_OK(shipped);
  clock.advance(std::chrono::hours(24));
  EXPECT_EQ(sweep(), 1);  // only the plain order, now overdue
  EXPECT_EQ(reminders_of(jd.id).size(), 1u);
  EXPECT_EQ(listed_state(jd.id), ReminderLevel::none);
  EXPECT_EQ(listed_state(plain.id), ReminderLevel::overdue);
}

INSTANTIATE_TEST_SUITE_P(Stores, ShippingRemindersTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
