// Shipping advice (RPT-4) on histories with known transit times: the fastest carrier on a route,
// the carriers it orders, and the latest ship time that meets a promise.
#include "domain/shipping_advice.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string_view>
#include <vector>

namespace depot {
namespace {

using std::chrono::hours;

constexpr std::string_view kCarriers[] = {"SF", "ZTO", "YTO", "STO"};
const std::string kGuangdong = "440000";
const std::string kShanghai = "310000";

Instant at(int day, int hour, int minute = 0) {
  using namespace std::chrono;
  sys_days first = year{2025} / March / 4;
  return Instant{first + days{day} + hours{hour} + minutes{minute}};
}

// `count` parcels of `carrier` to `destination`, shipped on successive days, each taking
// `transit_hours` exactly.
void add_parcels(std::vector<TransitSample>& history, const std::string& carrier,
                 const std::string& destination, int count, int transit_hours) {
  for (int i = 0; i < count; ++i) {
    Instant shipped = at(i, 3 + i % 6);
    history.push_back({carrier, "", destination, shipped, shipped + hours{transit_hours}});
  }
}

// Transit by route alone (no ship-time effect), so every answer can be worked out by hand.
EtaModel plain_model(const std::vector<TransitSample>& history) {
  EtaOptions options;
  options.adjust_for_ship_time = false;
  return EtaModel::fit(history, options);
}

std::vector<TransitSample> known_history() {
  std::vector<TransitSample> history;
  add_parcels(history, "SF", kGuangdong, 20, 24);
  add_parcels(history, "ZTO", kGuangdong, 20, 40);
  // YTO has three parcels to Guangdong, too few for the route, and many to Shanghai: its estimate
  // rests on the carrier over all its routes.
  add_parcels(history, "YTO", kGuangdong, 3, 10);
  add_parcels(history, "YTO", kShanghai, 20, 60);
  return history;
}

TEST(ShippingAdvice, FastestCarrierOnTheRouteComesFirst) {
  EtaModel model = plain_model(known_history());
  ShippingAdvice advice =
      advise_shipping(model, kCarriers, "", kGuangdong, at(40, 2), std::nullopt);
  ASSERT_EQ(advice.carriers.size(), 3u);  // STO has no history and is left out
  EXPECT_EQ(advice.fastest, "SF");
  EXPECT_EQ(advice.carriers[0].carrier, "SF");
  EXPECT_EQ(advice.carriers[0].basis, EtaBasis::route);
  EXPECT_EQ(advice.carriers[0].samples, 20);
  EXPECT_DOUBLE_EQ(advice.carriers[0].median_hours, 24);
  EXPECT_DOUBLE_EQ(advice.carriers[0].p80_hours, 24);
  EXPECT_EQ(advice.carriers[0].expected_at, at(41, 2));
  EXPECT_EQ(advice.carriers[1].carrier, "ZTO");
  EXPECT_DOUBLE_EQ(advice.carriers[1].median_hours, 40);
  EXPECT_EQ(advice.carriers[2].carrier, "YTO");
  EXPECT_EQ(advice.carriers[2].basis, EtaBasis::carrier);
  EXPECT_EQ(advice.carriers[2].samples, 23);
  EXPECT_DOUBLE_EQ(advice.carriers[2].median_hours, 60);
  EXPECT_FALSE(advice.carriers[0].latest_ship_at.has_value());  // no promise asked about
}

TEST(ShippingAdvice, LatestShipTimeMeetsThePromise) {
  EtaModel model = plain_model(known_history());
  Instant promise = at(41, 10, 30);
  ShippingAdvice advice = advise_shipping(model, kCarriers, "", kGuangdong, at(40, 2), promise);
  ASSERT_EQ(advice.carriers.size(), 3u);
  // SF: 24 hours, so by 10:30 the day before; the last whole hour is 10:00.
  EXPECT_EQ(advice.carriers[0].latest_ship_at, at(40, 10));
  EXPECT_TRUE(advice.carriers[0].meets_promise);  // 02:00 + 24 h is 02:00, before 10:30
  // ZTO: 40 hours, so by 18:30 two days before: 18:00.
  EXPECT_EQ(advice.carriers[1].latest_ship_at, at(39, 18));
  EXPECT_FALSE(advice.carriers[1].meets_promise);  // 02:00 + 40 h is 18:00, after 10:30
}

TEST(ShippingAdvice, PromiseBeyondTheSearchHasNoShipTime) {
  std::vector<TransitSample> history;
  add_parcels(history, "SF", kGuangdong, 20, 24 * (kLatestShipSearchDays + 2));
  EtaModel model = plain_model(history);
  ShippingAdvice advice = advise_shipping(model, kCarriers, "", kGuangdong, at(0, 0), at(1, 0));
  ASSERT_EQ(advice.carriers.size(), 1u);
  EXPECT_FALSE(advice.carriers[0].latest_ship_at.has_value());
  EXPECT_FALSE(advice.carriers[0].meets_promise);
}

TEST(ShippingAdvice, RouteWithoutHistoryFallsBackToTheCarriers) {
  EtaModel model = plain_model(known_history());
  ShippingAdvice advice = advise_shipping(model, kCarriers, "", "650000", at(40, 2), std::nullopt);
  ASSERT_EQ(advice.carriers.size(), 3u);
  for (const CarrierAdvice& c : advice.carriers) EXPECT_EQ(c.basis, EtaBasis::carrier);
  EXPECT_EQ(advice.fastest, advice.carriers.front().carrier);
}

TEST(ShippingAdvice, NoHistoryNoAdvice) {
  EtaModel model = plain_model({});
  ShippingAdvice advice = advise_shipping(model, kCarriers, "", kGuangdong, at(0, 0), std::nullopt);
  EXPECT_TRUE(advice.carriers.empty());
  EXPECT_TRUE(advice.fastest.empty());
}

TEST(ShippingAdvice, LatestShipTimeRespectsTheHourOfHandingOver) {
  // Parcels handed over before 12:00 UTC (20:00 in China) leave that day and take 20 hours;
  // later ones wait for the next morning and take 34. Whatever the model makes of that, the
  // latest ship time it gives must arrive by the promise and the hour after it must not.
  std::vector<TransitSample> history;
  for (int day = 0; day < 60; ++day) {
    for (int hour : {2, 5, 8, 11, 13, 15}) {
      Instant shipped = at(day, hour);
      history.push_back({"SF", "", kGuangdong, shipped, shipped + hours{hour < 12 ? 20 : 34}});
    }
  }
  EtaModel model = EtaModel::fit(history);
  Instant promise = at(70, 9);
  ShippingAdvice advice = advise_shipping(model, kCarriers, "", kGuangdong, at(68, 0), promise);
  ASSERT_EQ(advice.carriers.size(), 1u);
  ASSERT_TRUE(advice.carriers[0].latest_ship_at.has_value());
  Instant latest = *advice.carriers[0].latest_ship_at;
  EtaQuery query{"SF", "", kGuangdong, latest};
  EXPECT_LE(model.estimate(query).late, promise);
  query.shipped_at = latest + hours{1};
  EXPECT_GT(model.estimate(query).late, promise);
  // Handing over by the evening pickup of the day before is what makes it: a model blind to the
  // hour would ask for the parcel some 30 hours ahead, before 03:00 that day.
  EXPECT_GE(latest, at(69, 9));
}

}  // namespace
}  // namespace depot
