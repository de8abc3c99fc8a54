// After-sales (AFS-1 … AFS-3) against a real store with a fake clock: what a return stores and how
// its parcel is found again, the replacement an exchange sends, refunds on the order, and
// feedback from the customer's own door with its tallies.
#include <gtest/gtest.h>

#include "app/access_service.h"
#include "app/feedback_service.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "app/refund_service.h"
#include "app/return_service.h"
#include "app/shipping_service.h"
#include "app/ticket_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {
namespace {

using testing::wait;

class AfterSalesTest : public ::testing::TestWithParam<testing::StoreKind> {
 protected:
  void SetUp() override {
    auto key = access.create_key("after-sales", Role::owner);
    ASSERT_TRUE(key.ok());
    actor = *access.authenticate(key->key);
    for (const char* sku : {"MUG", "MUG-XL"}) {
      Product product;
      product.sku = sku;
      product.name = sku;
      product.price = 100;
      ASSERT_OK(wait<Product>([&](auto done) { inventory.create_product(actor, product, done); }));
      ReceiveCommand receipt;
      receipt.sku = sku;
      receipt.quantity = 10;
      ASSERT_OK(wait<StockLevel>([&](auto done) { inventory.receive(actor, receipt, done); }));
    }
  }

  Order shipped_order(std::int64_t quantity, std::vector<ShipCommand> parcels = {}) {
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
    if (parcels.empty()) parcels.push_back({"SF", next_sf(), std::nullopt, {}});
    for (ShipCommand& parcel : parcels) {
      auto shipped = wait<Shipped>(
          [&](auto done) { shipping.ship(actor, paid->id, std::move(parcel), done); });
      EXPECT_TRUE(shipped.ok()) << shipped.error().message;
    }
    return *orders.get(actor, paid->id);
  }

  std::string next_sf() { return "SF" + std::to_string(1000000000000 + ++numbers_); }

  ReturnRequest approved(std::int64_t order_id, NewReturn input) {
    auto created =
        wait<CreatedReturn>([&](auto done) { returns.request(actor, order_id, input, done); });
    EXPECT_TRUE(created.ok()) << created.error().message;
    auto done =
        wait<ReturnRequest>([&](auto cb) { returns.approve(actor, created->request.id, "", cb); });
    EXPECT_TRUE(done.ok());
    return *done;
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
  TicketService tickets{store, clock};
  ReturnService returns{store, clock};
  RefundService refunds{store, clock};
  FeedbackService feedback{store, clock, tickets};
  Actor actor;
  int numbers_ = 0;
};

TEST_P(AfterSalesTest, AReturnKeepsWhatItWasGivenAndIsFoundByItsParcel) {
  Order order = shipped_order(2);
  NewReturn input;
  input.kind = ReturnKind::exchange;
  input.lines = {{"MUG", 1}};
  input.replacement_lines = {{"MUG-XL", 1}};
  input.reason = "杯子有裂纹";
  input.photos = {"https://img.example.com/a.jpg", "https://img.example.com/b.jpg"};
  ReturnRequest request = approved(order.id, input);
  std::string number = next_sf();
  ASSERT_OK(wait<ReturnRequest>(
      [&](auto done) { returns.record_parcel(actor, request.id, "sf", number, done); }));

  auto read = store.read(actor.tenant_id);
  std::optional<ReturnRequest> found = read->find_return_by_parcel("SF", number);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, request.id);
  EXPECT_EQ(found->kind, ReturnKind::exchange);
  EXPECT_EQ(found->status, ReturnStatus::approved);
  EXPECT_EQ(found->lines, (std::vector<ReturnLine>{{"MUG", 1}}));
  EXPECT_EQ(found->replacement_lines, (std::vector<ReturnLine>{{"MUG-XL", 1}}));
  EXPECT_EQ(found->photos, input.photos);
  EXPECT_FALSE(found->restocked.has_value());
  EXPECT_FALSE(read->find_return_by_parcel("SF", next_sf()).has_value());
  EXPECT_EQ(read->returns_of(order.id).size(), 1u);
}

TEST_P(AfterSalesTest, AReceivedExchangeSendsAReplacementUnderTheUsualPromise) {
  Order order = shipped_order(1);
  clock.advance(std::chrono::hours(30));
  NewReturn input;
  input.kind = ReturnKind::exchange;
  input.lines = {{"MUG", 1}};
  input.reason = "颜色不对";
  ReturnRequest request = approved(order.id, input);
  auto received = wait<ReturnRequest>([&](auto done) {
    returns.receive(actor, request.id, {true, "", "完好"}, done);
  });
  ASSERT_OK(received);
  ASSERT_NE(received->replacement_order_id, 0);

  Order replacement = *orders.get(actor, received->replacement_order_id);
  EXPECT_EQ(replacement.status, OrderStatus::awaiting_shipment);
  EXPECT_EQ(replacement.total, 0);
  ASSERT_TRUE(replacement.ship_due_at.has_value());
  EXPECT_EQ(*replacement.ship_due_at, clock.now() + std::chrono::hours(48));
  ASSERT_EQ(replacement.history.size(), 2u);
  EXPECT_EQ(replacement.history[1].to, OrderStatus::awaiting_shipment);
  EXPECT_EQ(store.read(actor.tenant_id)->reservations_of(replacement.id).size(), 1u);

  // A second receipt of the same return changes nothing more.
  auto again = wait<ReturnRequest>([&](auto done) {
    returns.receive(actor, request.id, {true, "", ""}, done);
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
}

TEST_P(AfterSalesTest, CompletedRefundsShowOnTheStoredOrder) {
  Order order = shipped_order(3);
  auto created = wait<CreatedRefund>([&](auto done) {
    refunds.create(actor, order.id, {120, "破损补偿", 0, ""}, done);
  });
  ASSERT_OK(created);
  auto completed =
      wait<Refund>([&](auto done) { refunds.complete(actor, created->refund.id, "WX-9", done); });
  ASSERT_OK(completed);
  Order after = *orders.get(actor, order.id);
  EXPECT_EQ(after.refunded_amount, 120);
  EXPECT_EQ(after.version, order.version + 1);
  EXPECT_EQ(after.history.back().reason, "refund of 120 completed");
  auto too_much = wait<CreatedRefund>([&](auto done) {
    refunds.create(actor, order.id, {181, "x", 0, ""}, done);
  });
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().fields.front().field, "amount");
}

TEST_P(AfterSalesTest, TheCustomersFeedbackCountsOncePerCarrier) {
  Order order = shipped_order(2, {{"SF", next_sf(), std::nullopt, {{"MUG", 1}}},
                                  {"SF", next_sf(), std::nullopt, {{"MUG", 1}}}});
  auto recorded = wait<Feedback>([&](auto done) {
    feedback.record_from_customer(actor.tenant_id, order.id, {false, 2, "外箱压坏"}, done);
  });
  ASSERT_OK(recorded);
  EXPECT_EQ(recorded->actor, "customer");
  auto second = wait<Feedback>([&](auto done) {
    feedback.record_from_customer(actor.tenant_id, order.id, {true, 5, ""}, done);
  });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::conflict);

  auto by_carrier = feedback.summary(actor, FeedbackGrouping::carrier, 50);
  ASSERT_OK(by_carrier);
  ASSERT_EQ(by_carrier->size(), 1u);
  EXPECT_EQ((*by_carrier)[0].key, "SF");
  EXPECT_EQ((*by_carrier)[0].count, 1);
  EXPECT_DOUBLE_EQ((*by_carrier)[0].average_rating, 2);
  EXPECT_DOUBLE_EQ((*by_carrier)[0].intact_share, 0);
  auto by_sku = feedback.summary(actor, FeedbackGrouping::sku, 50);
  ASSERT_OK(by_sku);
  ASSERT_EQ(by_sku->size(), 1u);
  EXPECT_EQ((*by_sku)[0].key, "MUG");
}

INSTANTIATE_TEST_SUITE_P(Stores, AfterSalesTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
