#pragma once
// Maps method + path pattern ("/api/v1/orders/{id}") to a handler, checks the API key of routes
// that need one, and enforces the per-key request rate. Routes are added at start-up only;
// dispatch() is then safe from any thread.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/access_service.h"
#include "http/message.h"

namespace depot::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

enum class Access { public_, key };

std::string_view to_string(Method method);

// A token bucket per key: `rate` requests a second on average, bursts of up to `burst`.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  bool enabled() const { return rate_ > 0; }
  // True when the request may go ahead; otherwise `retry_after` is how long to wait.
  bool admit(const std::string& key, std::chrono::steady_clock::time_point now,
             std::chrono::seconds& retry_after);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mutex_)
};

class Router {
 public:
  Router(AccessService& access, RateLimiter& limiter) : access_(access), limiter_(limiter) {}

  // A route that needs a key whose role has no more than read access, or no key at all.
  void add(Method method, std::string pattern, Handler handler, Access access = Access::key);
  // A route that needs a key whose role allows `permission`: checked before the handler runs, so
  // a refused role gets 403 whatever its request holds.
  void add(Method method, std::string pattern, Permission permission, Handler handler);
  // Answers the request with the first route whose pattern and method match, and sets
  // request.route to the pattern that matched its path (for metrics and the access log).
  boost::asio::awaitable<Response> dispatch(Request& request);

  struct RouteInfo {
    Method method;
    std::string pattern;
    Access access;
    Permission permission;
  };
  std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    Access access;
    Permission permission;
  };
  static bool match(const Route& route, const std::vector<std::string_view>& segments,
                    std::map<std::string, std::string>& params);

  AccessService& access_;
  RateLimiter& limiter_;
  std::vector<Route> routes_;
};

}  // namespace depot::http
