// The dashboard (RPT-1) against a real store with a fake clock: a data set seeded through the use
// cases over a week (orders created around midnight, paid, shipped on time and late, delivered,
// cancelled, edited, refunded, returned, complained about; deliveries that got through and that
// failed), then every dashboard number compared with a recount from the orders, parcels and
// deliveries themselves; and the rollup tables compared with a rebuild from the raw tables.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "store/reports_fixture.h"

namespace depot::report_tests {
namespace {

TEST_P(ReportsTest, EveryDashboardNumberEqualsARecountOfTheSeededWeek) {
  seed();
  clock.set(beijing(8, 9));
  expect_matches(dashboard("2026-03-01", "2026-03-07"),
                 recount("2026-03-01", "2026-03-07", kBeijing));
  // Ranges that cut through the week count only their own days.
  expect_matches(dashboard("2026-03-02", "2026-03-02"),
                 recount("2026-03-02", "2026-03-02", kBeijing));
  expect_matches(dashboard("2026-03-03", "2026-03-06"),
                 recount("2026-03-03", "2026-03-06", kBeijing));
}

TEST_P(ReportsTest, TheSeededWeekReadsAsExpected) {
  seed();
  clock.set(beijing(8, 9));
  Dashboard board = dashboard("2026-03-01", "2026-03-07");
  ASSERT_EQ(board.days.size(), 7u);
  // The order at 23:30 counts on the 1st; the one at 00:30 on the 2nd (and is cancelled).
  EXPECT_EQ(board.days[0].day, "2026-03-01");
  EXPECT_EQ(board.days[0].orders, 1);
  EXPECT_EQ(board.days[0].gmv, 1100);
  EXPECT_EQ(board.days[0].refunded, 200);
  EXPECT_EQ(board.days[1].orders, 1);  // the edited order; the cancelled one is gone
  EXPECT_EQ(board.days[1].gmv, 800);
  EXPECT_EQ(board.days[1].with_status(OrderStatus::cancelled), 1);
  EXPECT_EQ(board.days[2].orders, 1);  // paid then cancelled: out
  EXPECT_EQ(board.days[2].with_status(OrderStatus::cancelled), 1);
  EXPECT_EQ(board.totals.orders, 4);
  EXPECT_EQ(board.totals.with_status(OrderStatus::delivered), 1);
  EXPECT_EQ(board.totals.with_status(OrderStatus::shipped), 2);  // one parcel of two delivered
  EXPECT_EQ(board.totals.with_status(OrderStatus::cancelled), 2);
  EXPECT_EQ(board.totals.with_status(OrderStatus::pending_payment), 1);
  EXPECT_EQ(board.shipping.shipped, 3);
  EXPECT_EQ(board.shipping.on_time, 2);
  EXPECT_EQ(board.on_time_ship_rate(), 0.6667);
  EXPECT_EQ(board.after_sales.returns, 1);
  EXPECT_EQ(board.after_sales.exchanges, 1);
  EXPECT_EQ(board.after_sales.complaints, 1);
  EXPECT_EQ(board.complaint_rate(), 0.3333);
  ASSERT_EQ(board.channels.size(), 2u);  // the wechat delivery still retries: not counted yet
  EXPECT_EQ(board.channels[0].channel, "email");
  EXPECT_EQ(board.channels[0].succeeded, 1);
  EXPECT_EQ(board.channels[0].failed, 1);  // sent, then reported undelivered
  EXPECT_EQ(board.channels[1].channel, "sms");
  EXPECT_EQ(board.channels[1].succeeded, 1);
  EXPECT_EQ(board.channels[1].failed, 1);
  ASSERT_EQ(board.carriers.size(), 1u);
  EXPECT_EQ(board.carriers[0].delivered, 2);
  ASSERT_FALSE(board.top_skus.empty());
  EXPECT_EQ(board.top_skus[0].sku, "C");  // 3 + 1 + 20 units
  EXPECT_EQ(board.top_skus[0].units, 24);

  // The line edit moved B×2 to B×1 and C×3; the phone change moved them to the new phone.
  EXPECT_EQ(units_bought("13800000001", "B", "2026-03-02"), 0);
  EXPECT_EQ(units_bought("13800000001", "C", "2026-03-02"), 0);
  EXPECT_EQ(units_bought("13800000003", "B", "2026-03-02"), 1);
  EXPECT_EQ(units_bought("13800000003", "C", "2026-03-02"), 3);
  EXPECT_EQ(units_bought("13800000001", "A", "2026-03-01"), 2);
  // Cancelled orders leave no purchase behind; an order without a phone has none.
  EXPECT_EQ(units_bought("13800000002", "A", "2026-03-02"), 0);
  EXPECT_EQ(units_bought("13800000002", "A", "2026-03-03"), 0);
  EXPECT_EQ(units_bought("", "C", "2026-03-07"), 0);
  EXPECT_EQ(board.days[6].orders, 1);

  // Stock: C fell under its threshold of 20 (25 received, 1 shipped, 20 reserved).
  EXPECT_EQ(board.stock.skus, 3);
  ASSERT_FALSE(board.stock.lowest.empty());
  EXPECT_EQ(board.stock.lowest[0].sku, "C");
  EXPECT_EQ(board.stock.lowest[0].available(), 25 - 1 - 3 - 20);
  ASSERT_EQ(board.low_stock.size(), 1u);
  EXPECT_EQ(board.low_stock[0].sku, "C");
  EXPECT_EQ(board.low_stock[0].available, 1);
}

TEST_P(ReportsTest, TheRollupsEqualARebuildFromTheRawTablesInAnyTimeZone) {
  seed();
  std::vector<std::string> kept = rollup_rows();
  ASSERT_FALSE(kept.empty());

  // A new offset recounts every day from the raw tables: at UTC the order made at 00:30 in
  // Beijing falls on the 1st.
  set_offset(0);
  clock.set(beijing(8, 9));
  Dashboard utc = dashboard("2026-03-01", "2026-03-07");
  EXPECT_EQ(utc.days[0].with_status(OrderStatus::cancelled), 1);
  expect_matches(utc, recount("2026-03-01", "2026-03-07", 0));

  // Back in Beijing, the recount gives exactly the rows kept change by change.
  set_offset(kBeijing);
  EXPECT_EQ(rollup_rows(), kept);
}

// The repurchase list reads customer_sku_days; one customer's purchases are read from the orders
// by phone. Both must give the same days, in the merchant's time zone, whatever the edits and
// cancels.
TEST_P(ReportsTest, OneCustomersPurchasesEqualTheirRowsOfTheRollups) {
  seed();
  // Repeats: A again after midnight in Beijing (the 4th, still the 3rd in UTC) and on the 6th; B
  // again on the 5th, then cancelled; B again for the customer whose phone the edit moved.
  create(beijing(4, 0, 30), {{"A", 1, 300}}, "13800000001");
  create(beijing(6, 12), {{"A", 2, 300}}, "13800000001");
  cancel(create(beijing(5, 9), {{"B", 1, 500}}, "13800000001"), beijing(5, 10));
  create(beijing(6, 13), {{"B", 1, 500}}, "13800000003");
  clock.set(beijing(8, 9));

  auto of_phone = [&](const std::vector<PurchaseDay>& all, const std::string& phone) {
    std::vector<std::string> days;
    for (const PurchaseDay& d : all) {
      if (d.phone == phone) days.push_back(d.sku + " " + d.day);
    }
    return days;
  };
  auto expect_agree = [&](int offset, const std::vector<std::string>& expected_of_first) {
    auto reads = opened->reports().read_reports(actor.tenant_id);
    std::vector<PurchaseDay> all = reads->repeat_purchases("2026-03-01", "2026-03-07");
    EXPECT_EQ(of_phone(all, "13800000001"), expected_of_first);
    EXPECT_EQ(of_phone(all, "13800000003"),
              (std::vector<std::string>{"B 2026-03-02", "B 2026-03-06"}));
    for (const char* phone : {"13800000001", "13800000002", "13800000003", "13800000005"}) {
      EXPECT_EQ(
          of_phone(reads->repeat_purchases_of(phone, "2026-03-01", "2026-03-07", offset), phone),
          of_phone(all, phone))
          << phone;
    }
  };
  expect_agree(kBeijing, {"A 2026-03-01", "A 2026-03-04", "A 2026-03-06"});
  // In UTC the purchase made after midnight in Beijing falls on the 3rd.
  set_offset(0);
  expect_agree(0, {"A 2026-03-01", "A 2026-03-03", "A 2026-03-06"});
}

TEST_P(ReportsTest, ChangesAfterAnOffsetChangeCountOnTheNewDays) {
  set_offset(-300);  // UTC-5: half past midnight on the 2nd in Beijing is 11:30 on the 1st
  Order order = create(beijing(2, 0, 30), {{"A", 1, 300}}, "13800000009");
  clock.set(beijing(8, 9));
  Dashboard board = dashboard("2026-03-01", "2026-03-02");
  EXPECT_EQ(board.days[0].orders, 1);
  EXPECT_EQ(board.days[1].orders, 0);
  cancel(order, beijing(2, 1));
  board = dashboard("2026-03-01", "2026-03-02");
  EXPECT_EQ(board.days[0].orders, 0);
  EXPECT_EQ(board.days[0].with_status(OrderStatus::cancelled), 1);
  EXPECT_EQ(units_bought("13800000009", "A", "2026-03-01"), 0);
}

// The writer merges the rollup rows of a group commit's use cases and applies them once, before
// the commit: creations on one day and SKU, a cancel, a use case rolled back after writing an
// order, and a time-zone change (a recount) in the middle leave exactly what a rebuild gives.
TEST_P(ReportsTest, TheRollupsOfOneGroupCommitEqualARebuild) {
  Order early = create(beijing(2, 9), {{"A", 1, 300}}, "13800000001");
  clock.set(beijing(2, 10));

  // The writer waits inside the first use case, so everything after it shares the next commit.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::future<Status>> answers;
  auto answer = [&answers] {
    auto promise = std::make_shared<std::promise<Status>>();
    answers.push_back(promise->get_future());
    return [promise](auto result) {
      promise->set_value(result.ok() ? Status{} : Status(result.error()));
    };
  };
  store.write(
      actor.tenant_id,
      [released](WriteTx&) {
        released.wait();
        return false;
      },
      answer());
  auto order = [&](std::vector<OrderLine> lines, std::string phone) {
    CreateOrderCommand command;
    command.draft.lines = std::move(lines);
    command.draft.customer = {"张三", std::move(phone), "", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    orders.create(actor, command, answer());
  };
  order({{"A", 2, 300}, {"B", 1, 500}}, "13800000001");
  order({{"A", 1, 300}}, "13800000002");
  orders.cancel(actor, early.id, "changed mind", answer());
  order({{"A", 3, 300}}, "13800000001");
  SettingsPatch utc;
  utc.reports.utc_offset_minutes = 0;
  merchant.update_settings(actor, utc, answer());
  order({{"B", 4, 500}}, "13800000003");
  store.write(
      actor.tenant_id,
      [&early](WriteTx& tx) {
        Order ghost = *tx.find_order(early.id);
        ghost.id = tx.next_order_id();
        ghost.order_no = "GHOST-1";
        tx.insert_order(ghost, "", "");
        return false;  // rolled back, with the rollup rows the order made
      },
      answer());
  order({{"A", 1, 300}}, "13800000002");
  for (auto& pending : answers) {
    EXPECT_EQ(pending.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  }
  release.set_value();
  for (auto& pending : answers) {
    Status status = pending.get();
    EXPECT_TRUE(status.ok()) << status.error().message;
  }

  // 10:00 in Beijing is 02:00 UTC on the 2nd: every order of the batch falls on that day.
  EXPECT_EQ(units_bought("13800000001", "A", "2026-03-02"), 5);
  EXPECT_EQ(units_bought("13800000002", "A", "2026-03-02"), 2);
  EXPECT_EQ(units_bought("13800000003", "B", "2026-03-02"), 4);
  std::vector<std::string> batched = rollup_rows();
  set_offset(kBeijing);
  set_offset(0);  // a recount from the raw tables
  EXPECT_EQ(rollup_rows(), batched);
}

TEST_P(ReportsTest, ABadRangeIsRefusedNamingTheField) {
  auto refused = reports.dashboard(actor, {"2026-03-08", "2026-03-01"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid);
  EXPECT_EQ(refused.error().fields.at(0).field, "from");
  refused = reports.dashboard(actor, {"2026-03-01", "March"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "to");
}

INSTANTIATE_TEST_SUITE_P(Stores, ReportsTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot::report_tests
