#include "http/json_keys.h"

#include <gtest/gtest.h>

namespace depot::http {
namespace {

TEST(RepeatedKey, FindsTheFirstRepeatWithItsPath) {
  EXPECT_EQ(repeated_key(R"({"a": 1, "a": 2})"), "a");
  EXPECT_EQ(repeated_key(R"({"lines": [{"sku": "x"}, {"sku": "y", "sku": "z"}]})"), "lines[1].sku");
  EXPECT_EQ(repeated_key(R"({"c": {"d": [1, [2, {"e": 0, "e": 1}]]}})"), "c.d[1][1].e");
}

TEST(RepeatedKey, TheSameKeyInOtherObjectsIsNoRepeat) {
  EXPECT_EQ(repeated_key(R"({"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]})"), std::nullopt);
  EXPECT_EQ(repeated_key(R"([{"k": 1}, {"k": 2}])"), std::nullopt);
  EXPECT_EQ(repeated_key(R"({"a\u0062": 1, "ab2": 2})"), std::nullopt);
  EXPECT_EQ(repeated_key(R"({"a\u0062": 1, "ab": 2})"), "ab");
}

}  // namespace
}  // namespace depot::http
