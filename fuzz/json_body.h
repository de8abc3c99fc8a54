#pragma once
// A harness's bytes as a JSON request body, parsed as the server parses one: the object, or
// nothing once the refusal has been rendered as the 400 or 415 answer would be.
#include <boost/json.hpp>

#include <optional>
#include <string_view>

#include "http/json_input.h"
#include "http/problem.h"

namespace depot::fuzz {

inline std::optional<boost::json::object> json_body_of(std::string_view text) {
  http::Request request;
  request.headers["content-type"] = "application/json";
  request.body = text;
  Result<boost::json::object> body = http::parse_object(request);
  if (!body.ok()) {
    (void)http::problem(body.error());
    return std::nullopt;
  }
  return std::move(body).value();
}

}  // namespace depot::fuzz
