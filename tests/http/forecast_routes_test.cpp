// The forecast routes through the router with a real store and a fake clock: weeks of history that
// a black-box server cannot make, read back as the API's JSON, and the repurchase list's phones
// masked for a viewer and shown to an owner (SEC-3).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <cmath>

#include "app/access_service.h"
#include "app/forecast_service.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "http/routes.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace depot::http {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using testing::wait;

const std::string kPhone = "13800000001";

class ForecastRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto owner = access.create_key("shop", Role::owner);
    auto viewer = access.create_key("shop", Role::viewer);
    ASSERT_TRUE(owner.ok() && viewer.ok());
    owner_key = owner->key;
    viewer_key = viewer->key;
    actor = *access.authenticate(owner_key);
    Product tea;
    tea.sku = "TEA";
    tea.name = "Tea";
    tea.price = 100;
    ASSERT_OK(wait<Product>([&](auto done) { inventory.create_product(actor, tea, done); }));
    ReceiveCommand receipt;
    receipt.sku = "TEA";
    receipt.quantity = 1000;
    ASSERT_OK(wait<StockLevel>([&](auto done) { inventory.receive(actor, receipt, done); }));
    add_forecast_routes(router, forecasts, pool);
  }

  void buy_on(int day, int quantity) {
    clock.set(start + std::chrono::days{day});
    CreateOrderCommand command;
    command.draft.lines = {{"TEA", quantity, 100}};
    command.draft.customer = {"张三", kPhone, "", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
    ASSERT_OK(wait<CreatedOrder>([&](auto done) { orders.create(actor, command, done); }));
  }

  // The answer to GET `path` with `query`, as `key`.
  std::pair<int, json::value> get(const std::string& key, const std::string& path,
                                  std::map<std::string, std::string> query = {}) {
    Request request;
    request.method = Method::get;
    request.path = path;
    request.query = std::move(query);
    request.headers["authorization"] = "Bearer " + key;
    std::optional<Response> response;
    asio::io_context io;
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { response = co_await router.dispatch(request); },
        asio::detached);
    io.run();
    if (!response) return {0, nullptr};
    return {response->status, json::parse(response->body)};
  }

  testing::TempDir dir;
  testing::FakeClock clock;
  Instant start = clock.now();
  sqlite::SqliteStore store{dir.file("depot.db")};
  files::MediaDirectory media{dir.file("media")};
  rules::LuaRuleEngine engine;
  RuleBook book{engine};
  Verifier verifier{store, book, nullptr};
  AccessService access{store, clock};
  InventoryService inventory{store, clock, media};
  OrderService orders{store, clock, verifier};
  EtaCache etas;
  ForecastService forecasts{store, store, clock, etas};
  RateLimiter limiter{0, 1};
  Router router{access, limiter};
  boost::asio::thread_pool pool{1};
  std::string owner_key, viewer_key;
  Actor actor;
};

TEST_F(ForecastRoutesTest, RepurchaseDueShowsPhonesToOwnersAndMasksThemForViewers) {
  for (int day : {0, 7, 14, 21}) buy_on(day, 2);
  clock.set(start + std::chrono::days{26});  // expected on day 28: due within 7 days

  auto [status, body] = get(owner_key, "/api/v1/customers/repurchase-due", {{"within_days", "7"}});
  ASSERT_EQ(status, 200) << body;
  const json::array& items = body.at("items").as_array();
  ASSERT_EQ(items.size(), 1u) << body;
  const json::object& item = items[0].as_object();
  EXPECT_EQ(item.at("phone").as_string(), kPhone);
  EXPECT_EQ(item.at("sku").as_string(), "TEA");
  std::string expected = format_day(local_today(start, 480) + std::chrono::days{28});
  EXPECT_EQ(item.at("expected_at").as_string(), expected);
  EXPECT_EQ(item.at("purchases").as_int64(), 4);
  EXPECT_DOUBLE_EQ(item.at("interval_days").as_double(), 7);
  // Three equal intervals: a spread of 2 × 0.5 / (3 + 2) = 0.2, a tolerance of a quarter week.
  EXPECT_NEAR(item.at("confidence").as_double(), std::erf(1.75 / (0.2 * 7 * std::sqrt(2.0))),
              0.001);
  EXPECT_EQ(body.at("total").as_int64(), 1);

  auto [viewer_status, viewer_body] =
      get(viewer_key, "/api/v1/customers/repurchase-due", {{"within_days", "7"}});
  ASSERT_EQ(viewer_status, 200) << viewer_body;
  EXPECT_EQ(viewer_body.at("items").as_array()[0].at("phone").as_string(), "138****0001");

  auto [outside, outside_body] =
      get(owner_key, "/api/v1/customers/repurchase-due", {{"within_days", "1"}});
  ASSERT_EQ(outside, 200);
  EXPECT_TRUE(outside_body.at("items").as_array().empty());  // day 28 is after tomorrow
}

TEST_F(ForecastRoutesTest, ForecastAnswersWithTheHistoryItRead) {
  for (int day = 0; day < 21; ++day) buy_on(day, 3);
  clock.set(start + std::chrono::days{21});
  auto [status, body] = get(owner_key, "/api/v1/forecast/TEA");
  ASSERT_EQ(status, 200) << body;
  const json::array& history = body.at("history").as_array();
  ASSERT_EQ(history.size(), static_cast<std::size_t>(ForecastService::kHistoryDays));
  for (std::size_t i = history.size() - 21; i < history.size(); ++i) {
    EXPECT_EQ(history[i].at("demand").to_number<double>(), 3) << history[i];
  }
  EXPECT_EQ(body.at("model").as_string(), "croston_tsb_weekly");  // three weeks: a new SKU
  EXPECT_NEAR(body.at("daily").as_array()[0].at("demand").to_number<double>(), 3, 0.01);
  EXPECT_TRUE(body.at("error").at("mase").is_null());
  EXPECT_EQ(body.at("available").as_int64(), 1000 - 63);
  // Seven lead days of 3, no spread: a reorder point of 21; ⌈21 + 21 − 937⌉ < 0: nothing to order.
  EXPECT_NEAR(body.at("reorder_point").to_number<double>(), 21, 0.01);
  EXPECT_EQ(body.at("suggested_quantity").as_int64(), 0);
  EXPECT_NEAR(body.at("days_of_cover").to_number<double>(), 937.0 / 3, 0.01);

  auto [missing, problem] = get(owner_key, "/api/v1/forecast/NOPE");
  EXPECT_EQ(missing, 404) << problem;
}

}  // namespace
}  // namespace depot::http
