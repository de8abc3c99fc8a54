#pragma once
// The access log: one line per answered request with its method, route pattern, path (never the
// query, which may hold a customer's phone), status, duration and request id as log fields. At
// debug level, so a busy server formats nothing per request unless asked to; a 5xx is logged at
// warn, so a failure always leaves its request id in the log.

#include <chrono>

#include "http/message.h"

namespace depot::http {

void log_access(const Request& request, int status, std::chrono::nanoseconds took);

}  // namespace depot::http
