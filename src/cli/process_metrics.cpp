#include "cli/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace depot::cli {

namespace {

struct Memory {
  double resident_bytes = 0;
  double virtual_bytes = 0;
};

// /proc/self/statm: sizes in pages, the program's total first and what is resident second.
Memory memory() {
  std::ifstream statm("/proc/self/statm");
  double total_pages = 0;
  double resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages)) return {};
  double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  return {resident_pages * page, total_pages * page};
}

double cpu_seconds() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double open_fds() {
  std::error_code ec;
  double count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++count;
  }
  return count;
}

}  // namespace

void add_process_metrics(metrics::Registry& registry) {
  double started =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  registry.computed(
      {
          {"process_resident_memory_bytes",
           "Resident memory size in bytes.",
           metrics::MetricType::gauge,
           {}},
          {"process_virtual_memory_bytes",
           "Virtual memory size in bytes.",
           metrics::MetricType::gauge,
           {}},
          {"process_cpu_seconds_total",
           "User and system CPU time spent, in seconds.",
           metrics::MetricType::counter,
           {}},
          {"process_open_fds", "Open file descriptors.", metrics::MetricType::gauge, {}},
          {"process_start_time_seconds",
           "Start time of the process since the Unix epoch, in "
           "seconds.",
           metrics::MetricType::gauge,
           {}},
      },
      [started] {
        Memory now = memory();
        return std::vector<std::vector<metrics::Sample>>{
            {{{}, now.resident_bytes}}, {{{}, now.virtual_bytes}}, {{{}, cpu_seconds()}},
            {{{}, open_fds()}},         {{{}, started}},
        };
      });
}

}  // namespace depot::cli
