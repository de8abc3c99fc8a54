#pragma once
// Every request carries an id (SPEC OPS-2), echoed as X-Request-Id and written in the access log
// and in problem+json bodies, so a client's report and depot's log meet on it. A client's own id
// (a proxy's or a caller's trace id) is kept when it is sane; otherwise depot makes one.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.h"

namespace depot::http {

// A client's X-Request-Id worth keeping: 1 to 128 visible ASCII characters (no spaces, no control
// characters), so it is safe in a header, a log line and a JSON string alike.
bool is_acceptable_request_id(std::string_view id);

// Ids for requests that bring none: a random prefix drawn when the process starts and a counter,
// so ids are unique within the process and across its restarts. Thread-safe; next() takes no lock.
class RequestIds {
 public:
  RequestIds();
  std::string next();
  // The client's id when acceptable, else next().
  std::string for_request(std::string_view offered);

 private:
  std::string prefix_;
  std::atomic<std::uint64_t> counter_{0};
};

// Stamps the answer with its request's id: the X-Request-Id header and, in a problem+json body,
// a `request_id` member.
void stamp_request_id(Response& response, const std::string& request_id);

}  // namespace depot::http
