#include "http/multipart.h"

#include <gtest/gtest.h>

#include "http/url.h"

namespace depot::http {
namespace {

TEST(Multipart, ReadsNamedPartsWithBinaryData) {
  std::string data("\x89PNG\r\n\x1a\n\0\1\2", 11);
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n\r\n" +
      data + "\r\n--XyZ--\r\n";
  auto parts = parse_multipart("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "note");
  EXPECT_EQ((*parts)[0].data, "hello");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename, "a.png");
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].data, data);
}

TEST(Multipart, RefusesOtherTypesAndBrokenBodies) {
  EXPECT_EQ(parse_multipart("application/json", "{}").error().code, ErrorCode::unsupported_media);
  EXPECT_EQ(parse_multipart("multipart/form-data", "x").error().code, ErrorCode::malformed);
  EXPECT_EQ(parse_multipart("multipart/form-data; boundary=b", "--b\r\nno end").error().code,
            ErrorCode::malformed);
}

TEST(Url, DecodesPathsAndQueries) {
  EXPECT_EQ(url_decode("/a%20b+c", false), "/a b+c");
  EXPECT_EQ(url_decode("a%2", true), "a%2");
  auto query = parse_query("phone=%2B8613800138000&status=pending_payment&empty=&flag");
  EXPECT_EQ(query["phone"], "+8613800138000");
  EXPECT_EQ(query["status"], "pending_payment");
  EXPECT_EQ(query["empty"], "");
  EXPECT_TRUE(query.count("flag"));
}

}  // namespace
}  // namespace depot::http
