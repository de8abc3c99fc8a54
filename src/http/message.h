#pragma once
// Requests and responses as the handlers see them: plain values, so no handler depends on the
// HTTP library. The server converts to and from the wire.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/actor.h"

namespace depot::http {

enum class Method { get, post, patch, put, del, head, options, other };

struct Request {
  Method method = Method::get;
  std::string path;                            // decoded path without the query string
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. {id}
  Actor actor;                                // set once the key is checked

  std::string header(const std::string& lower_name) const {
    auto found = headers.find(lower_name);
    return found == headers.end() ? std::string() : found->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace depot::http
