// The demo shop's year as planned (cli/demo_plan.h): the same every time, demand with a weekly
// pattern, a trend and the sale peaks, SKUs that sell only now and then, regular customers who
// rebuy at regular intervals, valid buyers and parcels, ids that exist before they are needed,
// stock that never runs short, and the last days left with work to do.
#include "cli/demo_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "domain/carriers.h"
#include "domain/divisions.h"
#include "domain/verification.h"

namespace depot::cli {
namespace {

using std::chrono::days;
using std::chrono::hours;
using namespace std::chrono_literals;

Day date(int y, unsigned m, unsigned d) {
  return Day{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

// A year ending at 15:00 local time on the given date.
DemoWindow year_ending(Day day) { return year_before(local_time(day, hours(15))); }

const DemoPlan& plan_to_sep_30() {
  static const DemoPlan plan = plan_demo_history(year_ending(date(2026, 9, 30)));
  return plan;
}

std::map<Day, int> orders_per_day(const DemoPlan& plan) {
  std::map<Day, int> per_day;
  for (const PlannedOrder& order : plan.orders) ++per_day[local_day(order.created_at)];
  return per_day;
}

double mean_of(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

template <class S>
std::vector<std::pair<Instant, const S*>> steps_of(const DemoPlan& plan) {
  std::vector<std::pair<Instant, const S*>> found;
  for (const PlannedStep& planned : plan.steps) {
    if (const S* step = std::get_if<S>(&planned.step)) found.emplace_back(planned.at, step);
  }
  return found;
}

TEST(DemoPlanTest, TheSameWindowGivesTheSamePlan) {
  DemoPlan again = plan_demo_history(year_ending(date(2026, 9, 30)));
  const DemoPlan& plan = plan_to_sep_30();
  ASSERT_EQ(again.orders.size(), plan.orders.size());
  ASSERT_EQ(again.steps.size(), plan.steps.size());
  for (std::size_t i = 0; i < plan.orders.size(); ++i) {
    EXPECT_EQ(again.orders[i].created_at, plan.orders[i].created_at);
    EXPECT_EQ(again.orders[i].lines, plan.orders[i].lines);
    EXPECT_EQ(again.orders[i].external_no, plan.orders[i].external_no);
    EXPECT_EQ(again.buyers[static_cast<std::size_t>(again.orders[i].buyer)].customer,
              plan.buyers[static_cast<std::size_t>(plan.orders[i].buyer)].customer);
  }
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    EXPECT_EQ(again.steps[i].at, plan.steps[i].at);
    EXPECT_EQ(again.steps[i].step.index(), plan.steps[i].step.index());
  }
  EXPECT_EQ(again.closing_available, plan.closing_available);
}

TEST(DemoPlanTest, AYearOfTwentyToSixtyOrdersADayBusierAtWeekendsAndGrowing) {
  const DemoPlan& plan = plan_to_sep_30();
  std::map<Day, int> per_day = orders_per_day(plan);
  EXPECT_EQ(per_day.size(), 365u);
  EXPECT_EQ(per_day.begin()->first, date(2025, 10, 1));
  EXPECT_EQ(per_day.rbegin()->first, date(2026, 9, 30));
  double daily = static_cast<double>(plan.orders.size()) / 365;
  EXPECT_GT(daily, 20);
  EXPECT_LT(daily, 60);

  std::vector<double> weekend, weekday, first_weeks, last_weeks;
  for (const auto& [day, count] : per_day) {
    std::chrono::weekday w{day};
    (w == std::chrono::Saturday || w == std::chrono::Sunday ? weekend : weekday).push_back(count);
  }
  EXPECT_GT(mean_of(weekend), 1.15 * mean_of(weekday));
  // October 2025 against September 2026: months of the same weight, a year of growth apart.
  for (int d = 0; d < 28; ++d) {
    first_weeks.push_back(per_day[date(2025, 10, 1) + days(d)]);
    last_weeks.push_back(per_day[date(2026, 9, 3) + days(d)]);
  }
  EXPECT_GT(mean_of(last_weeks), 1.15 * mean_of(first_weeks));
}

TEST(DemoPlanTest, SinglesDayAnd618AreThePeaks) {
  std::map<Day, int> per_day = orders_per_day(plan_to_sep_30());
  auto busiest = std::max_element(per_day.begin(), per_day.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_EQ(busiest->first, date(2025, 11, 11));
  EXPECT_GT(busiest->second, 100);
  int june_busiest = 0;
  Day june_peak{};
  for (const auto& [day, count] : per_day) {
    if (day >= date(2026, 6, 1) && day <= date(2026, 6, 30) && count > june_busiest) {
      june_busiest = count;
      june_peak = day;
    }
  }
  EXPECT_EQ(june_peak, date(2026, 6, 18));
}

TEST(DemoPlanTest, TheTeapotAndTheChopsticksSellOnlyNowAndThen) {
  std::map<std::string, std::set<Day>> days_sold;
  for (const PlannedOrder& order : plan_to_sep_30().orders) {
    for (const OrderLine& line : order.lines)
      days_sold[line.sku].insert(local_day(order.created_at));
  }
  EXPECT_LT(days_sold["TEAPOT-CLAY"].size(), 365u * 4 / 10);
  EXPECT_GT(days_sold["TEAPOT-CLAY"].size(), 10u);
  EXPECT_LT(days_sold["CHOPSTICKS"].size(), 365u * 4 / 10);
  EXPECT_GT(days_sold["MUG-RED"].size(), 365u * 95 / 100);
}

TEST(DemoPlanTest, RegularCustomersRebuyTheirSkuAtRegularIntervals) {
  const DemoPlan& plan = plan_to_sep_30();
  std::map<std::pair<std::string, std::string>, std::vector<Instant>> bought;
  for (const PlannedOrder& order : plan.orders) {
    const std::string& phone = plan.buyers[static_cast<std::size_t>(order.buyer)].customer.phone;
    for (const OrderLine& line : order.lines) bought[{phone, line.sku}].push_back(order.created_at);
  }
  int repeated = 0;
  int regular = 0;
  for (const auto& [who, times] : bought) {
    if (times.size() < 3) continue;
    ++repeated;
    std::vector<double> gaps;
    for (std::size_t i = 1; i < times.size(); ++i) {
      gaps.push_back(
          std::chrono::duration<double, std::ratio<86400>>(times[i] - times[i - 1]).count());
    }
    double mean = mean_of(gaps);
    double variance = 0;
    for (double gap : gaps) variance += (gap - mean) * (gap - mean);
    double spread = std::sqrt(variance / static_cast<double>(gaps.size())) / mean;
    if (mean >= 14 && mean <= 70 && spread < 0.25) ++regular;
  }
  EXPECT_GE(repeated, 80);
  EXPECT_GE(regular, 60);
  std::set<std::string> phones;
  for (const DemoBuyer& buyer : plan.buyers) phones.insert(buyer.customer.phone);
  EXPECT_GT(phones.size(), 5000u) << "most buyers buy once";
}

TEST(DemoPlanTest, BuyersHaveMobileNumbersAndAddressesInRealDivisions) {
  for (const DemoPlace& place : demo_places()) {
    EXPECT_TRUE(std::holds_alternative<DivisionMatch>(
        match_division(place.province, place.city, place.district)))
        << place.province << place.city << place.district;
  }
  std::set<std::string> phones;
  for (const DemoBuyer& buyer : plan_to_sep_30().buyers) {
    const std::string& phone = buyer.customer.phone;
    EXPECT_TRUE(is_mainland_phone(phone)) << phone;
    EXPECT_TRUE(phone.starts_with("13") || phone.starts_with("15") || phone.starts_with("18"));
    EXPECT_TRUE(phones.insert(phone).second) << phone << " twice";
    EXPECT_FALSE(buyer.customer.name.empty());
    const Address& a = buyer.address;
    EXPECT_TRUE(
        std::holds_alternative<DivisionMatch>(match_division(a.province, a.city, a.district)))
        << a.province << a.city << a.district;
  }
}

TEST(DemoPlanTest, ParcelsAreNumberedAsTheirCarriersDoAndTheFastOnesArriveFirst) {
  const DemoPlan& plan = plan_to_sep_30();
  std::set<std::string> numbers;
  std::map<std::string, std::string> carrier_of;
  std::map<std::string, Instant> shipped_at;
  auto check = [&](const std::string& carrier, const std::string& number) {
    const Carrier* known = find_carrier(carrier);
    ASSERT_NE(known, nullptr) << carrier;
    EXPECT_TRUE(is_valid_tracking_no(*known, number)) << carrier << " " << number;
    EXPECT_TRUE(numbers.insert(number).second) << number << " twice";
  };
  for (const auto& [at, ship] : steps_of<ShipParcel>(plan)) {
    check(ship->carrier, ship->tracking_no);
    carrier_of[ship->tracking_no] = ship->carrier;
    shipped_at[ship->tracking_no] = at;
  }
  for (const auto& [at, sent] : steps_of<SendReturn>(plan)) check(sent->carrier, sent->tracking_no);

  std::map<std::string, std::vector<double>> hours_in_transit;
  for (const auto& [at, scan] : steps_of<ScanParcel>(plan)) {
    auto shipped = shipped_at.find(scan->tracking_no);
    if (scan->status != ParcelStatus::delivered || shipped == shipped_at.end()) continue;
    hours_in_transit[carrier_of[scan->tracking_no]].push_back(
        std::chrono::duration<double, std::ratio<3600>>(at - shipped->second).count());
  }
  EXPECT_EQ(hours_in_transit.size(), 4u);
  EXPECT_LT(mean_of(hours_in_transit["SF"]), mean_of(hours_in_transit["ZTO"]));
  EXPECT_LT(mean_of(hours_in_transit["ZTO"]), 96);
}

TEST(DemoPlanTest, AStepNeedsOnlyIdsAnEarlierDayAnswered) {
  const DemoPlan& plan = plan_to_sep_30();
  EXPECT_TRUE(std::is_sorted(plan.steps.begin(), plan.steps.end(),
                             [](const auto& a, const auto& b) { return a.at < b.at; }));
  std::map<int, Instant> created, requested, refunded, complained, received;
  for (const PlannedStep& planned : plan.steps) {
    Day day = local_day(planned.at);
    auto earlier_day = [&](const std::map<int, Instant>& answered, int order) {
      auto found = answered.find(order);
      return found != answered.end() && local_day(found->second) < day;
    };
    std::visit(
        [&](const auto& step) {
          using S = std::decay_t<decltype(step)>;
          if constexpr (std::is_same_v<S, CreateOrder>) {
            created[step.order] = planned.at;
          } else if constexpr (std::is_same_v<S, ReceiveStock> || std::is_same_v<S, ScanParcel>) {
          } else {
            EXPECT_TRUE(created.count(step.order)) << "order " << step.order;
          }
          if constexpr (std::is_same_v<S, RequestReturn>) requested[step.order] = planned.at;
          if constexpr (std::is_same_v<S, DecideReturn> || std::is_same_v<S, SendReturn> ||
                        std::is_same_v<S, ReceiveReturn>) {
            EXPECT_TRUE(earlier_day(requested, step.order)) << "return of " << step.order;
          }
          if constexpr (std::is_same_v<S, ReceiveReturn>) received[step.order] = planned.at;
          if constexpr (std::is_same_v<S, CreateRefund>) {
            refunded[step.order] = planned.at;
            if (step.for_return) {
              EXPECT_TRUE(earlier_day(requested, step.order));
            }
          }
          if constexpr (std::is_same_v<S, CompleteRefund>) {
            EXPECT_TRUE(earlier_day(refunded, step.order)) << "refund of " << step.order;
          }
          if constexpr (std::is_same_v<S, Complain>) complained[step.order] = planned.at;
          if constexpr (std::is_same_v<S, ResolveComplaint>) {
            EXPECT_TRUE(earlier_day(complained, step.order)) << "complaint of " << step.order;
          }
          if constexpr (std::is_same_v<S, ShipParcel>) {
            if (step.replacement) {
              EXPECT_TRUE(earlier_day(received, step.order));
            }
          }
        },
        planned.step);
  }
  EXPECT_GT(requested.size(), 100u);
  EXPECT_GT(complained.size(), 20u);
}

TEST(DemoPlanTest, StockNeverRunsShortAndTheLowSkusEndBelowTheirThreshold) {
  // Windows ending in every season: around the Spring Festival, 618 and Singles' Day among them.
  for (Day end : {date(2026, 2, 20), date(2026, 6, 19), date(2026, 11, 12), date(2027, 1, 5),
                  date(2027, 8, 31)}) {
    DemoPlan plan;
    ASSERT_NO_THROW(plan = plan_demo_history(year_ending(end)));
    for (const DemoProduct& product : demo_catalogue()) {
      std::int64_t closing = plan.closing_available.at(std::string(product.sku));
      EXPECT_GE(closing, 0) << product.sku;
      if (product.ends_low) {
        EXPECT_LT(closing, product.low_stock_threshold) << product.sku;
      } else {
        EXPECT_GE(closing, product.low_stock_threshold) << product.sku;
      }
    }
  }
}

TEST(DemoPlanTest, TheLastDaysLeaveOrdersToShipAndParcelsOnTheirWay) {
  const DemoPlan& plan = plan_to_sep_30();
  Instant end = year_ending(date(2026, 9, 30)).end;
  EXPECT_TRUE(std::all_of(plan.steps.begin(), plan.steps.end(),
                          [&](const PlannedStep& s) { return s.at < end; }));
  std::set<int> shipped;
  std::set<std::string> delivered;
  for (const auto& [at, ship] : steps_of<ShipParcel>(plan)) shipped.insert(ship->order);
  for (const auto& [at, scan] : steps_of<ScanParcel>(plan)) {
    if (scan->status == ParcelStatus::delivered) delivered.insert(scan->tracking_no);
  }
  int waiting = 0;
  for (std::size_t i = 0; i < plan.orders.size(); ++i) {
    if (plan.orders[i].created_at > end - hours(24) && !shipped.count(static_cast<int>(i))) {
      ++waiting;
    }
  }
  int on_the_way = 0;
  for (const auto& [at, ship] : steps_of<ShipParcel>(plan)) {
    if (!delivered.count(ship->tracking_no)) ++on_the_way;
  }
  EXPECT_GT(waiting, 5);
  EXPECT_GT(on_the_way, 20);
  EXPECT_LT(on_the_way, 300) << "the year's parcels are delivered";
}

}  // namespace
}  // namespace depot::cli
