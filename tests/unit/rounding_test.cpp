// Figures rounded for people are the double nearest the decimal, so that an answer shows 0.207,
// not 0.20700000000000002.
#include "domain/rounding.h"

#include <gtest/gtest.h>

namespace depot {
namespace {

TEST(Rounding, GivesTheDoubleNearestTheDecimal) {
  EXPECT_EQ(rounded(0.20712, 1000), 0.207);
  EXPECT_EQ(rounded(0.1 + 0.2, 100), 0.3);
  EXPECT_EQ(rounded(118.004, 100), 118.0);
  EXPECT_EQ(rounded(-1.23456, 1e4), -1.2346);
}

}  // namespace
}  // namespace depot
