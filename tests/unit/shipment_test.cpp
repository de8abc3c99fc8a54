#include "domain/shipment.h"

#include <gtest/gtest.h>

#include "domain/ship_reminders.h"

namespace depot {
namespace {

Order order_of(std::vector<OrderLine> lines, OrderStatus status = OrderStatus::awaiting_shipment) {
  Order order;
  order.lines = std::move(lines);
  order.status = status;
  return order;
}

TEST(Shipment, AnEmptyParcelShipsEverythingLeft) {
  Order order = order_of({{"A", 3, 1}, {"B", 1, 1}, {"A", 1, 1}});
  auto parcel = plan_parcel(order, {{"A", 1}}, {});
  ASSERT_TRUE(parcel.ok());
  EXPECT_EQ(*parcel, (std::vector<ShipmentLine>{{"A", 3}, {"B", 1}}));
  EXPECT_TRUE(ships_everything(order, {{"A", 1}}, *parcel));
}

TEST(Shipment, MoreThanIsLeftIsRefusedNamingTheLine) {
  Order order = order_of({{"A", 3, 1}, {"B", 1, 1}});
  auto parcel = plan_parcel(order, {{"A", 2}}, {{"B", 1}, {"A", 1}, {"A", 1}, {"C", 1}});
  ASSERT_FALSE(parcel.ok());
  std::vector<std::string> fields;
  for (const FieldError& e : parcel.error().fields) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"lines[2].quantity", "lines[3].sku"}));
}

TEST(Shipment, PartialParcelsAddUp) {
  Order order = order_of({{"A", 2, 1}});
  auto first = plan_parcel(order, {}, {{"A", 1}});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(ships_everything(order, {}, *first));
  ShippedUnits after = {{"A", 1}};
  EXPECT_TRUE(ships_everything(order, after, {{"A", 1}}));
  EXPECT_FALSE(plan_parcel(order, {{"A", 2}}, {}).ok());
}

TEST(Shipment, OnlyPaidUnheldOrdersShip) {
  EXPECT_TRUE(shipping_blockers(order_of({}, OrderStatus::awaiting_shipment)).empty());
  EXPECT_TRUE(shipping_blockers(order_of({}, OrderStatus::partially_shipped)).empty());
  for (OrderStatus status : {OrderStatus::pending_payment, OrderStatus::on_hold,
                             OrderStatus::shipped, OrderStatus::cancelled}) {
    auto blockers = shipping_blockers(order_of({}, status));
    ASSERT_EQ(blockers.size(), 1u);
    EXPECT_EQ(blockers[0].field, "status");
  }
}

TEST(ShipReminders, LevelsFollowThePromise) {
  ShipPromise promise;
  promise.sla_hours = 24;
  promise.sla_hours_by_platform = {{"jd", 6}};
  promise.due_soon_hours = 4;
  promise.escalate_hours = 12;
  Instant paid{std::chrono::hours(1000)};
  EXPECT_EQ(ship_due_at(promise, "", paid), paid + std::chrono::hours(24));
  EXPECT_EQ(ship_due_at(promise, "jd", paid), paid + std::chrono::hours(6));
  Instant due = paid + std::chrono::hours(24);
  using std::chrono::hours;
  EXPECT_EQ(reminder_level(promise, due, due - hours(5)), ReminderLevel::none);
  EXPECT_EQ(reminder_level(promise, due, due - hours(4)), ReminderLevel::due_soon);
  EXPECT_EQ(reminder_level(promise, due, due), ReminderLevel::overdue);
  EXPECT_EQ(reminder_level(promise, due, due + hours(12)), ReminderLevel::escalated);
}

TEST(ShipReminders, EachLevelIsRaisedOnceAndSkippedLevelsAreNotReplayed) {
  ShipPromise promise;
  Order order = order_of({{"A", 1, 1}});
  order.ship_due_at = Instant{std::chrono::hours(100)};
  Instant late = *order.ship_due_at + std::chrono::hours(1);
  EXPECT_EQ(reminder_to_raise(promise, order, late), ReminderLevel::overdue);
  order.reminder = ReminderLevel::overdue;
  EXPECT_EQ(reminder_to_raise(promise, order, late), std::nullopt);
  order.status = OrderStatus::shipped;
  EXPECT_EQ(reminder_to_raise(promise, order, late + std::chrono::hours(100)), std::nullopt);
}

}  // namespace
}  // namespace depot
