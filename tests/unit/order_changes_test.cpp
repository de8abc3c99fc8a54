#include "domain/order_changes.h"

#include <gtest/gtest.h>

namespace depot {
namespace {

Order an_order() {
  Order o;
  o.id = 7;
  o.order_no = "D0007";
  o.status = OrderStatus::pending_payment;
  o.currency = "CNY";
  o.lines = {{"MUG-RED", 2, 1250}, {"TEA", 1, 800}};
  o.total = 3300;
  o.customer = {"张三", "13800138001", "zhang@example.com", "", "", {}, "zh-CN"};
  o.shipping_address = {"广东省", "深圳市", "南山区", "科技园南路88号", "", "", "", ""};
  o.notes = "ring twice";
  return o;
}

TEST(OrderChanges, NothingChangedIsNoChange) {
  Order o = an_order();
  Order later = o;
  later.version = 5;
  later.updated_at = Instant{std::chrono::milliseconds{1000}};
  later.history.push_back({});
  EXPECT_TRUE(order_changes(o, later).empty());
}

TEST(OrderChanges, AnEditListsEachChangedFieldBeforeAndAfter) {
  Order before = an_order();
  Order after = before;
  after.lines = {{"MUG-RED", 3, 1250}};
  after.total = 3750;
  after.customer.phone = "13900139002";
  after.shipping_address.detail = "深南大道1号";
  after.notes = "";
  EXPECT_EQ(order_changes(before, after),
            (std::vector<FieldChange>{
                {"lines", "MUG-RED×2@12.50, TEA×1@8.00", "MUG-RED×3@12.50"},
                {"total", "33.00", "37.50"},
                {"customer.phone", "13800138001", "13900139002"},
                {"shipping_address.detail", "科技园南路88号", "深南大道1号"},
                {"notes", "ring twice", ""},
            }));
}

TEST(OrderChanges, StatusPaymentsAndHoldsByName) {
  Order before = an_order();
  Order after = before;
  after.status = OrderStatus::on_hold;
  after.paid_amount = 3300;
  after.hold_reasons = {{"address.district_not_in_city", "", "", 0}, {"rule.matched", "", "", 3}};
  after.overrides = {"phone.invalid"};
  EXPECT_EQ(order_changes(before, after),
            (std::vector<FieldChange>{
                {"status", "pending_payment", "on_hold"},
                {"paid_amount", "0.00", "33.00"},
                {"hold_reasons", "", "address.district_not_in_city, rule.matched"},
                {"overrides", "", "phone.invalid"},
            }));
}

TEST(OrderChanges, AReminderRaisedByItsLevel) {
  Order before = an_order();
  Order after = before;
  after.reminder = ReminderLevel::overdue;
  EXPECT_EQ(order_changes(before, after),
            (std::vector<FieldChange>{{"reminder", "none", "overdue"}}));
}

TEST(OrderChanges, CustomerAndAddressPerField) {
  Order before = an_order();
  Order after = before;
  after.customer.name = "李四";
  after.customer.email = "";
  after.customer.preferred_channels = {"email", "sms"};
  after.shipping_address.city = "广州市";
  after.shipping_address.postcode = "510000";
  EXPECT_EQ(order_changes(before, after), (std::vector<FieldChange>{
                                              {"customer.name", "张三", "李四"},
                                              {"customer.email", "zhang@example.com", ""},
                                              {"customer.preferred_channels", "", "email, sms"},
                                              {"shipping_address.city", "深圳市", "广州市"},
                                              {"shipping_address.postcode", "", "510000"},
                                          }));
}

TEST(OrderChanges, CreationRecordsOnlyNumberStatusAndTotal) {
  EXPECT_EQ(
      order_created_changes(an_order()),
      (std::vector<FieldChange>{
          {"order_no", "", "D0007"}, {"status", "", "pending_payment"}, {"total", "", "33.00"}}));
}

TEST(LinesText, EmptyForNoLines) { EXPECT_EQ(lines_text({}), ""); }

}  // namespace
}  // namespace depot
