#include "http/json_input.h"

#include <gtest/gtest.h>

namespace depot::http {
namespace {

namespace json = boost::json;

Request json_request(std::string body) {
  Request request;
  request.headers["content-type"] = "application/json";
  request.body = std::move(body);
  return request;
}

TEST(ParseObject, RefusesWhatIsNotAnObject) {
  EXPECT_EQ(parse_object(json_request("{")).error().code, ErrorCode::malformed);
  EXPECT_EQ(parse_object(json_request("[1]")).error().code, ErrorCode::malformed);
  EXPECT_EQ(parse_object(json_request("")).error().code, ErrorCode::malformed);
  Request text = json_request("{}");
  text.headers["content-type"] = "text/plain";
  EXPECT_EQ(parse_object(text).error().code, ErrorCode::unsupported_media);
  EXPECT_TRUE(parse_object(json_request(R"({"a":1})")).ok());
}

TEST(Fields, NamesWrongTypesMissingAndUnknownFieldsByPath) {
  json::object body =
      json::parse(R"({"qty": "2", "name": 5, "extra": true, "big": 1e3})").as_object();
  std::vector<FieldError> errors;
  Fields f(body, "lines[0]", errors);
  EXPECT_FALSE(f.integer("qty").has_value());
  EXPECT_FALSE(f.text("name").has_value());
  EXPECT_FALSE(f.text("missing", true).has_value());
  EXPECT_FALSE(f.integer("big").has_value());
  f.reject_unknown({"qty", "name", "missing", "big"});
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"lines[0].qty", "lines[0].name", "lines[0].missing",
                                              "lines[0].big", "lines[0].extra"}));
  auto failure = field_errors(errors);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->code, ErrorCode::invalid);
  EXPECT_EQ(failure->fields.size(), 5u);
}

TEST(Instants, ParseAndFormat) {
  auto t = parse_instant("2026-11-22T04:05:06.789Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_instant(*t), "2026-11-22T04:05:06.789Z");
  EXPECT_EQ(format_instant(*parse_instant("2026-11-22")), "2026-11-22T00:00:00.000Z");
  EXPECT_FALSE(parse_instant("2026-11-22T04:05:06").has_value());
  EXPECT_FALSE(parse_instant("2026-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(parse_instant("yesterday").has_value());
}

TEST(QueryInteger, BoundsAndFallback) {
  Request request;
  request.query = {{"limit", "500"}, {"cursor", "abc"}, {"ok", "7"}};
  EXPECT_EQ(query_integer(request, "missing", 50, 1, 200).value(), 50);
  EXPECT_EQ(query_integer(request, "ok", 50, 1, 200).value(), 7);
  EXPECT_EQ(query_integer(request, "limit", 50, 1, 200).error().fields.front().field, "limit");
  EXPECT_FALSE(query_integer(request, "cursor", 0, 0, 10).ok());
}

}  // namespace
}  // namespace depot::http
