#include "http/request_id.h"

#include <boost/json.hpp>

#include <cstdio>
#include <random>

namespace depot::http {

namespace json = boost::json;

bool is_acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

RequestIds::RequestIds() {
  std::random_device random;
  std::uint64_t bits = (static_cast<std::uint64_t>(random()) << 32) | random();
  char prefix[17];
  std::snprintf(prefix, sizeof prefix, "%016llx", static_cast<unsigned long long>(bits));
  prefix_ = prefix;
}

std::string RequestIds::next() {
  std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed) + 1;
  char suffix[24];
  int length = std::snprintf(suffix, sizeof suffix, "-%llx", static_cast<unsigned long long>(n));
  std::string id;
  id.reserve(prefix_.size() + static_cast<std::size_t>(length));
  id += prefix_;
  id.append(suffix, static_cast<std::size_t>(length));
  return id;
}

std::string RequestIds::for_request(std::string_view offered) {
  return is_acceptable_request_id(offered) ? std::string(offered) : next();
}

void stamp_request_id(Response& response, const std::string& request_id) {
  response.with_header("X-Request-Id", request_id);
  if (!response.content_type.starts_with("application/problem+json") || response.body.empty()) {
    return;
  }
  boost::system::error_code ec;
  json::value body = json::parse(response.body, ec);
  if (ec || !body.is_object()) return;
  body.as_object()["request_id"] = request_id;
  response.body = json::serialize(body);
}

}  // namespace depot::http
