#include "app/notification_pacer.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace depot {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

class NotificationPacerTest : public ::testing::Test {
 protected:
  DispatchPacer make(double share = 0.1) {
    DispatchPacer::Options options;
    options.share = share;
    options.burst = milliseconds(5);
    options.quiet_after = milliseconds(250);
    options.now = [this] { return now; };
    return DispatchPacer(options);
  }

  DispatchPacer::TimePoint now{std::chrono::hours(1)};
};

TEST_F(NotificationPacerTest, AloneOnTheWriterDispatchIsNotHeldBack) {
  DispatchPacer pacer = make();
  EXPECT_FALSE(pacer.pacing());
  pacer.spent(milliseconds(500));
  EXPECT_EQ(pacer.wait(), nanoseconds(0));
}

TEST_F(NotificationPacerTest, WhileOthersCommitDispatchTakesItsShareOfTheWritersTime) {
  DispatchPacer pacer = make(0.1);
  pacer.others_committed();
  EXPECT_TRUE(pacer.pacing());
  pacer.spent(milliseconds(3));  // within the 5 ms of credit
  EXPECT_EQ(pacer.wait(), nanoseconds(0));
  pacer.spent(milliseconds(7));  // 5 ms owed: at a tenth, 50 ms to earn back
  EXPECT_GE(pacer.wait(), milliseconds(50));
  EXPECT_LE(pacer.wait(), milliseconds(51));
  now += milliseconds(20);
  pacer.others_committed();
  EXPECT_GE(pacer.wait(), milliseconds(30));
  EXPECT_LE(pacer.wait(), milliseconds(31));
  now += milliseconds(30);
  pacer.others_committed();
  EXPECT_EQ(pacer.wait(), nanoseconds(0));
}

TEST_F(NotificationPacerTest, CreditForBurstsIsCapped) {
  DispatchPacer pacer = make(0.5);
  pacer.others_committed();
  now += milliseconds(200);  // would earn 100 ms; the cap is 5
  pacer.others_committed();
  pacer.spent(milliseconds(6));
  EXPECT_GE(pacer.wait(), milliseconds(2));
  EXPECT_LE(pacer.wait(), milliseconds(3));
}

TEST_F(NotificationPacerTest, OnceOthersFallQuietTheDebtIsForgiven) {
  DispatchPacer pacer = make(0.1);
  pacer.others_committed();
  pacer.spent(milliseconds(100));
  EXPECT_GT(pacer.wait(), milliseconds(900));
  now += milliseconds(250);
  EXPECT_FALSE(pacer.pacing());
  EXPECT_EQ(pacer.wait(), nanoseconds(0));
  // Intake again: dispatch starts from full credit, not from what it spent alone.
  pacer.spent(milliseconds(100));
  pacer.others_committed();
  EXPECT_EQ(pacer.wait(), nanoseconds(0));
}

TEST_F(NotificationPacerTest, RefusesAShareOutsideZeroToOne) {
  EXPECT_THROW(make(0), std::invalid_argument);
  EXPECT_THROW(make(1.5), std::invalid_argument);
}

}  // namespace
}  // namespace depot
