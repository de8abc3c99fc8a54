#include "domain/eta.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

namespace depot {
namespace {

using std::chrono::hours;

constexpr int kBeijing = 8;  // the default utc_offset_minutes is UTC+8

// 2025-03-04 is a Tuesday; local (UTC+8) day `day` after it at `hour`:`minute`.
Instant local_time(int day, int hour, int minute = 0) {
  using namespace std::chrono;
  sys_days tuesday = year{2025} / March / 4;
  return Instant{tuesday + days{day} + std::chrono::hours{hour - kBeijing} + minutes{minute}};
}

double hours_after(Instant from, Instant to) {
  return std::chrono::duration<double, std::ratio<3600>>(to - from).count();
}

// A deterministic spread of ±`spread` hours around 0 for sample i.
double jitter(int i, double spread) { return spread * (((i * 37) % 21) - 10) / 10.0; }

TransitSample parcel(const std::string& carrier, const std::string& origin,
                     const std::string& destination, Instant shipped_at, double transit_hours) {
  auto transit = std::chrono::milliseconds{static_cast<std::int64_t>(transit_hours * 3'600'000)};
  return {carrier, origin, destination, shipped_at, shipped_at + transit};
}

// `count` parcels on one route, shipped on weekday mornings of successive weeks, taking `hours`
// give or take `spread`.
void add_route(std::vector<TransitSample>& history, const std::string& carrier,
               const std::string& origin, const std::string& destination, int count,
               double transit_hours, double spread = 3) {
  for (int i = 0; i < count; ++i) {
    Instant shipped = local_time((i % 4) + 7 * (i / 4), 9 + i % 3, (i * 7) % 60);
    history.push_back(
        parcel(carrier, origin, destination, shipped, transit_hours + jitter(i, spread)));
  }
}

EtaQuery query(const std::string& carrier, const std::string& origin,
               const std::string& destination, Instant shipped_at) {
  return {carrier, origin, destination, shipped_at};
}

TEST(Eta, KnownRouteEffectsAreRecovered) {
  std::vector<TransitSample> history;
  add_route(history, "SF", "44", "44", 60, 24);
  add_route(history, "SF", "44", "65", 60, 72);
  add_route(history, "ZTO", "44", "65", 60, 96);
  EtaModel model = EtaModel::fit(history);
  EXPECT_EQ(model.samples(), 180);

  Instant shipped = local_time(70, 10);
  for (auto [carrier, destination, transit] :
       {std::tuple{"SF", "44", 24.0}, {"SF", "65", 72.0}, {"ZTO", "65", 96.0}}) {
    EtaEstimate eta = model.estimate(query(carrier, "44", destination, shipped));
    EXPECT_EQ(eta.basis, EtaBasis::route) << carrier << " to " << destination;
    EXPECT_EQ(eta.samples, 60);
    EXPECT_NEAR(hours_after(shipped, eta.expected), transit, 1.5)
        << carrier << " to " << destination;
    EXPECT_GT(eta.late, eta.expected);
    EXPECT_LT(hours_after(shipped, eta.late), transit + 3.5);
  }
}

TEST(Eta, AnUnknownOriginIsARouteOfItsOwn) {
  std::vector<TransitSample> history;
  add_route(history, "SF", "44", "31", 20, 30);
  add_route(history, "SF", "", "31", 20, 50);
  EtaModel model = EtaModel::fit(history);
  Instant shipped = local_time(30, 10);
  EXPECT_NEAR(hours_after(shipped, model.estimate(query("SF", "", "31", shipped)).expected), 50,
              1.5);
  EXPECT_NEAR(hours_after(shipped, model.estimate(query("SF", "44", "31", shipped)).expected), 30,
              1.5);
}

TEST(Eta, AThinRouteFallsBackToTheCarrierThenTheDefault) {
  std::vector<TransitSample> history;
  add_route(history, "SF", "44", "44", 30, 24);
  add_route(history, "SF", "44", "11", 30, 48);
  add_route(history, "SF", "44", "54", 3, 200);  // under min_route_samples
  add_route(history, "EMS", "44", "44", 4, 60);  // under min_carrier_samples
  EtaModel model = EtaModel::fit(history);
  Instant shipped = local_time(40, 10);

  EtaEstimate thin = model.estimate(query("SF", "44", "54", shipped));
  EXPECT_EQ(thin.basis, EtaBasis::carrier);
  EXPECT_EQ(thin.samples, 63);
  // Over the carrier's 63 parcels: within its two big routes, nowhere near the thin one's 200 h.
  EXPECT_GT(hours_after(shipped, thin.expected), 20);
  EXPECT_LT(hours_after(shipped, thin.expected), 52);

  EtaEstimate unseen_route = model.estimate(query("SF", "33", "11", shipped));
  EXPECT_EQ(unseen_route.basis, EtaBasis::carrier);

  for (const char* carrier : {"EMS", "YTO"}) {
    EtaEstimate eta = model.estimate(query(carrier, "44", "44", shipped));
    EXPECT_EQ(eta.basis, EtaBasis::fallback) << carrier;
    EXPECT_EQ(eta.samples, 0);
    EXPECT_EQ(eta.expected, shipped + hours{72});
    EXPECT_EQ(eta.late, eta.expected);
  }
  EXPECT_EQ(to_string(EtaBasis::route), "route");
  EXPECT_EQ(to_string(EtaBasis::carrier), "carrier");
  EXPECT_EQ(to_string(EtaBasis::fallback), "default");
}

TEST(Eta, TheMinimumsAreOptions) {
  std::vector<TransitSample> history;
  add_route(history, "SF", "44", "44", 3, 24);
  EtaOptions options;
  options.min_route_samples = 3;
  options.fallback_transit = hours{48};
  EtaModel model = EtaModel::fit(history, options);
  Instant shipped = local_time(20, 10);
  EXPECT_EQ(model.estimate(query("SF", "44", "44", shipped)).basis, EtaBasis::route);
  EXPECT_EQ(model.estimate(query("SF", "44", "11", shipped)).basis, EtaBasis::fallback);
  EXPECT_EQ(model.estimate(query("SF", "44", "11", shipped)).expected, shipped + hours{48});
}

TEST(Eta, EmptyHistoryGivesTheDefault) {
  EtaModel model = EtaModel::fit({});
  EXPECT_EQ(model.samples(), 0);
  Instant shipped = local_time(0, 10);
  EtaEstimate eta = model.estimate(query("SF", "44", "44", shipped));
  EXPECT_EQ(eta.basis, EtaBasis::fallback);
  EXPECT_EQ(eta.expected, shipped + hours{72});
  EXPECT_EQ(model.ship_time_effect_hours("SF", shipped), 0.0);
}

TEST(Eta, ParcelsDeliveredBeforeTheyShippedAreIgnored) {
  std::vector<TransitSample> history;
  add_route(history, "SF", "44", "44", 10, 24);
  history.push_back(parcel("SF", "44", "44", local_time(3, 10), -5));
  EXPECT_EQ(EtaModel::fit(history).samples(), 10);
}

// A carrier that collects at 18:00 on working days: a parcel handed over later, or at the
// weekend, waits for the next working day's pickup, then travels 24 hours.
std::vector<TransitSample> weekday_pickup_history(int weeks) {
  std::vector<TransitSample> history;
  int i = 0;
  for (int day = 0; day < 7 * weeks; ++day) {
    for (int hour = 8; hour < 24; hour += 2) {
      Instant shipped = local_time(day, hour, (i * 13) % 60);
      int pickup_day = day;
      while (local_time(pickup_day, 18) < shipped || pickup_day % 7 == 4 || pickup_day % 7 == 5) {
        ++pickup_day;  // day 4 of each week is a Saturday, day 5 a Sunday
      }
      Instant pickup = local_time(pickup_day, 18);
      double transit = hours_after(shipped, pickup) + 24 + jitter(i, 2);
      history.push_back(parcel("ZTO", "44", "31", shipped, transit));
      ++i;
    }
  }
  return history;
}

TEST(Eta, ShipTimeOfDayAndWeekdayShow) {
  EtaModel model = EtaModel::fit(weekday_pickup_history(26));
  Instant tuesday_morning = local_time(7 * 30, 10);       // picked up at 18:00: about 32 h
  Instant saturday_evening = local_time(7 * 30 + 4, 20);  // picked up Monday 18:00: about 70 h
  EtaEstimate early = model.estimate(query("ZTO", "44", "31", tuesday_morning));
  EtaEstimate late = model.estimate(query("ZTO", "44", "31", saturday_evening));
  EXPECT_EQ(early.basis, EtaBasis::route);
  EXPECT_NEAR(hours_after(tuesday_morning, early.expected), 32, 4);
  EXPECT_NEAR(hours_after(saturday_evening, late.expected), 70, 6);
  EXPECT_GT(late.expected, early.expected + hours{24});
  EXPECT_GT(model.ship_time_effect_hours("ZTO", saturday_evening),
            model.ship_time_effect_hours("ZTO", tuesday_morning) + 30);

  // Without the adjustment both get the route's median, whatever the ship time.
  EtaOptions plain;
  plain.adjust_for_ship_time = false;
  EtaModel unadjusted = EtaModel::fit(weekday_pickup_history(26), plain);
  EXPECT_NEAR(hours_after(tuesday_morning,
                          unadjusted.estimate(query("ZTO", "44", "31", tuesday_morning)).expected),
              hours_after(saturday_evening,
                          unadjusted.estimate(query("ZTO", "44", "31", saturday_evening)).expected),
              0.01);
}

TEST(Eta, AFewParcelsInACellMoveItLittle) {
  std::vector<TransitSample> history;
  add_route(history, "SF", "44", "44", 200, 24);
  Instant sunday_night = local_time(12, 3);
  // A parcel shipped on a Sunday at 03:00 that took three extra days says nothing on its own;
  // three of them move the cell by a share of their delay, as their count earns.
  history.push_back(parcel("SF", "44", "44", local_time(5, 3), 24 + 72));
  EXPECT_EQ(EtaModel::fit(history).ship_time_effect_hours("SF", sunday_night), 0.0);
  history.push_back(parcel("SF", "44", "44", local_time(19, 3, 10), 24 + 72));
  history.push_back(parcel("SF", "44", "44", local_time(26, 3, 20), 24 + 72));
  double effect = EtaModel::fit(history).ship_time_effect_hours("SF", sunday_night);
  double one_level = 72.0 * 3 / (3 + EtaOptions{}.effect_shrinkage_samples);
  EXPECT_GT(effect, one_level);
  EXPECT_LT(effect, 72.0 - 12);
}

TEST(Eta, LateIsNeverBeforeExpected) {
  std::vector<TransitSample> history = weekday_pickup_history(8);
  add_route(history, "SF", "44", "44", 40, 24, 12);
  add_route(history, "SF", "44", "11", 2, 1);
  EtaModel model = EtaModel::fit(history);
  for (int day = 60; day < 67; ++day) {
    for (int hour = 0; hour < 24; ++hour) {
      Instant shipped = local_time(day, hour);
      for (const char* destination : {"44", "11", "31"}) {
        for (const char* carrier : {"SF", "ZTO", "JD"}) {
          EtaEstimate eta = model.estimate(query(carrier, "44", destination, shipped));
          EXPECT_GE(eta.expected, shipped);
          EXPECT_GE(eta.late, eta.expected);
        }
      }
    }
  }
}

TEST(Eta, AFewParcelsThatTookWeeksBarelyMoveTheMedian) {
  std::vector<TransitSample> history;
  add_route(history, "SF", "44", "44", 100, 24);
  EtaModel clean = EtaModel::fit(history);
  for (int i = 0; i < 5; ++i) {
    history.push_back(parcel("SF", "44", "44", local_time(i * 7 + 1, 10), 30 * 24));
  }
  EtaModel with_outliers = EtaModel::fit(history);
  Instant shipped = local_time(200, 10);
  EtaEstimate a = clean.estimate(query("SF", "44", "44", shipped));
  EtaEstimate b = with_outliers.estimate(query("SF", "44", "44", shipped));
  EXPECT_LT(std::chrono::abs(b.expected - a.expected), hours{1});
  EXPECT_LT(hours_after(shipped, b.late), 24 + 6);
}

}  // namespace
}  // namespace depot
