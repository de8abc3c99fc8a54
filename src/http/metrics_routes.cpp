// GET /metrics: the Prometheus text exposition of the process's metrics. Open by default, as
// Prometheus scrapes without credentials: label values are route patterns, methods, statuses,
// channels, outcomes and alert kinds, never an id, a customer's data or a merchant's secret. A
// deployment that wants it closed sets a bearer token.
#include <openssl/crypto.h>

#include <boost/asio/awaitable.hpp>

#include "http/metrics_exposition.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;

namespace {

bool bearer_matches(const Request& request, const std::string& token) {
  std::string header = request.header("authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() != kScheme.size() + token.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return false;
    }
  }
  return CRYPTO_memcmp(header.data() + kScheme.size(), token.data(), token.size()) == 0;
}

}  // namespace

void add_metrics_routes(Router& router, const metrics::Registry& registry,
                        std::string bearer_token) {
  router.add(
      Method::get, "/metrics",
      [&registry, token = std::move(bearer_token)](Request& req) -> asio::awaitable<Response> {
        if (!token.empty() && !bearer_matches(req, token)) {
          co_return problem(error(ErrorCode::unauthenticated, "the metrics token is required"))
              .with_header("WWW-Authenticate", "Bearer realm=\"metrics\"");
        }
        co_return Response{200,
                           std::string(kPrometheusTextType),
                           prometheus_text(registry.snapshot()),
                           {{"Cache-Control", "no-store"}}};
      },
      Access::public_);
}

}  // namespace depot::http
