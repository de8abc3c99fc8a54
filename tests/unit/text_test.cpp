#include "domain/text.h"

#include <gtest/gtest.h>

namespace depot {
namespace {

TEST(IsHttpUrl, NeedsTheSchemeAndAHost) {
  EXPECT_TRUE(is_http_url("http://127.0.0.1:8080"));
  EXPECT_TRUE(is_http_url("https://dysmsapi.aliyuncs.com/"));
  EXPECT_TRUE(is_http_url("HTTPS://api.weixin.qq.com"));
  EXPECT_FALSE(is_http_url("http://"));
  EXPECT_FALSE(is_http_url("https:///path"));
  EXPECT_FALSE(is_http_url("ftp://example.com"));
  EXPECT_FALSE(is_http_url("example.com"));
  EXPECT_FALSE(is_http_url(""));
}

TEST(IsBase64, AcceptsPaddedAndUnpaddedAndRefusesOtherText) {
  EXPECT_TRUE(is_base64("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  EXPECT_TRUE(is_base64("YWJj"));
  EXPECT_TRUE(is_base64("YWI="));
  EXPECT_TRUE(is_base64("YWI"));
  EXPECT_FALSE(is_base64("YWJjZ"));  // one character past a group cannot be
  EXPECT_FALSE(is_base64("not base64!"));
  EXPECT_FALSE(is_base64("a-b_"));  // the URL alphabet is not the standard one
}

}  // namespace
}  // namespace depot
