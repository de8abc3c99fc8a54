#pragma once
// The Prometheus text exposition format (version 0.0.4) of a metrics snapshot: what `GET /metrics`
// answers. Each family gets its HELP and TYPE lines, then one line per series; a histogram's
// series become cumulative `_bucket{le=...}` lines ending at +Inf, then `_sum` and `_count`.

#include <string>
#include <string_view>
#include <vector>

#include "app/metrics.h"

namespace depot::http {

inline constexpr std::string_view kPrometheusTextType = "text/plain; version=0.0.4; charset=utf-8";

std::string prometheus_text(const std::vector<metrics::FamilySnapshot>& families);

}  // namespace depot::http
