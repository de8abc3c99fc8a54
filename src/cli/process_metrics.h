#pragma once
// The process's own metrics, read from the kernel when scraped, under the names Prometheus's
// client libraries use (so dashboards made for them work): resident and virtual memory, CPU time,
// open file descriptors and the start time (uptime is time() - process_start_time_seconds).

#include "app/metrics.h"

namespace depot::cli {

void add_process_metrics(metrics::Registry& registry);

}  // namespace depot::cli
