// The demo history recorded through the use cases into a real store (cli/demo_history.h): what
// the store holds afterwards is what the plan says — the orders at their planned times, the
// stock the plan expects, parcels with their scans, returns, refunds — and once the dispatcher
// has passed it, no customer is told of any of it while news after it still reaches them.
#include "cli/demo_history.h"

#include <gtest/gtest.h>

#include "app/access_service.h"
#include "app/channel_accounts.h"
#include "app/notification_dispatcher.h"
#include "app/notification_service.h"
#include "app/order_service.h"
#include "app/shipping_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace depot::cli {
namespace {

using std::chrono::days;
using std::chrono::hours;
using testing::wait;

// The history never reaches the tracking aggregator: it is recorded from the carriers' files.
class NoAggregator final : public CarrierTracker {
 public:
  void subscribe(const TrackingAccount&, const TrackedParcel&,
                 std::function<void(Status)> done) override {
    ADD_FAILURE() << "the history subscribed a parcel";
    done(error(ErrorCode::unavailable, "not in this test"));
  }
  void query(const TrackingAccount&, const TrackedParcel&,
             std::function<void(Result<TrackingReport>)> done) override {
    ADD_FAILURE() << "the history queried a parcel";
    done(error(ErrorCode::unavailable, "not in this test"));
  }
  Result<TrackingReport> read_push(const TrackingAccount&, std::string_view,
                                   std::string_view) const override {
    return error(ErrorCode::unauthenticated, "not in this test");
  }
};

// A window of `length` days ending at 15:00 local time on 20 November 2026 (Singles' Day in it).
DemoWindow window_of(int length) {
  Day last = Day{std::chrono::year{2026} / 11 / 20};
  return {last - days(length - 1), length, local_time(last, hours(15))};
}

template <class S>
std::size_t count_steps(const DemoPlan& plan) {
  return static_cast<std::size_t>(std::count_if(
      plan.steps.begin(), plan.steps.end(),
      [](const PlannedStep& planned) { return std::holds_alternative<S>(planned.step); }));
}

class DemoHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = access.create_key("demo", Role::owner);
    ASSERT_TRUE(key.ok());
    owner = *access.authenticate(key->key);
  }

  HistorySummary record(const DemoWindow& window, const DemoPlan& plan) {
    return record_demo_history({store, media, book, tracker, etas, site}, owner, window, plan);
  }

  std::int64_t available(const std::string& sku) {
    std::int64_t units = 0;
    for (const StockRow& row : store.read(owner.tenant_id)->stock_of(sku)) {
      units += row.balance.available();
    }
    return units;
  }

  std::map<OrderStatus, std::int64_t> statuses() {
    std::map<OrderStatus, std::int64_t> counts;
    for (const auto& [status, count] : store.read(owner.tenant_id)->count_orders()) {
      counts[status] = count;
    }
    return counts;
  }

  testing::TempDir dir;
  testing::FakeClock clock;
  sqlite::SqliteStore store{dir.file("depot.db")};
  files::MediaDirectory media{dir.file("media")};
  rules::LuaRuleEngine engine;
  RuleBook book{engine};
  NoAggregator tracker;
  EtaCache etas;
  SiteAddress site;
  AccessService access{store, clock};
  Actor owner;
};

TEST_F(DemoHistoryTest, TheStoreHoldsWhatThePlanSays) {
  DemoWindow window = window_of(40);
  DemoPlan plan = plan_demo_history(window);
  HistorySummary summary = record(window, plan);
  EXPECT_EQ(summary.days, 40);
  EXPECT_EQ(summary.orders, plan.orders.size());
  std::cout << "recorded " << summary.orders << " orders of " << summary.days << " days in "
            << summary.took.count() << " ms\n";

  std::map<OrderStatus, std::int64_t> counts = statuses();
  std::int64_t orders = 0;
  for (const auto& [status, count] : counts) orders += count;
  std::size_t exchanged = 0;
  for (const PlannedStep& planned : plan.steps) {
    if (const auto* received = std::get_if<ReceiveReturn>(&planned.step)) {
      for (const PlannedStep& earlier : plan.steps) {
        const auto* request = std::get_if<RequestReturn>(&earlier.step);
        if (request && request->order == received->order && request->kind == ReturnKind::exchange) {
          ++exchanged;
        }
      }
    }
  }
  EXPECT_GT(exchanged, 0u);
  EXPECT_EQ(orders, static_cast<std::int64_t>(plan.orders.size() + exchanged))
      << "each exchange received sends a replacement order";
  EXPECT_GT(counts[OrderStatus::delivered], orders / 2);
  EXPECT_GT(counts[OrderStatus::cancelled], 0);
  EXPECT_GT(counts[OrderStatus::shipped], 0) << "parcels on their way";
  EXPECT_GT(counts[OrderStatus::awaiting_shipment], 0) << "today's orders";
  EXPECT_EQ(counts[OrderStatus::on_hold], 0);

  for (const auto& [sku, units] : plan.closing_available) {
    EXPECT_EQ(available(sku), units) << sku;
  }

  std::unique_ptr<ReadTx> tx = store.read(owner.tenant_id);
  OrderQuery oldest;
  oldest.newest_first = false;
  oldest.limit = 1;
  std::vector<Order> first = tx->list_orders(oldest);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].created_at, plan.orders[0].created_at);
  EXPECT_EQ(first[0].external_no, plan.orders[0].external_no);

  OrderQuery delivered;
  delivered.status = OrderStatus::delivered;
  delivered.limit = 1;
  std::vector<Order> some = tx->list_orders(delivered);
  ASSERT_EQ(some.size(), 1u);
  std::vector<Parcel> parcels = tx->parcels_of(some[0].id);
  ASSERT_FALSE(parcels.empty());
  EXPECT_EQ(parcels[0].status, ParcelStatus::delivered);
  EXPECT_GE(tx->checkpoints_of(parcels[0].id).size(), 5u);

  ReturnQuery all_returns;
  all_returns.limit = 500;
  EXPECT_EQ(tx->list_returns(all_returns).size(), count_steps<RequestReturn>(plan));
  EXPECT_GT(count_steps<RequestReturn>(plan), 0u);

  // The day sweeps ran: unpaid orders timed out, late ones were reminded.
  OrderQuery pending;
  pending.status = OrderStatus::pending_payment;
  pending.limit = 100;
  for (const Order& order : tx->list_orders(pending)) {
    EXPECT_GT(order.created_at, window.end - std::chrono::minutes(30)) << order.order_no;
  }
  int overdue = 0;
  for (std::int64_t after = 0;;) {
    std::vector<EventRecord> page = tx->events_after(after, 500);
    if (page.empty()) break;
    for (const EventRecord& record : page) {
      if (record.event.type == EventType::shipment_overdue) ++overdue;
    }
    after = page.back().id;
  }
  EXPECT_GT(overdue, 0);

  std::set<std::string> alert_kinds;
  for (const Alert& alert : tx->open_alerts()) alert_kinds.insert(alert.kind);
  EXPECT_TRUE(alert_kinds.count("low_stock")) << "the low SKUs";
  EXPECT_FALSE(alert_kinds.count("order_held"));
}

// Every order of the merchant, oldest first, as the list shows it.
std::vector<Order> all_orders(Store& store, TenantId tenant) {
  std::vector<Order> orders;
  OrderQuery query;
  query.newest_first = false;
  query.limit = 500;
  for (;;) {
    std::vector<Order> page = store.read(tenant)->list_orders(query);
    if (page.empty()) return orders;
    query.after_id = page.back().id;
    orders.insert(orders.end(), page.begin(), page.end());
  }
}

TEST_F(DemoHistoryTest, RecordingTheSameWindowTwiceGivesTheSameOrders) {
  DemoWindow window = window_of(10);
  record(window, plan_demo_history(window));

  testing::TempDir other_dir;
  sqlite::SqliteStore other{other_dir.file("depot.db")};
  AccessService other_access{other, clock};
  auto key = other_access.create_key("demo", Role::owner);
  ASSERT_TRUE(key.ok());
  Actor other_owner = *other_access.authenticate(key->key);
  record_demo_history({other, media, book, tracker, etas, site}, other_owner, window,
                      plan_demo_history(window));

  std::vector<Order> first = all_orders(store, owner.tenant_id);
  std::vector<Order> second = all_orders(other, other_owner.tenant_id);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].id, second[i].id);
    EXPECT_EQ(first[i].status, second[i].status) << first[i].order_no;
    EXPECT_EQ(first[i].created_at, second[i].created_at);
    EXPECT_EQ(first[i].updated_at, second[i].updated_at);
    EXPECT_EQ(first[i].lines, second[i].lines);
    EXPECT_EQ(first[i].customer, second[i].customer);
  }
  EXPECT_EQ(store.read(owner.tenant_id)->latest_event_id(),
            other.read(other_owner.tenant_id)->latest_event_id());
}

TEST_F(DemoHistoryTest, NoCustomerHearsOfTheHistoryOnceTheDispatcherHasPassedIt) {
  DemoWindow window = window_of(8);
  DemoPlan plan = plan_demo_history(window);
  record(window, plan);
  EXPECT_GT(store.read(owner.tenant_id)->latest_event_id(), 0);

  ChannelAccounts accounts{store, clock};
  ChannelAccountInput sandbox;
  sandbox.sandbox = true;
  ASSERT_OK((wait<std::pair<ChannelAccountView, bool>>(
      [&](auto done) { accounts.put(owner, ChannelKind::sms, sandbox, done); })));
  NotificationComposer composer{[](const EventRecord& r) { return std::to_string(r.id); }};
  NotificationDispatcher dispatcher{store, clock, composer};
  ASSERT_OK(dispatcher.pass_history(owner.tenant_id));
  Result<int> planned = dispatcher.plan(owner.tenant_id);
  ASSERT_OK(planned);
  EXPECT_EQ(*planned, 0);
  NotificationService notifications{store, clock, composer};
  NotificationQuery any;
  auto none = notifications.list(owner, any);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());

  // News after the history is told as ever.
  clock.set(window.end + hours(1));
  Verifier verifier{store, book, nullptr};
  OrderService orders{store, clock, verifier};
  ShippingService shipping{store, clock, verifier};
  CreateOrderCommand command;
  command.draft.lines = {{"MUG-RED", 1, 3900}};
  command.draft.customer.name = "张伟";
  command.draft.customer.phone = "13800138000";
  command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
  auto created = wait<CreatedOrder>([&](auto done) { orders.create(owner, command, done); });
  ASSERT_OK(created);
  ASSERT_OK(wait<Order>([&](auto done) {
    orders.pay(owner, created->order.id, Payment{3900, "alipay", "", {}}, done);
  }));
  ShipCommand parcel{"SF", "SF1000000000001", std::nullopt, {}};
  ASSERT_OK(
      wait<Shipped>([&](auto done) { shipping.ship(owner, created->order.id, parcel, done); }));
  ASSERT_OK(dispatcher.plan(owner.tenant_id));
  auto told = notifications.list(owner, any);
  ASSERT_OK(told);
  ASSERT_FALSE(told->empty());
  for (const Notification& n : *told) EXPECT_EQ(n.order_id, created->order.id);
}

}  // namespace
}  // namespace depot::cli
