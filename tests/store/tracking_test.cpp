// Parcel tracking (TRK-1 … TRK-4) against a real store with a fake clock: a parcel's news settles
// its status and its order's, repeated news changes nothing, quiet parcels stall once, and the
// aggregator's answers to subscriptions are kept with their retries.
#include <gtest/gtest.h>

#include <deque>
#include <thread>
#include <utility>

#include "app/access_service.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "app/parcel_progress.h"
#include "app/shipping_service.h"
#include "app/tracking_jobs.h"
#include "app/tracking_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {
namespace {

using testing::wait;

// Answers subscriptions as the test scripts them, at once (or, with `hang`, never until the
// test answers those `held`); reads no pushes.
class ScriptedTracker final : public CarrierTracker {
 public:
  std::deque<Status> answers;
  std::vector<TrackedParcel> subscribed;
  bool hang = false;
  std::vector<std::function<void(Status)>> held;

  void subscribe(const TrackingAccount&, const TrackedParcel& parcel,
                 std::function<void(Status)> done) override {
    subscribed.push_back(parcel);
    if (hang) {
      held.push_back(std::move(done));
      return;
    }
    Status answer = answers.empty() ? Status{} : answers.front();
    if (!answers.empty()) answers.pop_front();
    done(answer);
  }
  void query(const TrackingAccount&, const TrackedParcel&,
             std::function<void(Result<TrackingReport>)> done) override {
    done(error(ErrorCode::not_found, "no news"));
  }
  Result<TrackingReport> read_push(const TrackingAccount&, std::string_view,
                                   std::string_view) const override {
    return error(ErrorCode::unauthenticated, "not in this test");
  }
};

class TrackingTest : public ::testing::TestWithParam<testing::StoreKind> {
 protected:
  void SetUp() override {
    auto key = access.create_key("tracking", Role::owner);
    ASSERT_TRUE(key.ok());
    actor = *access.authenticate(key->key);
    Product product;
    product.sku = "MUG";
    product.name = "Mug";
    product.price = 100;
    ASSERT_OK(wait<Product>([&](auto done) { inventory.create_product(actor, product, done); }));
    ReceiveCommand receipt;
    receipt.sku = "MUG";
    receipt.quantity = 50;
    ASSERT_OK(wait<StockLevel>([&](auto done) { inventory.receive(actor, receipt, done); }));
  }

  // A paid order of `quantity` mugs, shipped in `parcels` parcels of one mug each.
  Order shipped_order(int quantity, int parcels) {
    CreateOrderCommand command;
    command.draft.lines = {{"MUG", quantity, 100}};
    command.draft.customer = {"张三", "13800138000", "", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    auto created = wait<CreatedOrder>([&](auto done) { orders.create(actor, command, done); });
    EXPECT_TRUE(created.ok());
    auto paid = wait<Order>([&](auto done) {
      orders.pay(actor, created->order.id, Payment{created->order.total, "alipay", "", {}}, done);
    });
    EXPECT_TRUE(paid.ok());
    for (int i = 0; i < parcels; ++i) {
      ShipCommand parcel{
          "SF", "SF" + std::to_string(1000000000000 + ++numbers_), std::nullopt, {{"MUG", 1}}};
      auto shipped =
          wait<Shipped>([&](auto done) { shipping.ship(actor, paid->id, parcel, done); });
      EXPECT_TRUE(shipped.ok()) << shipped.error().message;
    }
    return *orders.get(actor, paid->id);
  }

  Result<Parcel> scan(std::int64_t parcel_id, const char* status, Instant at) {
    return wait<Parcel>([&](auto done) {
      tracking.add_checkpoints(actor, parcel_id, {{status, std::string("scan ") + status, at, ""}},
                               done);
    });
  }

  std::vector<EventType> events_of(std::int64_t order_id) {
    std::vector<EventType> types;
    for (const EventRecord& r : store.read(actor.tenant_id)->events_after(0, 1000)) {
      if (r.event.order_id == order_id) types.push_back(r.event.type);
    }
    return types;
  }

  static long count(const std::vector<EventType>& types, EventType type) {
    return std::count(types.begin(), types.end(), type);
  }

  // Outcomes are recorded by writes queued from the tracker's answer; one more write waits for
  // them.
  void settle() {
    ASSERT_OK(wait<bool>([&](auto done) {
      run_write<bool>(
          store, actor.tenant_id, [](WriteTx&) -> Result<bool> { return true; }, done);
    }));
  }

  void save_account() {
    ASSERT_OK(wait<CarrierAccountView>([&](auto done) {
      tracking.save_carrier_account(actor, {"http://127.0.0.1:9", "key", "customer", "salt"}, done);
    }));
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
  InventoryService inventory{store, clock, media};
  OrderService orders{store, clock, verifier};
  ShippingService shipping{store, clock, verifier};
  ScriptedTracker tracker;
  EtaCache etas;
  SiteAddress site;
  TrackingService tracking{store, clock, tracker, etas, site};
  TrackingJobs jobs{store, clock, tracker, tracking};
  Actor actor;
  int numbers_ = 0;
};

TEST_P(TrackingTest, TheOrderIsDeliveredWhenItsLastParcelIs) {
  Order order = shipped_order(2, 2);
  std::vector<Parcel> parcels = store.read(actor.tenant_id)->parcels_of(order.id);
  ASSERT_EQ(parcels.size(), 2u);
  Instant now = clock.now();
  ASSERT_OK(scan(parcels[0].id, "out_for_delivery", now - std::chrono::hours(3)));
  ASSERT_OK(scan(parcels[0].id, "delivered", now - std::chrono::hours(2)));
  EXPECT_EQ(orders.get(actor, order.id)->status, OrderStatus::shipped);

  ASSERT_OK(scan(parcels[1].id, "delivered", now - std::chrono::hours(1)));
  EXPECT_EQ(orders.get(actor, order.id)->status, OrderStatus::delivered);
  std::vector<EventType> types = events_of(order.id);
  EXPECT_EQ(count(types, EventType::tracking_out_for_delivery), 1);
  EXPECT_EQ(count(types, EventType::tracking_delivered), 2);
  EXPECT_EQ(count(types, EventType::order_delivered), 1);

  auto view = tracking.order_tracking(actor, order.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->parcels[0].parcel.status, ParcelStatus::delivered);
  EXPECT_EQ(view->parcels[0].checkpoints.size(), 2u);
  EXPECT_FALSE(view->parcels[0].eta.has_value()) << "a delivered parcel expects nothing more";
}

TEST_P(TrackingTest, TheSameScanTwiceChangesNothing) {
  Order order = shipped_order(1, 1);
  Parcel parcel = store.read(actor.tenant_id)->parcels_of(order.id).front();
  Instant at = clock.now();
  ASSERT_OK(scan(parcel.id, "out_for_delivery", at));
  std::size_t before = store.read(actor.tenant_id)->events_after(0, 1000).size();
  ASSERT_OK(scan(parcel.id, "out_for_delivery", at));
  EXPECT_EQ(store.read(actor.tenant_id)->events_after(0, 1000).size(), before);
  EXPECT_EQ(store.read(actor.tenant_id)->checkpoints_of(parcel.id).size(), 1u);
}

TEST_P(TrackingTest, AQuietParcelStallsOnceAndNewsEndsTheStall) {
  Order order = shipped_order(1, 1);
  Parcel parcel = store.read(actor.tenant_id)->parcels_of(order.id).front();

  clock.advance(std::chrono::hours(47));
  EXPECT_EQ(*jobs.flag_stalled(actor.tenant_id), 0) << "48 hours is the default stall time";
  clock.advance(std::chrono::hours(2));
  EXPECT_EQ(*jobs.flag_stalled(actor.tenant_id), 1);
  EXPECT_EQ(*jobs.flag_stalled(actor.tenant_id), 0) << "a stalled parcel is flagged once";
  clock.advance(std::chrono::hours(24));
  EXPECT_EQ(*jobs.flag_stalled(actor.tenant_id), 0);

  auto read = store.read(actor.tenant_id);
  EXPECT_EQ(count(events_of(order.id), EventType::tracking_stalled), 1);
  EXPECT_TRUE(read->find_parcel(parcel.id)->stalled_at.has_value());
  auto alert =
      read->find_open_alert(std::string(kStalledParcelAlert), parcel.tracking_no, order.id);
  ASSERT_TRUE(alert.has_value());

  ASSERT_OK(scan(parcel.id, "in_transit", clock.now()));
  auto after = store.read(actor.tenant_id);
  EXPECT_FALSE(after->find_parcel(parcel.id)->stalled_at.has_value());
  EXPECT_FALSE(
      after->find_open_alert(std::string(kStalledParcelAlert), parcel.tracking_no, order.id));
  // Stalling again flags the parcel for the merchant but does not tell the customer twice.
  clock.advance(std::chrono::hours(49));
  EXPECT_EQ(*jobs.flag_stalled(actor.tenant_id), 1);
  EXPECT_EQ(count(events_of(order.id), EventType::tracking_stalled), 1);
}

TEST_P(TrackingTest, StallTimesFollowTheCarrierOverride) {
  ASSERT_OK(wait<bool>([&](auto done) {
    run_write<bool>(
        store, actor.tenant_id,
        [](WriteTx& tx) -> Result<bool> {
          MerchantSettings s = tx.settings();
          s.tracking.stall_hours_by_carrier["SF"] = 12;
          tx.save_settings(s);
          return true;
        },
        done);
  }));
  shipped_order(1, 1);
  clock.advance(std::chrono::hours(13));
  EXPECT_EQ(*jobs.flag_stalled(actor.tenant_id), 1);
}

TEST_P(TrackingTest, SubscriptionsWaitForAnAccountAndRetryWhatMayPass) {
  Order order = shipped_order(1, 1);
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 0) << "no account yet";
  save_account();
  tracker.answers = {error(ErrorCode::unavailable, "503")};
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 1);
  ASSERT_EQ(tracker.subscribed.size(), 1u);
  EXPECT_EQ(tracker.subscribed[0].company, "shunfeng");
  EXPECT_EQ(tracker.subscribed[0].phone, "13800138000");
  EXPECT_NE(tracker.subscribed[0].callback_url.find("/api/v1/hooks/kuaidi100/"), std::string::npos);
  // The outcome is recorded on the writer; a read after the next write sees it.
  settle();
  Parcel parcel = store.read(actor.tenant_id)->parcels_of(order.id).front();
  EXPECT_EQ(parcel.subscription, Subscription::pending);
  EXPECT_EQ(parcel.subscribe_error, "503");

  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 0) << "the retry waits its backoff";
  clock.advance(subscribe_backoff(1));
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 1);
  settle();
  EXPECT_EQ(store.read(actor.tenant_id)->find_parcel(parcel.id)->subscription,
            Subscription::subscribed);
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 0);
}

TEST_P(TrackingTest, ARefusedSubscriptionIsNotRetried) {
  Order order = shipped_order(1, 1);
  save_account();
  tracker.answers = {error(ErrorCode::invalid, "700: bad number")};
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 1);
  settle();
  Parcel parcel = store.read(actor.tenant_id)->parcels_of(order.id).front();
  EXPECT_EQ(parcel.subscription, Subscription::failed);
  clock.advance(std::chrono::hours(24));
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 0);
}

TEST_P(TrackingTest, AMerchantsHangingAggregatorHoldsOnlyItsShareOfRequests) {
  for (int i = 0; i < TrackingJobs::kInFlightPerMerchant + 5; ++i) shipped_order(1, 1);
  save_account();
  tracker.hang = true;  // the aggregator accepts and never answers
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), TrackingJobs::kInFlightPerMerchant);
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 0) << "no more while those hang";
  EXPECT_EQ(jobs.in_flight(actor.tenant_id), TrackingJobs::kInFlightPerMerchant);

  // The hung requests end (as at the timeout, a failure that may pass): the rest are sent.
  tracker.hang = false;
  for (auto& done : std::exchange(tracker.held, {})) {
    done(error(ErrorCode::unavailable, "timed out"));
  }
  settle();
  // Each ends when its outcome's write calls back, which may come just after the settling one.
  for (int i = 0; i < 5000 && jobs.in_flight(actor.tenant_id) > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(jobs.in_flight(actor.tenant_id), 0);
  EXPECT_EQ(*jobs.subscribe_due(actor.tenant_id), 5);
  settle();
  for (int i = 0; i < 5000 && jobs.in_flight() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TEST(SubscribeBackoff, GrowsFourfoldUpToSixHours) {
  EXPECT_EQ(subscribe_backoff(1), std::chrono::minutes(1));
  EXPECT_EQ(subscribe_backoff(2), std::chrono::minutes(4));
  EXPECT_EQ(subscribe_backoff(3), std::chrono::minutes(16));
  EXPECT_EQ(subscribe_backoff(8), std::chrono::hours(6));
}

INSTANTIATE_TEST_SUITE_P(Stores, TrackingTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
