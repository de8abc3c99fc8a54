// The report rollups' definitions (domain/rollups.h) and the dashboard's range and figures
// (domain/dashboard.h).
#include "domain/rollups.h"

#include <gtest/gtest.h>

#include "domain/dashboard.h"

namespace depot {
namespace {

constexpr int kBeijing = 480;

Instant utc(int year, unsigned month, unsigned day, int hour, int minute = 0) {
  using namespace std::chrono;
  sys_days date{
      year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}};
  return Instant{date} + hours{hour} + minutes{minute};
}

const RollupRow* find(const RollupRows& rows, Rollup rollup, const std::string& day,
                      const std::string& key = {}, const std::string& phone = {}) {
  for (const RollupRow& r : rows) {
    if (r.rollup == rollup && r.day == day && r.key == key && r.phone == phone) return &r;
  }
  return nullptr;
}

std::size_t count(const RollupRows& rows, Rollup rollup) {
  return static_cast<std::size_t>(std::count_if(
      rows.begin(), rows.end(), [&](const RollupRow& r) { return r.rollup == rollup; }));
}

std::int64_t status_value(const RollupRow& row, OrderStatus status) {
  auto at = std::find(std::begin(kAllOrderStatuses), std::end(kAllOrderStatuses), status);
  return row
      .values[kOrderDayStatusColumn + static_cast<std::size_t>(at - std::begin(kAllOrderStatuses))];
}

Order order_at(Instant created, std::vector<OrderLine> lines, std::string phone = "13800138000") {
  Order order;
  order.id = 7;
  order.created_at = created;
  order.lines = std::move(lines);
  for (const OrderLine& line : order.lines) order.total += line.quantity * line.unit_price;
  order.customer.phone = std::move(phone);
  return order;
}

TEST(LocalDay, CountsDaysInTheMerchantsTimeZone) {
  // 23:30 in Beijing is still the 1st; half past midnight is the 2nd, though UTC says the 1st.
  EXPECT_EQ(local_day(utc(2026, 3, 1, 15, 30), kBeijing), "2026-03-01");
  EXPECT_EQ(local_day(utc(2026, 3, 1, 16, 30), kBeijing), "2026-03-02");
  EXPECT_EQ(local_day(utc(2026, 3, 1, 16, 30), 0), "2026-03-01");
  // West of UTC the local day starts later.
  EXPECT_EQ(local_day(utc(2026, 3, 1, 3, 0), -300), "2026-02-28");
  EXPECT_EQ(local_day(utc(2024, 12, 31, 16, 0), kBeijing), "2025-01-01");
}

TEST(OrderRollups, ANewOrderCountsOnItsCreationDayOncePerSku) {
  Order order = order_at(utc(2026, 3, 1, 15, 30), {{"A", 2, 300}, {"B", 1, 500}, {"A", 1, 300}});
  RollupRows rows = order_rollups(facts_of(order), kBeijing);

  const RollupRow* day = find(rows, Rollup::order_days, "2026-03-01");
  ASSERT_NE(day, nullptr);
  EXPECT_EQ(day->values[0], 1);     // orders
  EXPECT_EQ(day->values[1], 1400);  // gmv
  EXPECT_EQ(day->values[2], 0);     // refunded
  EXPECT_EQ(status_value(*day, OrderStatus::pending_payment), 1);
  EXPECT_EQ(status_value(*day, OrderStatus::cancelled), 0);

  const RollupRow* a = find(rows, Rollup::sku_days, "2026-03-01", "A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->values[0], 3);    // units
  EXPECT_EQ(a->values[1], 900);  // revenue
  EXPECT_EQ(a->values[2], 1);    // one order, though two lines name A
  EXPECT_EQ(count(rows, Rollup::sku_days), 2u);

  const RollupRow* bought = find(rows, Rollup::customer_sku_days, "2026-03-01", "A", "13800138000");
  ASSERT_NE(bought, nullptr);
  EXPECT_EQ(bought->values[0], 3);
  EXPECT_EQ(count(rows, Rollup::customer_sku_days), 2u);
  EXPECT_EQ(count(rows, Rollup::ship_days), 0u);
}

TEST(OrderRollups, AnOrderWithoutAPhoneHasNoCustomerRows) {
  Order order = order_at(utc(2026, 3, 1, 2), {{"A", 1, 100}}, "");
  RollupRows rows = order_rollups(facts_of(order), kBeijing);
  EXPECT_EQ(count(rows, Rollup::customer_sku_days), 0u);
  EXPECT_EQ(count(rows, Rollup::sku_days), 1u);
}

TEST(OrderRollups, ACancelTakesBackEverythingButTheStatusCount) {
  Order order = order_at(utc(2026, 3, 1, 2), {{"A", 2, 300}, {"B", 1, 500}});
  OrderFacts before = facts_of(order);
  order.status = OrderStatus::cancelled;
  RollupRows change =
      rollup_change(order_rollups(before, kBeijing), order_rollups(facts_of(order), kBeijing));

  const RollupRow* day = find(change, Rollup::order_days, "2026-03-01");
  ASSERT_NE(day, nullptr);
  EXPECT_EQ(day->values[0], -1);
  EXPECT_EQ(day->values[1], -1100);
  EXPECT_EQ(status_value(*day, OrderStatus::pending_payment), -1);
  EXPECT_EQ(status_value(*day, OrderStatus::cancelled), 1);
  const RollupRow* a = find(change, Rollup::sku_days, "2026-03-01", "A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->values[0], -2);
  EXPECT_EQ(a->values[1], -600);
  EXPECT_EQ(a->values[2], -1);
  const RollupRow* bought =
      find(change, Rollup::customer_sku_days, "2026-03-01", "B", "13800138000");
  ASSERT_NE(bought, nullptr);
  EXPECT_EQ(bought->values[0], -1);
}

TEST(OrderRollups, ALineEditMovesUnitsAndLeavesUnchangedSkusAlone) {
  Order order = order_at(utc(2026, 3, 1, 2), {{"A", 2, 300}, {"B", 1, 500}});
  std::vector<OrderLine> old_lines = order.lines;
  OrderFacts before = facts_of(order);
  before.lines = old_lines;
  order.lines = {{"A", 2, 300}, {"C", 4, 50}};
  order.total = 800;
  RollupRows change =
      rollup_change(order_rollups(before, kBeijing), order_rollups(facts_of(order), kBeijing));

  EXPECT_EQ(find(change, Rollup::sku_days, "2026-03-01", "A"), nullptr);
  const RollupRow* b = find(change, Rollup::sku_days, "2026-03-01", "B");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->values, (RollupValues{-1, -500, -1}));
  const RollupRow* c = find(change, Rollup::sku_days, "2026-03-01", "C");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->values, (RollupValues{4, 200, 1}));
  const RollupRow* day = find(change, Rollup::order_days, "2026-03-01");
  ASSERT_NE(day, nullptr);
  EXPECT_EQ(day->values[0], 0);
  EXPECT_EQ(day->values[1], 800 - 1100);
}

TEST(OrderRollups, APhoneChangeMovesTheCustomersUnitsOnly) {
  Order order = order_at(utc(2026, 3, 1, 2), {{"A", 2, 300}});
  std::string old_phone = order.customer.phone;
  OrderFacts before = facts_of(order);
  before.phone = old_phone;
  order.customer.phone = "13900139000";
  RollupRows change =
      rollup_change(order_rollups(before, kBeijing), order_rollups(facts_of(order), kBeijing));
  ASSERT_EQ(change.size(), 2u);
  const RollupRow* gone = find(change, Rollup::customer_sku_days, "2026-03-01", "A", old_phone);
  const RollupRow* moved =
      find(change, Rollup::customer_sku_days, "2026-03-01", "A", "13900139000");
  ASSERT_NE(gone, nullptr);
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(gone->values[0], -2);
  EXPECT_EQ(moved->values[0], 2);
}

TEST(OrderRollups, AChangeThatMovesNothingWritesNothing) {
  Order order = order_at(utc(2026, 3, 1, 2), {{"A", 2, 300}});
  RollupRows rows = order_rollups(facts_of(order), kBeijing);
  EXPECT_TRUE(rollup_change(rows, rows).empty());
}

TEST(OrderRollups, ShippingCountsOnTheDayTheLastUnitLeft) {
  Order order = order_at(utc(2026, 3, 1, 2), {{"A", 1, 100}});
  order.status = OrderStatus::shipped;
  OrderFacts late = facts_of(order);
  late.shipping = OrderShipping{utc(2026, 3, 1, 3), utc(2026, 3, 2, 3), utc(2026, 3, 2, 16, 30)};
  RollupRows rows = order_rollups(late, kBeijing);
  const RollupRow* shipped = find(rows, Rollup::ship_days, "2026-03-03");
  ASSERT_NE(shipped, nullptr);
  EXPECT_EQ(shipped->values, (RollupValues{1, 1, 0, 37 * 3600 + 30 * 60}));

  OrderFacts on_time = late;
  on_time.shipping->shipped_at = utc(2026, 3, 2, 3);  // exactly at the promise
  rows = order_rollups(on_time, kBeijing);
  shipped = find(rows, Rollup::ship_days, "2026-03-02");
  ASSERT_NE(shipped, nullptr);
  EXPECT_EQ(shipped->values, (RollupValues{1, 1, 1, 24 * 3600}));

  OrderFacts unpromised = late;
  unpromised.shipping->due_at.reset();
  rows = order_rollups(unpromised, kBeijing);
  shipped = find(rows, Rollup::ship_days, "2026-03-03");
  ASSERT_NE(shipped, nullptr);
  EXPECT_EQ(shipped->values[1], 0);
  EXPECT_EQ(shipped->values[2], 0);
}

TEST(OrderRollups, FullyShippedStatuses) {
  EXPECT_FALSE(is_fully_shipped(OrderStatus::partially_shipped));
  EXPECT_FALSE(is_fully_shipped(OrderStatus::awaiting_shipment));
  EXPECT_TRUE(is_fully_shipped(OrderStatus::shipped));
  EXPECT_TRUE(is_fully_shipped(OrderStatus::delivered));
  EXPECT_TRUE(is_fully_shipped(OrderStatus::completed));
}

TEST(ParcelRollups, ADeliveredParcelCountsForItsCarrierOnTheDeliveryDay) {
  ParcelFacts parcel{"SF", true, utc(2026, 3, 1, 2), utc(2026, 3, 3, 17)};
  RollupRows rows = parcel_rollups(parcel, kBeijing);
  const RollupRow* delivered = find(rows, Rollup::carrier_days, "2026-03-04", "SF");
  ASSERT_NE(delivered, nullptr);
  EXPECT_EQ(delivered->values[0], 1);
  EXPECT_EQ(delivered->values[1], (2 * 24 + 15) * 3600);

  parcel.delivered_at = utc(2026, 3, 1, 1);  // a scan dated before the parcel left
  rows = parcel_rollups(parcel, kBeijing);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].values[1], 0);

  parcel.sent_by_merchant = false;
  EXPECT_TRUE(parcel_rollups(parcel, kBeijing).empty());
  EXPECT_TRUE(parcel_rollups({"SF", true, utc(2026, 3, 1, 2), std::nullopt}, kBeijing).empty());
}

TEST(NotificationRollups, OnlyFinalOutcomesCount) {
  EXPECT_EQ(delivery_outcome(DeliveryStatus::sent, false), DeliveryOutcome::succeeded);
  EXPECT_EQ(delivery_outcome(DeliveryStatus::delivered, false), DeliveryOutcome::succeeded);
  EXPECT_EQ(delivery_outcome(DeliveryStatus::dead, false), DeliveryOutcome::failed);
  EXPECT_EQ(delivery_outcome(DeliveryStatus::failed, false), DeliveryOutcome::failed);
  EXPECT_EQ(delivery_outcome(DeliveryStatus::failed, true), DeliveryOutcome::pending);
  EXPECT_EQ(delivery_outcome(DeliveryStatus::sending, true), DeliveryOutcome::pending);
  EXPECT_EQ(delivery_outcome(DeliveryStatus::queued, true), DeliveryOutcome::pending);

  Instant planned = utc(2026, 3, 1, 16, 5);
  EXPECT_TRUE(
      notification_rollups(ChannelKind::sms, planned, DeliveryOutcome::pending, kBeijing).empty());
  // A delivery report saying a sent message never arrived moves it from succeeded to failed.
  RollupRows change = rollup_change(
      notification_rollups(ChannelKind::sms, planned, DeliveryOutcome::succeeded, kBeijing),
      notification_rollups(ChannelKind::sms, planned, DeliveryOutcome::failed, kBeijing));
  ASSERT_EQ(change.size(), 1u);
  EXPECT_EQ(change[0].day, "2026-03-02");
  EXPECT_EQ(change[0].key, "sms");
  EXPECT_EQ(change[0].values[0], -1);
  EXPECT_EQ(change[0].values[1], 1);
}

TEST(AfterSalesRollups, EachFactCountsInItsColumn) {
  Instant at = utc(2026, 3, 1, 2);
  EXPECT_EQ(after_sales_rollups(AfterSalesFact::return_request, at, kBeijing)[0].values,
            (RollupValues{1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(after_sales_rollups(AfterSalesFact::exchange_request, at, kBeijing)[0].values,
            (RollupValues{0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(after_sales_rollups(AfterSalesFact::complaint, at, kBeijing)[0].values,
            (RollupValues{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(feedback_rollups(at, 2, false, kBeijing)[0].values, (RollupValues{0, 0, 0, 1, 2, 1}));
  EXPECT_EQ(feedback_rollups(at, 5, true, kBeijing)[0].values, (RollupValues{0, 0, 0, 1, 5, 0}));
}

TEST(DashboardRange, DaysAreRealDatesAsYyyyMmDd) {
  EXPECT_EQ(format_day(*parse_day("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(parse_day("2026-02-29").has_value());
  EXPECT_FALSE(parse_day("2026-13-01").has_value());
  EXPECT_FALSE(parse_day("2026-1-01").has_value());
  EXPECT_FALSE(parse_day("2026/01/01").has_value());
  EXPECT_FALSE(parse_day("").has_value());
  EXPECT_FALSE(parse_day("+026-01-01").has_value());
}

TEST(DashboardRange, DefaultsToThirtyDaysEndingToday) {
  Day today = *parse_day("2026-03-10");
  auto range = dashboard_range("", "", today);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(format_day(range->from), "2026-02-09");
  EXPECT_EQ(format_day(range->to), "2026-03-10");
  EXPECT_EQ(range->days(), 30);
  range = dashboard_range("", "2026-01-30", today);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(format_day(range->from), "2026-01-01");
  range = dashboard_range("2026-03-01", "", today);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->days(), 10);
}

TEST(DashboardRange, RefusesNamingTheField) {
  Day today = *parse_day("2026-03-10");
  auto field_of = [&](std::string_view from, std::string_view to) {
    auto range = dashboard_range(from, to, today);
    EXPECT_FALSE(range.ok());
    return range.ok() ? std::string() : range.error().fields.at(0).field;
  };
  EXPECT_EQ(field_of("2026-02-30", "2026-03-01"), "from");
  EXPECT_EQ(field_of("2026-03-01", "tomorrow"), "to");
  EXPECT_EQ(field_of("2026-03-02", "2026-03-01"), "from");
  EXPECT_EQ(field_of("2025-01-01", "2026-01-02"), "to");  // 367 days: one too many
  EXPECT_TRUE(dashboard_range("2025-01-01", "2026-01-01", today).ok());
  EXPECT_TRUE(dashboard_range("2024-01-01", "2024-12-31", today).ok());  // a leap year
}

TEST(Dashboard, EveryDayOfTheRangeIsShownAndSummed) {
  DayRange range{*parse_day("2026-03-01"), *parse_day("2026-03-04")};
  OrderDay second;
  second.day = "2026-03-02";
  second.orders = 2;
  second.gmv = 500;
  second.by_status[0] = 3;
  OrderDay fourth;
  fourth.day = "2026-03-04";
  fourth.orders = 1;
  fourth.gmv = 100;
  fourth.refunded = 40;
  OrderDay totals;
  std::vector<OrderDay> days = every_day(range, {second, fourth}, totals);
  ASSERT_EQ(days.size(), 4u);
  EXPECT_EQ(days[0].day, "2026-03-01");
  EXPECT_EQ(days[0].orders, 0);
  EXPECT_EQ(days[1].gmv, 500);
  EXPECT_EQ(days[2].day, "2026-03-03");
  EXPECT_EQ(days[3].refunded, 40);
  EXPECT_EQ(totals.orders, 3);
  EXPECT_EQ(totals.gmv, 600);
  EXPECT_EQ(totals.refunded, 40);
  EXPECT_EQ(totals.by_status[0], 3);
  EXPECT_EQ(totals.with_status(OrderStatus::pending_payment), 3);
}

TEST(Dashboard, RatesAndAveragesAreRoundedAndAbsentWithoutADenominator) {
  EXPECT_EQ(share(2, 3), 0.6667);
  EXPECT_FALSE(share(0, 0).has_value());
  EXPECT_EQ(average(7, 2), 3.5);
  EXPECT_EQ(average_hours(3 * 3600 + 1800, 2), 1.75);
  EXPECT_FALSE(average_hours(100, 0).has_value());
  Dashboard board;
  board.shipping = {10, 8, 6, 36000};
  board.after_sales.returns = 1;
  board.after_sales.exchanges = 1;
  board.after_sales.complaints = 3;
  EXPECT_EQ(board.on_time_ship_rate(), 0.75);
  EXPECT_EQ(board.average_hours_to_ship(), 1.0);
  EXPECT_EQ(board.return_rate(), 0.2);
  EXPECT_EQ(board.complaint_rate(), 0.3);
  EXPECT_FALSE(board.average_rating().has_value());
}

}  // namespace
}  // namespace depot
