#pragma once
// The HTTP server's metrics (SPEC OPS-2): requests answered by method, route and status, and how
// long they took by method and route. The route is the pattern that matched
// ("/api/v1/orders/{id}"), never the raw path, so ids never become label values and the number of
// series stays bounded by the routes; a path no route matches counts as "unmatched".
//
// Thread safety: observe() may be called from any thread and takes no lock once a label set has
// been seen.

#include <chrono>
#include <string_view>

#include "app/metrics.h"
#include "http/message.h"

namespace depot::http {

class HttpMetrics {
 public:
  explicit HttpMetrics(metrics::Registry& registry);

  // One answered request; `route` is Request::route ("" when no route matched).
  void observe(Method method, std::string_view route, int status, std::chrono::nanoseconds took);

 private:
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& durations_;
};

}  // namespace depot::http
