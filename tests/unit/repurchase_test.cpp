// Repurchase prediction on purchase histories with known answers: the median interval, the
// expected day, the confidence from count and spread, and which customers are due.
#include "domain/repurchase.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>
#include <vector>

namespace depot {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

const sys_days kStart = std::chrono::year{2025} / std::chrono::March / 1;

std::vector<sys_days> on_days(std::initializer_list<int> offsets) {
  std::vector<sys_days> purchases;
  for (int offset : offsets) purchases.push_back(kStart + days{offset});
  return purchases;
}

// The confidence of a customer on time whose spread is `cv`, tolerance a quarter interval.
double on_time(double cv) { return std::erf(0.25 / (cv * std::numbers::sqrt2)); }

TEST(Repurchase, OnePurchaseIsNoPattern) {
  EXPECT_FALSE(predict_repurchase(on_days({0}), kStart).has_value());
  EXPECT_FALSE(predict_repurchase(on_days({}), kStart).has_value());
}

TEST(Repurchase, RegularBuyerIsExpectedOneIntervalAfterTheLastPurchase) {
  auto p = predict_repurchase(on_days({0, 30, 60, 90, 120}), kStart + days{125});
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->purchases, 5);
  EXPECT_DOUBLE_EQ(p->interval_days, 30);
  EXPECT_EQ(p->last_purchase, kStart + days{120});
  EXPECT_EQ(p->expected, kStart + days{150});
  // Four identical intervals: the observed spread is 0, shrunk towards the prior 0.5 as if it
  // were two intervals: 2 × 0.5 / (4 + 2).
  EXPECT_NEAR(p->confidence, on_time(1.0 / 6), 1e-12);
  EXPECT_GT(p->confidence, 0.85);
}

TEST(Repurchase, MedianIgnoresOneOddInterval) {
  // Intervals 14, 14, 40, 14: the one late purchase does not move the interval.
  auto p = predict_repurchase(on_days({0, 14, 28, 68, 82}), kStart + days{82});
  ASSERT_TRUE(p.has_value());
  EXPECT_DOUBLE_EQ(p->interval_days, 14);
  EXPECT_EQ(p->expected, kStart + days{96});
}

TEST(Repurchase, TwoPurchasesGetThePriorSpread) {
  auto p = predict_repurchase(on_days({0, 20}), kStart + days{20});
  ASSERT_TRUE(p.has_value());
  EXPECT_DOUBLE_EQ(p->interval_days, 20);
  EXPECT_EQ(p->expected, kStart + days{40});
  EXPECT_NEAR(p->confidence, on_time(0.5), 1e-12);  // about 0.38
}

TEST(Repurchase, SpreadIsTheRobustCoefficientOfVariationShrunk) {
  // Intervals 10 and 20: median 15, deviations 5 and 5, MAD 5; observed cv 1.4826 × 5 / 15;
  // shrunk: (2 × observed + 2 × 0.5) / 4. Tolerance a quarter of 15 days.
  auto p = predict_repurchase(on_days({0, 10, 30}), kStart + days{30});
  ASSERT_TRUE(p.has_value());
  EXPECT_DOUBLE_EQ(p->interval_days, 15);
  EXPECT_EQ(p->expected, kStart + days{45});
  double cv = (2 * (1.4826 * 5 / 15) + 2 * 0.5) / 4;
  EXPECT_NEAR(p->confidence, on_time(cv), 1e-12);
}

TEST(Repurchase, MoreRegularAndLongerHistoriesAreMoreConfident) {
  sys_days today = kStart + days{200};
  auto few = predict_repurchase(on_days({0, 30, 60}), today);
  auto many = predict_repurchase(on_days({0, 30, 60, 90, 120, 150, 180}), today);
  auto erratic = predict_repurchase(on_days({0, 10, 60, 70, 130, 140, 180}), today);
  ASSERT_TRUE(few && many && erratic);
  EXPECT_LT(few->confidence, many->confidence);
  EXPECT_LT(erratic->confidence, many->confidence);
}

TEST(Repurchase, ShortIntervalsKeepADayOfTolerance) {
  // Every other day: a quarter interval is half a day, but a day is the finest a purchase day
  // can be, so the tolerance is one day.
  auto p = predict_repurchase(on_days({0, 2, 4, 6}), kStart + days{6});
  ASSERT_TRUE(p.has_value());
  double cv = 2 * 0.5 / 5;
  EXPECT_NEAR(p->confidence, std::erf(1.0 / (cv * 2 * std::numbers::sqrt2)), 1e-12);
}

TEST(Repurchase, ConfidenceDecaysOnceOverdue) {
  auto history = on_days({0, 30, 60, 90});  // expected on day 120
  auto on_the_day = predict_repurchase(history, kStart + days{120});
  auto late = predict_repurchase(history, kStart + days{135});
  ASSERT_TRUE(on_the_day && late);
  EXPECT_NEAR(late->confidence, on_the_day->confidence * std::exp(-15.0 / 30), 1e-12);
}

TEST(Repurchase, DueWithinTheWindowUnlessLapsed) {
  auto p = predict_repurchase(on_days({0, 30, 60, 90}), kStart + days{100});  // expected day 120
  ASSERT_TRUE(p.has_value());
  EXPECT_FALSE(is_due(*p, kStart + days{100}, 20));  // the window ends on day 119
  EXPECT_TRUE(is_due(*p, kStart + days{100}, 21));
  EXPECT_TRUE(is_due(*p, kStart + days{120}, 1));   // due today
  EXPECT_TRUE(is_due(*p, kStart + days{150}, 1));   // one interval late: still a customer
  EXPECT_FALSE(is_due(*p, kStart + days{151}, 7));  // more than an interval late: lapsed
}

}  // namespace
}  // namespace depot
