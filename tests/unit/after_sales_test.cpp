#include "domain/after_sales.h"

#include <gtest/gtest.h>

namespace depot {
namespace {

Instant at(int seconds) { return Instant{std::chrono::seconds{1795320000 + seconds}}; }

std::vector<std::string> fields_of(const Error& e) {
  std::vector<std::string> fields;
  for (const FieldError& f : e.fields) fields.push_back(f.field);
  return fields;
}

Order shipped_order() {
  Order order;
  order.id = 7;
  order.order_no = "D2026112200000007";
  order.status = OrderStatus::shipped;
  order.currency = "CNY";
  order.lines = {{"A", 3, 1000}, {"B", 1, 500}};
  order.total = 3500;
  order.paid_amount = 3500;
  order.customer = {"张三", "13800138000", "", "", "", {}};
  order.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
  return order;
}

Shipment parcel(std::vector<ShipmentLine> lines, std::string carrier = "SF") {
  Shipment s;
  s.carrier = std::move(carrier);
  s.lines = std::move(lines);
  return s;
}

ReturnRequest earlier(ReturnStatus status, std::vector<ReturnLine> lines) {
  ReturnRequest r;
  r.status = status;
  r.lines = std::move(lines);
  return r;
}

ReturnRequest approved() {
  ReturnRequest r;
  r.id = 3;
  r.status = ReturnStatus::approved;
  r.lines = {{"A", 2}};
  return r;
}

TEST(Returns, KindsAndStatusesRoundTrip) {
  for (ReturnKind kind : {ReturnKind::return_goods, ReturnKind::exchange}) {
    EXPECT_EQ(parse_return_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(to_string(ReturnKind::return_goods), "return");
  for (ReturnStatus status : {ReturnStatus::requested, ReturnStatus::approved,
                              ReturnStatus::rejected, ReturnStatus::received}) {
    EXPECT_EQ(parse_return_status(to_string(status)), status);
  }
  EXPECT_FALSE(parse_return_kind("swap"));
  EXPECT_FALSE(parse_return_status("closed"));
  EXPECT_EQ(parse_refund_status("completed"), RefundStatus::completed);
}

TEST(Returns, RequestsAreValidatedFieldByField) {
  ReturnRequest r;
  r.kind = ReturnKind::return_goods;
  r.reason = " ";
  r.lines = {{"A", 0}, {"bad sku", 1}};
  r.replacement_lines = {{"C", 1}};
  r.photos = {"ftp://x/y.png"};
  EXPECT_EQ(fields_of(invalid_fields(validate_return_request(r))),
            (std::vector<std::string>{"reason", "lines[0].quantity", "lines[1].sku",
                                      "replacement_lines", "photos[0]"}));
  r.kind = ReturnKind::exchange;
  r.reason = "尺码不合适";
  r.lines = {{"A", 1}};
  r.replacement_lines = {{"C", 1}};
  r.photos = {"https://img.example.com/1.jpg"};
  EXPECT_TRUE(validate_return_request(r).empty());
  r.lines.clear();
  EXPECT_EQ(fields_of(invalid_fields(validate_return_request(r))),
            (std::vector<std::string>{"lines"}));
}

TEST(Returns, NothingShippedMeansNothingComesBack) {
  Order order = shipped_order();
  order.status = OrderStatus::awaiting_shipment;
  auto planned = plan_return(order, {}, {}, {{"A", 1}});
  ASSERT_FALSE(planned.ok());
  EXPECT_EQ(planned.error().code, ErrorCode::conflict);
}

TEST(Returns, AtMostWhatShippedLessWhatEarlierRequestsClaim) {
  Order order = shipped_order();
  std::vector<Shipment> parcels = {parcel({{"A", 2}}), parcel({{"A", 1}, {"B", 1}}, "YTO")};
  std::vector<ReturnRequest> before = {earlier(ReturnStatus::received, {{"A", 1}}),
                                       earlier(ReturnStatus::rejected, {{"A", 3}}),
                                       earlier(ReturnStatus::requested, {{"B", 1}})};
  ShippedUnits left = returnable_units(parcels, before);
  EXPECT_EQ(left["A"], 2);
  EXPECT_EQ(left["B"], 0);

  auto planned = plan_return(order, parcels, before, {{"A", 1}, {"A", 1}});
  ASSERT_TRUE(planned.ok());
  EXPECT_EQ(*planned, (std::vector<ReturnLine>{{"A", 2}}));

  auto refused = plan_return(order, parcels, before, {{"A", 2}, {"A", 1}, {"B", 1}, {"Z", 1}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  EXPECT_EQ(fields_of(refused.error()),
            (std::vector<std::string>{"lines[1].quantity", "lines[2].quantity", "lines[3].sku"}));
}

TEST(Returns, TheStateMachineAllowsOnlyItsSteps) {
  ReturnRequest r;
  r.lines = {{"A", 1}};
  Status early = receive_return(r, true, "main/default", "", at(1));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::conflict);
  EXPECT_EQ(r.status, ReturnStatus::requested);

  ASSERT_TRUE(approve_return(r, "ok", at(2)).ok());
  EXPECT_EQ(r.status, ReturnStatus::approved);
  EXPECT_EQ(r.updated_at, at(2));
  EXPECT_FALSE(reject_return(r, "too late", at(3)).ok());
  EXPECT_FALSE(approve_return(r, "", at(3)).ok());

  ASSERT_TRUE(receive_return(r, false, "ignored", "box dented", at(4)).ok());
  EXPECT_EQ(r.status, ReturnStatus::received);
  EXPECT_EQ(r.restocked, false);
  EXPECT_EQ(r.location, "");
  EXPECT_EQ(r.inspection_note, "box dented");
  EXPECT_EQ(r.received_at, at(4));
  EXPECT_FALSE(receive_return(r, true, "main/default", "", at(5)).ok());
}

TEST(Returns, ARejectionNeedsAReason) {
  ReturnRequest r;
  Status bare = reject_return(r, "  ", at(1));
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(fields_of(bare.error()), (std::vector<std::string>{"reason"}));
  EXPECT_EQ(r.status, ReturnStatus::requested);
  ASSERT_TRUE(reject_return(r, "已超过七天无理由退货期限", at(2)).ok());
  EXPECT_EQ(r.status, ReturnStatus::rejected);
  EXPECT_EQ(r.decision_note, "已超过七天无理由退货期限");
}

TEST(Returns, TheParcelBackIsACarrierAndAWellFormedNumber) {
  ReturnRequest r = approved();
  Status unknown = record_return_parcel(r, "PIGEON", "123", at(1));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(fields_of(unknown.error()), (std::vector<std::string>{"carrier"}));
  Status malformed = record_return_parcel(r, "SF", "12", at(1));
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(fields_of(malformed.error()), (std::vector<std::string>{"tracking_no"}));
  EXPECT_TRUE(r.tracking_no.empty());

  ASSERT_TRUE(record_return_parcel(r, "shunfeng", " sf1234567890123 ", at(2)).ok());
  EXPECT_EQ(r.carrier, "SF");
  EXPECT_EQ(r.tracking_no, "SF1234567890123");

  r.status = ReturnStatus::received;
  EXPECT_EQ(record_return_parcel(r, "SF", "SF1234567890124", at(3)).error().code,
            ErrorCode::conflict);
}

TEST(Returns, ARestockPutsUnitsOnHandAndReservesNothing) {
  auto moved = restock_returned({5, 2}, 3);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->kind, MovementKind::return_restock);
  EXPECT_EQ(apply({5, 2}, *moved), (StockBalance{8, 2}));
  EXPECT_FALSE(restock_returned({5, 2}, 0).ok());
  EXPECT_FALSE(restock_returned({kMaxStockQuantity, 0}, 1).ok());
}

TEST(Returns, AnExchangeSendsTheReplacementFreeToTheSameCustomer) {
  Order original = shipped_order();
  ReturnRequest exchange = approved();
  exchange.kind = ReturnKind::exchange;
  OrderDraft same = replacement_draft(original, exchange);
  EXPECT_EQ(same.lines, (std::vector<OrderLine>{{"A", 2, 0}}));
  EXPECT_EQ(same.customer, original.customer);
  EXPECT_EQ(same.shipping_address, original.shipping_address);
  EXPECT_EQ(same.currency, "CNY");
  EXPECT_NE(same.notes.find(original.order_no), std::string::npos);

  exchange.replacement_lines = {{"A-XL", 2}};
  EXPECT_EQ(replacement_draft(original, exchange).lines, (std::vector<OrderLine>{{"A-XL", 2, 0}}));
}

TEST(Refunds, NeverMoreInSumThanWasPaid) {
  Order order = shipped_order();
  std::vector<Refund> earlier(1);
  earlier[0].amount = 1000;
  earlier[0].status = RefundStatus::pending;
  EXPECT_EQ(refundable_amount(order, earlier), 2500);
  EXPECT_TRUE(check_refund(order, earlier, 2500, "退货退款").ok());

  Status over = check_refund(order, earlier, 2501, "退货退款");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::invalid);
  EXPECT_EQ(fields_of(over.error()), (std::vector<std::string>{"amount"}));

  Status bad = check_refund(order, {}, 0, "");
  EXPECT_EQ(fields_of(bad.error()), (std::vector<std::string>{"amount", "reason"}));

  order.paid_amount = 0;
  EXPECT_FALSE(check_refund(order, {}, 1, "x").ok());
}

TEST(Refunds, CompletionAddsToTheOrdersRefundedAmountOnce) {
  Order order = shipped_order();
  order.status = OrderStatus::cancelled;
  order.refund_due = 3500;
  Refund refund;
  refund.amount = 1500;
  ASSERT_TRUE(complete_refund(refund, order, "ALI-77", at(9)).ok());
  EXPECT_EQ(refund.status, RefundStatus::completed);
  EXPECT_EQ(refund.reference, "ALI-77");
  EXPECT_EQ(refund.completed_at, at(9));
  EXPECT_EQ(order.refunded_amount, 1500);
  EXPECT_EQ(order.refund_due, 2000);

  Status again = complete_refund(refund, order, "", at(10));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_EQ(order.refunded_amount, 1500);
}

TEST(Feedback, RatingAndCommentAreBounded) {
  Feedback f;
  f.rating = 0;
  f.comment = std::string(1001, 'x');
  EXPECT_EQ(fields_of(invalid_fields(validate_feedback(f))),
            (std::vector<std::string>{"rating", "comment"}));
  f.rating = 5;
  std::string thousand_chinese;
  for (int i = 0; i < 1000; ++i) thousand_chinese += "好";
  f.comment = thousand_chinese;  // 1000 characters, 3000 bytes
  EXPECT_TRUE(validate_feedback(f).empty());
  f.rating = 6;
  EXPECT_FALSE(validate_feedback(f).empty());
}

TEST(Feedback, OnlyOnceSomethingHasShipped) {
  Order order = shipped_order();
  order.status = OrderStatus::awaiting_shipment;
  Status early = check_feedback_allowed(order, {});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::conflict);
  order.status = OrderStatus::partially_shipped;
  EXPECT_TRUE(check_feedback_allowed(order, {parcel({{"A", 1}})}).ok());
}

TEST(Feedback, SummariesAverageAndShare) {
  FeedbackSummary s = summarise({"SF", 3, 13, 2});
  EXPECT_EQ(s.key, "SF");
  EXPECT_EQ(s.count, 3);
  EXPECT_DOUBLE_EQ(s.average_rating, 4.33);
  EXPECT_DOUBLE_EQ(s.intact_share, 0.667);
  FeedbackSummary none = summarise({"YTO", 0, 0, 0});
  EXPECT_EQ(none.average_rating, 0);
}

TEST(Complaints, TheSubjectIsTheFirstLineCut) {
  EXPECT_EQ(complaint_subject("  快递员态度差\n第二行  "), "快递员态度差");
  std::string long_line;
  for (int i = 0; i < 70; ++i) long_line += "慢";
  std::string subject = complaint_subject(long_line);
  EXPECT_EQ(subject.size(), 60 * 3 + std::string("…").size());
  EXPECT_FALSE(check_complaint(" ").ok());
  EXPECT_FALSE(check_complaint(std::string(kMaxComplaintBytes + 1, 'x')).ok());
  EXPECT_TRUE(check_complaint("包裹破损").ok());
}

}  // namespace
}  // namespace depot
