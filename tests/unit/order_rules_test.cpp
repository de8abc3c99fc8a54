#include "domain/order_rules.h"

#include <gtest/gtest.h>

#include "domain/order_state_machine.h"

namespace depot {
namespace {

Instant at(int seconds) { return Instant{std::chrono::seconds{seconds}}; }

OrderDraft valid_draft() {
  OrderDraft draft;
  draft.lines = {{"MUG-1", 2, 1990}};
  draft.customer = {"李四", "13800138000", "lisi@example.com", "", "", {"sms"}};
  draft.shipping_address = {"上海市", "上海市", "浦东新区", "世纪大道 1 号", "200120", {}, {}, {}};
  return draft;
}

bool names(const std::vector<FieldError>& errors, const std::string& field) {
  for (const FieldError& e : errors) {
    if (e.field == field) return true;
  }
  return false;
}

TEST(OrderRules, AcceptsAValidDraft) { EXPECT_TRUE(validate_draft(valid_draft()).empty()); }

TEST(OrderRules, NamesEveryBadField) {
  OrderDraft draft = valid_draft();
  draft.lines = {{"MUG-1", 0, 100}, {"bad sku!", -3, -1}};
  draft.customer.email = "not-an-email";
  draft.shipping_address.detail = std::string(201, 'x');
  draft.customer.preferred_channels = {"fax"};
  auto errors = validate_draft(draft);
  for (const char* field :
       {"lines[0].quantity", "lines[1].sku", "lines[1].quantity", "lines[1].unit_price",
        "customer.email", "shipping_address.detail", "customer.preferred_channels[0]"}) {
    EXPECT_TRUE(names(errors, field)) << field;
  }
}

// What a platform sold is recorded even when its content is wrong: verification holds it later.
TEST(OrderRules, ContentProblemsAreNotStructuralErrors) {
  OrderDraft draft = valid_draft();
  draft.customer.phone = "12345";
  draft.shipping_address.district = " ";
  draft.shipping_address.postcode = "12";
  EXPECT_TRUE(validate_draft(draft).empty());
}

TEST(OrderRules, EmptyOrderAndPlatformPairing) {
  OrderDraft draft = valid_draft();
  draft.lines.clear();
  draft.platform = "taobao";
  auto errors = validate_draft(draft);
  EXPECT_TRUE(names(errors, "lines"));
  EXPECT_TRUE(names(errors, "external_no"));
}

TEST(OrderRules, AMailboxIsAnAddressAloneOrAfterAName) {
  EXPECT_TRUE(is_valid_mailbox("shop@example.com"));
  EXPECT_TRUE(is_valid_mailbox("深蓝小店 <shop@example.com>"));
  EXPECT_TRUE(is_valid_mailbox("\"Shop, Inc.\" <shop@example.com>"));
  EXPECT_TRUE(is_valid_mailbox("<shop@example.com>"));
  EXPECT_FALSE(is_valid_mailbox("深蓝小店"));
  EXPECT_FALSE(is_valid_mailbox("Shop <shop>"));
  EXPECT_FALSE(is_valid_mailbox("Shop <shop@example.com"));
  EXPECT_FALSE(is_valid_mailbox("Shop <shop@example.com> x"));
  EXPECT_FALSE(is_valid_mailbox("Shop <a@example.com>>"));
  EXPECT_FALSE(is_valid_mailbox("Shop <shop@example.com>\r\nBcc: x@example.com"));
}

TEST(OrderRules, MergeAndTotal) {
  std::vector<OrderLine> lines = {{"A", 1, 100}, {"B", 2, 50}, {"A", 3, 100}};
  EXPECT_EQ(order_total(lines), 500);
  auto merged = merge_lines(lines);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].sku, "A");
  EXPECT_EQ(merged[0].quantity, 4);
}

TEST(OrderRules, FingerprintTellsRequestsApart) {
  OrderDraft a = valid_draft();
  OrderDraft b = valid_draft();
  EXPECT_EQ(draft_fingerprint(a), draft_fingerprint(b));
  b.lines[0].quantity = 3;
  EXPECT_NE(draft_fingerprint(a), draft_fingerprint(b));
  OrderDraft c = valid_draft();
  c.customer.name = "李";
  c.customer.phone = "四13800138000";
  EXPECT_NE(draft_fingerprint(a), draft_fingerprint(c));
}

TEST(OrderRules, EditWindow) {
  Order order;
  order.created_at = at(0);
  EXPECT_TRUE(check_editable(order, at(600), Seconds{600}).ok());
  Status late = check_editable(order, at(601), Seconds{600});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::conflict);
  order.status = OrderStatus::shipped;
  EXPECT_FALSE(check_editable(order, at(1), Seconds{600}).ok());
}

TEST(OrderRules, PaymentsAddUpToAwaitingShipment) {
  Order order;
  order.total = 1000;
  ASSERT_TRUE(apply_payment(order, 400, "op", at(1)).ok());
  EXPECT_EQ(order.status, OrderStatus::pending_payment);
  Status over = apply_payment(order, 700, "op", at(2));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().fields.front().field, "amount");
  EXPECT_EQ(order.paid_amount, 400);
  ASSERT_TRUE(apply_payment(order, 600, "op", at(3)).ok());
  EXPECT_EQ(order.status, OrderStatus::awaiting_shipment);
  EXPECT_FALSE(apply_payment(order, 1, "op", at(4)).ok());
}

TEST(OrderRules, CancelRecordsRefundAndRefusesShipped) {
  Order order;
  order.total = 1000;
  ASSERT_TRUE(apply_payment(order, 1000, "op", at(1)).ok());
  ASSERT_TRUE(cancel_order(order, "op", "customer asked", at(2)).ok());
  EXPECT_EQ(order.refund_due, 1000);
  EXPECT_FALSE(cancel_order(order, "op", "again", at(3)).ok());

  Order shipped;
  shipped.status = OrderStatus::shipped;
  EXPECT_EQ(cancel_order(shipped, "op", "", at(1)).error().code, ErrorCode::conflict);
}

TEST(OrderRules, ChangeLinesOfAPaidOrder) {
  Order order;
  order.lines = {{"A", 2, 500}};
  order.total = 1000;
  ASSERT_TRUE(apply_payment(order, 1000, "op", at(1)).ok());
  EXPECT_FALSE(change_lines(order, {{"A", 3, 500}}, "op", at(2)).ok());
  EXPECT_EQ(order.total, 1000);
  ASSERT_TRUE(change_lines(order, {{"A", 1, 500}}, "op", at(2)).ok());
  EXPECT_EQ(order.total, 500);
  EXPECT_EQ(order.refund_due, 500);
}

TEST(OrderRules, OverdueOnlyWhenUnpaid) {
  Order order;
  order.created_at = at(0);
  EXPECT_FALSE(is_payment_overdue(order, at(59), Seconds{60}));
  EXPECT_TRUE(is_payment_overdue(order, at(60), Seconds{60}));
  order.paid_amount = 1;
  EXPECT_FALSE(is_payment_overdue(order, at(600), Seconds{60}));
}

TEST(OrderRules, OrderNumberCarriesTheMerchantsDateAndId) {
  Instant created = Instant{std::chrono::seconds{1795320000}};  // 2026-11-22 04:00 UTC
  EXPECT_EQ(make_order_no(42, created, 0), "D2026112200000042");
  EXPECT_EQ(make_order_no(42, created, 480), "D2026112200000042");  // noon in Beijing
  // 16:30 UTC is 00:30 the next day in Beijing: the date a merchant there files the order under.
  Instant late = created + std::chrono::minutes{12 * 60 + 30};
  EXPECT_EQ(make_order_no(42, late, 480), "D2026112300000042");
  EXPECT_EQ(make_order_no(42, late, 0), "D2026112200000042");
  EXPECT_EQ(make_order_no(42, created, -16 * 60), "D2026112100000042");
}

}  // namespace
}  // namespace depot

namespace depot {
namespace {

TEST(OrderRules, OpenOrderIsPendingAndTotalled) {
  OrderDraft draft;
  draft.lines = {{"A", 2, 150}, {"B", 1, 700}};
  Order order =
      open_order(7, draft, "CNY", "key:1", Instant{std::chrono::seconds{1795320000}}, 480);
  EXPECT_EQ(order.status, OrderStatus::pending_payment);
  EXPECT_EQ(order.total, 1000);
  EXPECT_EQ(order.currency, "CNY");
  EXPECT_EQ(order.order_no, "D2026112200000007");
  ASSERT_EQ(order.history.size(), 1u);
  EXPECT_FALSE(order.history[0].from.has_value());
  draft.currency = "USD";
  EXPECT_EQ(open_order(8, draft, "CNY", "key:1", Instant{}, 480).currency, "USD");
}

}  // namespace
}  // namespace depot

namespace depot {
namespace {

TEST(OrderRules, TotalsThatWouldOverflowAreRefused) {
  std::vector<OrderLine> lines(kMaxOrderLines, OrderLine{"A", kMaxLineQuantity, kMaxUnitPrice});
  auto errors = validate_lines(lines);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "lines");
}

}  // namespace
}  // namespace depot
