// Forecasts, reorder advice and repurchase predictions end to end (RPT-3): ten weeks of orders
// created through the use cases with a fake clock, kept in the rollups by the store's own write
// path, read back by ForecastService and checked against the domain's math on the series the
// test knows it sold, and against hand-computed reorder figures.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "app/access_service.h"
#include "app/forecast_service.h"
#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/order_service.h"
#include "domain/dashboard.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {
namespace {

using std::chrono::days;
using testing::wait;

constexpr int kWeeks = 10;
constexpr int kDays = kWeeks * 7;
constexpr int kStock = 10000;
const std::vector<int> kTeaByWeekday = {3, 2, 2, 3, 4, 8, 7};  // by day of the test's week
const std::string kRegular = "13800000001";                    // buys TEA every 7 days
const std::string kFortnightly = "13800000002";                // every 14 days, then stops
const std::string kOnce = "13800000003";

class ForecastTest : public ::testing::TestWithParam<testing::StoreKind> {
 protected:
  void SetUp() override {
    auto key = access.create_key("forecast", Role::owner);
    ASSERT_TRUE(key.ok());
    actor = *access.authenticate(key->key);
    SettingsPatch patch;
    patch.reports.lead_days = 7;
    patch.reports.lead_days_by_sku = std::map<std::string, std::int64_t>{{"CUP", 4}};
    patch.reports.review_days = 7;
    patch.reports.service_level = 0.95;
    ASSERT_OK(
        wait<MerchantSettings>([&](auto done) { merchant.update_settings(actor, patch, done); }));
    for (const char* sku : {"TEA", "CUP", "RARE", "IDLE"}) add_product(sku);
    start = clock.now();
  }

  void add_product(const std::string& sku, std::int64_t stock = kStock) {
    Product product;
    product.sku = sku;
    product.name = sku + " product";
    product.price = 100;
    ASSERT_OK(wait<Product>([&](auto done) { inventory.create_product(actor, product, done); }));
    ReceiveCommand receipt;
    receipt.sku = sku;
    receipt.quantity = stock;
    ASSERT_OK(wait<StockLevel>([&](auto done) { inventory.receive(actor, receipt, done); }));
  }

  Order order(const std::string& sku, int quantity, const std::string& phone = "13900000000") {
    CreateOrderCommand command;
    command.draft.lines = {{sku, quantity, 100}};
    command.draft.customer = {"张三", phone, "", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    auto created = wait<CreatedOrder>([&](auto done) { orders.create(actor, command, done); });
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    return created.ok() ? created->order : Order{};
  }

  // Day `day` of the test at local noon (the fake clock starts at 12:00 in UTC+8).
  void go_to(int day) { clock.set(start + days{day}); }

  // Sells ten weeks: TEA by the weekday pattern (a unit each to the customers under test, the rest
  // in one order), CUP 5 a day, RARE 2 units every fifth day, IDLE never. A cancelled order of 50
  // TEA on day 30 must not count.
  void sell_ten_weeks() {
    for (int day = 0; day < kDays; ++day) {
      go_to(day);
      std::vector<std::string> buyers;
      if (day % 7 == 2) buyers.push_back(kRegular);
      if (day % 14 == 3 && day < 40) buyers.push_back(kFortnightly);
      if (day == 20) buyers.push_back(kOnce);
      for (const std::string& phone : buyers) order("TEA", 1, phone);
      order("TEA", kTeaByWeekday[day % 7] - static_cast<int>(buyers.size()));
      order("CUP", 5);
      if (day % 5 == 0) order("RARE", 2);
      if (day == 30) {
        Order big = order("TEA", 50);
        ASSERT_OK(wait<Order>([&](auto done) { orders.cancel(actor, big.id, "test", done); }));
      }
    }
    go_to(kDays);  // today: the day after the last day sold
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
  EtaCache etas;
  ForecastService forecasts{store, opened->reports(), clock, etas};
  Actor actor;
  Instant start;
};

TEST_P(ForecastTest, SkuForecastReadsWhatWasSold) {
  sell_ten_weeks();
  Result<SkuForecast> tea = forecasts.forecast(actor, "TEA");
  ASSERT_OK(tea);
  // The window is 26 weeks ending yesterday; the last ten weeks hold what was sold.
  ASSERT_EQ(tea->history.size(), static_cast<std::size_t>(ForecastService::kHistoryDays));
  Day today = local_today(clock.now(), 480);
  EXPECT_EQ(tea->history.back().date, format_day(today - days{1}));
  EXPECT_EQ(tea->daily.front().date, format_day(today));
  EXPECT_EQ(tea->daily.size(), 28u);
  std::vector<double> sold;
  for (int day = 0; day < kDays; ++day) sold.push_back(kTeaByWeekday[day % 7]);
  std::vector<double> read;
  for (std::size_t i = tea->history.size() - kDays; i < tea->history.size(); ++i) {
    read.push_back(tea->history[i].demand);
  }
  EXPECT_EQ(read, sold);  // the cancelled order of 50 is not demand
  for (std::size_t i = 0; i + kDays < tea->history.size(); ++i) {
    EXPECT_EQ(tea->history[i].demand, 0) << tea->history[i].date;
  }

  // The same figures as the domain gives for that series and the stock left.
  std::int64_t units = 0;
  for (double d : sold) units += static_cast<std::int64_t>(d);
  EXPECT_EQ(tea->available, kStock - units);
  std::vector<double> window(ForecastService::kHistoryDays - kDays, 0.0);
  window.insert(window.end(), sold.begin(), sold.end());
  DemandForecast expected = forecast_demand(window, 28);
  EXPECT_EQ(tea->forecast.model, expected.model);
  EXPECT_EQ(tea->forecast.history_days, kDays);
  EXPECT_EQ(tea->forecast.error.mase, expected.error.mase);
  EXPECT_EQ(tea->forecast.baseline_error.smape, expected.baseline_error.smape);
  for (std::size_t i = 0; i < expected.daily.size(); ++i) {
    EXPECT_DOUBLE_EQ(tea->daily[i].demand, expected.daily[i]);
  }
  ReorderAdvice advice =
      advise_reorder(expected.daily, expected.daily_sigma, tea->available, {7, 7, 0.95});
  EXPECT_DOUBLE_EQ(tea->advice.reorder_point, advice.reorder_point);
  EXPECT_EQ(tea->advice.suggested_quantity, advice.suggested_quantity);
  EXPECT_FALSE(tea->advice.reorder_now);  // thousands in stock
}

TEST_P(ForecastTest, SteadySkuGetsHandComputedReorderFigures) {
  sell_ten_weeks();
  Result<SkuForecast> cup = forecasts.forecast(actor, "CUP");
  ASSERT_OK(cup);
  // 5 a day every day: the model repeats it with no error, so the reorder point is the 4 lead
  // days' demand and no safety stock (CUP's own lead time overrides the merchant's 7 days).
  EXPECT_EQ(cup->forecast.model, ForecastModel::holt_winters);
  EXPECT_EQ(cup->policy.lead_days, 4);
  EXPECT_NEAR(cup->advice.reorder_point, 20, 1e-6);
  EXPECT_NEAR(cup->advice.safety_stock, 0, 1e-6);
  EXPECT_EQ(cup->available, kStock - 5 * kDays);
  EXPECT_EQ(cup->advice.suggested_quantity, 0);  // 20 + 35 is far below 9650 in stock
  EXPECT_NEAR(*cup->advice.days_of_cover, (kStock - 5.0 * kDays) / 5, 1e-6);

  // Sell all but 15 of it today: below the reorder point, so it is listed to reorder now, with
  // ⌈20 + 7 × 5 − 15⌉ = 40 to order. Today's sale is not history yet: the forecast is unchanged.
  order("CUP", static_cast<int>(cup->available) - 15);
  Result<std::vector<ReplenishmentLine>> list = forecasts.replenishment(actor);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  const ReplenishmentLine& line = list->front();
  EXPECT_EQ(line.sku, "CUP");
  EXPECT_EQ(line.name, "CUP product");
  EXPECT_EQ(line.available, 15);
  EXPECT_EQ(line.advice.suggested_quantity, 40);
  EXPECT_NEAR(*line.advice.days_of_cover, 3.0, 1e-6);
  EXPECT_TRUE(line.advice.reorder_now);
}

TEST_P(ForecastTest, IntermittentSkuUsesTheFallbackAndIdleSkuNothing) {
  sell_ten_weeks();
  Result<SkuForecast> rare = forecasts.forecast(actor, "RARE");
  ASSERT_OK(rare);
  EXPECT_EQ(rare->forecast.model, ForecastModel::croston_tsb);
  EXPECT_NEAR(rare->forecast.zero_share, 0.8, 0.02);
  Result<SkuForecast> idle = forecasts.forecast(actor, "IDLE");
  ASSERT_OK(idle);
  EXPECT_EQ(idle->forecast.model, ForecastModel::none);
  EXPECT_FALSE(idle->advice.days_of_cover.has_value());
  EXPECT_EQ(idle->advice.suggested_quantity, 0);
}

TEST_P(ForecastTest, UnknownSkuIsNotFound) {
  Result<SkuForecast> missing = forecasts.forecast(actor, "NOPE");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

TEST_P(ForecastTest, RegularCustomersAreDueAndOneOffsAreNot) {
  sell_ten_weeks();
  Day today = local_today(clock.now(), 480);
  // kRegular bought on days 2, 9, …, 65 (weekday 2 of each week): due on day 72, in two days.
  Result<RepurchaseDueList> soon = forecasts.repurchase_due(actor, 3, 100);
  ASSERT_OK(soon);
  auto listed = [&](const RepurchaseDueList& list, const std::string& phone) {
    return std::find_if(list.items.begin(), list.items.end(),
                        [&](const RepurchaseDue& d) { return d.phone == phone; });
  };
  auto regular = listed(*soon, kRegular);
  ASSERT_NE(regular, soon->items.end());
  EXPECT_EQ(regular->sku, "TEA");
  EXPECT_EQ(regular->prediction.purchases, kWeeks);
  EXPECT_DOUBLE_EQ(regular->prediction.interval_days, 7);
  EXPECT_EQ(regular->prediction.expected, today + days{2});
  EXPECT_GT(regular->prediction.confidence, 0.9);
  // kFortnightly bought on days 3, 17 and 31 and then stopped: expected on day 45, more than an
  // interval ago: lapsed. kOnce bought once: no pattern.
  EXPECT_EQ(listed(*soon, kFortnightly), soon->items.end());
  EXPECT_EQ(listed(*soon, kOnce), soon->items.end());

  Result<std::vector<RepurchaseDue>> of_fortnightly = forecasts.repurchase_of(actor, kFortnightly);
  ASSERT_OK(of_fortnightly);
  ASSERT_EQ(of_fortnightly->size(), 1u);
  EXPECT_DOUBLE_EQ(of_fortnightly->front().prediction.interval_days, 14);
  EXPECT_EQ(of_fortnightly->front().prediction.expected, today - days{kDays - 45});
  EXPECT_TRUE(forecasts.repurchase_of(actor, kOnce)->empty());

  // The window is judged by the use case.
  Result<RepurchaseDueList> too_far = forecasts.repurchase_due(actor, 91, 100);
  ASSERT_FALSE(too_far.ok());
  EXPECT_EQ(too_far.error().fields.front().field, "within_days");
}

TEST_P(ForecastTest, ShippingAdviceWithoutHistoryListsNoCarrier) {
  Result<ShippingAdviceAnswer> advice =
      forecasts.shipping_advice(actor, {"440000", "", std::nullopt, std::nullopt, std::nullopt});
  ASSERT_OK(advice);
  EXPECT_TRUE(advice->advice.carriers.empty());
  EXPECT_TRUE(advice->advice.fastest.empty());
  // A promised day ends at the merchant's midnight: 16:00 UTC in UTC+8.
  Day tomorrow = local_today(clock.now(), 480) + days{1};
  advice = forecasts.shipping_advice(actor, {"440000", "", std::nullopt, std::nullopt, tomorrow});
  ASSERT_OK(advice);
  EXPECT_EQ(*advice->deliver_by, Instant{tomorrow + std::chrono::hours{16}});
  Result<ShippingAdviceAnswer> bad =
      forecasts.shipping_advice(actor, {"44", "x", std::nullopt, std::nullopt, std::nullopt});
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].field, "province");
  EXPECT_EQ(bad.error().fields[1].field, "origin");
}

INSTANTIATE_TEST_SUITE_P(Stores, ForecastTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
