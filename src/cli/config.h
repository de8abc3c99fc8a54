#pragma once
// Server configuration: defaults, then a JSON file (--config), then DEPOT_* environment
// variables, then command-line flags; later sources win.

#include <cstdint>
#include <string>

namespace depot::cli {

// A provider timeout stays under the 2-minute lease a delivery or subscription holds while it is
// sent, so a hung send is never sent again beside itself.
inline constexpr std::int64_t kLongestProviderTimeoutSeconds = 100;

struct ServeConfig {
  std::string data_dir = "./data";
  // Empty: the SQLite file in data_dir. postgresql://…: a PostgreSQL database, which several
  // nodes may share.
  std::string db;
  std::string listen = "127.0.0.1:8080";
  // This node's name among the nodes on one store, the same across its restarts; empty: the
  // machine's host name and the port of `listen`.
  std::string node;
  std::string web_root;  // empty: web/dist beside the build directory
  int threads = 0;       // 0: one per core
  std::int64_t sweep_interval_ms = 1000;
  double rate_limit = 0;  // requests per second per key; 0 turns the limit off
  std::string log_level = "info";
  std::string log_format = "text";  // "text", or "json": one JSON object per line
  // When set, GET /metrics answers only `Authorization: Bearer <metrics_token>`.
  std::string metrics_token;
  // An export of at most this many rows is answered with its file; a larger one with a job.
  std::int64_t export_inline_rows = 10'000;
  // How long a console login lasts.
  std::int64_t session_minutes = 12 * 60;
  // Slow and stuck clients (see docs/operations.md): seconds for a request's header, for its
  // body, and for a kept-alive connection to send its next request.
  std::int64_t header_timeout_seconds = 10;
  std::int64_t body_timeout_seconds = 60;
  std::int64_t idle_timeout_seconds = 30;
  // Connections open at once; 0: from the open-file limit (at most 10,000).
  std::int64_t max_connections = 0;
  // Providers that hang (see docs/operations.md): seconds one mail's SMTP exchange may take,
  // from connecting to the last reply, and one request to the tracking aggregator. At most
  // kLongestProviderTimeoutSeconds.
  std::int64_t smtp_timeout_seconds = 60;
  std::int64_t tracking_timeout_seconds = 10;
  bool demo = false;
  // Off: events still enter the outbox, but no notification or webhook is sent until a server
  // with dispatch on starts. For a copy of production data (staging, a restored backup) that
  // must not message real customers.
  bool dispatch = true;
};

// Reads `path` (a JSON object with the field names above) into `config`; throws on bad input.
void load_config_file(const std::string& path, ServeConfig& config);

// The web/dist directory next to the build directory that holds the running binary.
std::string default_web_root();

}  // namespace depot::cli
