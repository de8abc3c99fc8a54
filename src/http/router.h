#pragma once
// Maps method + path pattern ("/api/v1/orders/{id}") to a handler, checks who is acting on routes
// that need it (an API key as a bearer token, or the console's session cookie with its CSRF token
// on writes), and enforces the per-key request rate. Routes are added at start-up only;
// dispatch() is then safe from any thread.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/access_service.h"
#include "concurrency/mutex.h"
#include "http/message.h"

namespace depot::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

// public_: anyone. signed_in: an API key (Authorization: Bearer) or a console session (the
// `depot_session` cookie; a write must also carry the session's X-CSRF-Token header).
enum class Access { public_, signed_in };

inline constexpr std::string_view kSessionCookie = "depot_session";
// The value of cookie `name` in the request's Cookie header ("" when it has none).
std::string cookie_value(const Request& request, std::string_view name);

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
  Mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_ GUARDED_BY(mutex_);
};

class Router {
 public:
  Router(AccessService& access, RateLimiter& limiter) : access_(access), limiter_(limiter) {}

  // A route that needs someone signed in whose role allows reading, or no one at all.
  void add(Method method, std::string pattern, Handler handler, Access access = Access::signed_in);
  // A route that needs someone signed in whose role allows `permission`: checked before the
  // handler runs, so a refused role gets 403 whatever its request holds.
  void add(Method method, std::string pattern, Permission permission, Handler handler);
  // Runs the routes' handlers, with the check of who is acting, on `pool` rather than on the
  // request's own thread: for a store across the network, where every read is a round trip that
  // would otherwise hold a request thread. Set at start-up, before the first request.
  void run_handlers_on(boost::asio::thread_pool& pool) { handler_pool_ = &pool; }
  // Answers GET and HEAD requests whose path no route has (the console's client-side routes).
  void fallback(Handler handler) { fallback_ = std::move(handler); }
  // Lets the requests of the route `method` + `pattern` (added before) carry a body of up to
  // `bytes` instead of the server's own limit: an upload whose file has the API's size limit
  // comes in a larger multipart envelope.
  void allow_body(Method method, const std::string& pattern, std::size_t bytes);
  // The body limit of a request to `path` (undecoded target without its query): its route's
  // own, or `otherwise`. Read before the body, from the header alone.
  std::size_t body_limit(Method method, std::string_view path, std::size_t otherwise) const;
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
    std::size_t max_body_bytes = 0;  // 0: the server's limit
  };
  static bool match(const Route& route, const std::vector<std::string_view>& segments,
                    std::map<std::string, std::string>& params);
  Result<Actor> authenticate(const Request& request);
  // Checks who is acting (when the route needs someone) and runs the route's handler.
  boost::asio::awaitable<Response> answer(const Route& route, Request& request);

  AccessService& access_;
  RateLimiter& limiter_;
  std::vector<Route> routes_;
  Handler fallback_;
  boost::asio::thread_pool* handler_pool_ = nullptr;
};

}  // namespace depot::http
