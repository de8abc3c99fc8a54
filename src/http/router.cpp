#include "http/router.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <optional>

#include "app/session_service.h"
#include "http/problem.h"
#include "http/url.h"

namespace depot::http {

namespace {

// Percent-escapes may decode to bytes that are no text. Such a path names nothing, and quoting it
// (or such a query value) back in an answer would make the answer invalid JSON.
std::optional<Response> undecodable(const Request& request) {
  constexpr const char* kNotText = "is not UTF-8 text once percent-decoded";
  if (!is_valid_utf8(request.path)) {
    return problem(error(ErrorCode::not_found, std::string("the path ") + kNotText));
  }
  for (const auto& [name, value] : request.query) {
    if (!is_valid_utf8(name)) return problem(invalid_field("query", kNotText));
    if (!is_valid_utf8(value)) return problem(invalid_field(name, kNotText));
  }
  return std::nullopt;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

std::string bearer_key(const Request& request) {
  std::string header = request.header("authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size()) return {};
  std::string scheme = header.substr(0, kScheme.size());
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), ::tolower);
  if (scheme != "bearer ") return {};
  return header.substr(kScheme.size());
}

bool is_write(Method method) {
  return method != Method::get && method != Method::head && method != Method::options;
}

}  // namespace

std::string cookie_value(const Request& request, std::string_view name) {
  std::string whole = request.header("cookie");
  std::string_view header = whole;
  while (!header.empty()) {
    std::size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
  }
  return {};
}

std::string_view to_string(Method method) {
  switch (method) {
    case Method::get:
      return "GET";
    case Method::post:
      return "POST";
    case Method::patch:
      return "PATCH";
    case Method::put:
      return "PUT";
    case Method::del:
      return "DELETE";
    case Method::head:
      return "HEAD";
    case Method::options:
      return "OPTIONS";
    case Method::other:
      return "OTHER";
  }
  return "OTHER";
}

bool RateLimiter::admit(const std::string& key, std::chrono::steady_clock::time_point now,
                        std::chrono::seconds& retry_after) {
  MutexLock lock(mutex_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  double elapsed = std::chrono::duration<double>(now - bucket.at).count();
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
  bucket.at = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  retry_after = std::chrono::seconds(static_cast<long>((1.0 - bucket.tokens) / rate_) + 1);
  return false;
}

void Router::add(Method method, std::string pattern, Handler handler, Access access) {
  std::vector<std::string> segments;
  for (std::string_view s : split_path(pattern)) segments.emplace_back(s);
  routes_.push_back(Route{method, std::move(pattern), std::move(segments), std::move(handler),
                          access, Permission::read});
}

void Router::add(Method method, std::string pattern, Permission permission, Handler handler) {
  add(method, std::move(pattern), std::move(handler), Access::signed_in);
  routes_.back().permission = permission;
}

void Router::allow_body(Method method, const std::string& pattern, std::size_t bytes) {
  for (Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) route.max_body_bytes = bytes;
  }
}

std::size_t Router::body_limit(Method method, std::string_view path, std::size_t otherwise) const {
  std::vector<std::string_view> segments = split_path(path);
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (route.method != method || !match(route, segments, params)) continue;
    return route.max_body_bytes > 0 ? route.max_body_bytes : otherwise;
  }
  return otherwise;
}

bool Router::match(const Route& route, const std::vector<std::string_view>& segments,
                   std::map<std::string, std::string>& params) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      // No name depot gives out holds a NUL byte, and PostgreSQL's text could not hold one to
      // compare with: such a path names nothing.
      if (segments[i].empty() || segments[i].find('\0') != std::string_view::npos) return false;
      params[want.substr(1, want.size() - 2)] = std::string(segments[i]);
    } else if (want != segments[i]) {
      return false;
    }
  }
  return true;
}

Result<Actor> Router::authenticate(const Request& request) {
  if (!request.header("authorization").empty()) return access_.authenticate(bearer_key(request));
  std::string token = cookie_value(request, kSessionCookie);
  if (token.empty()) {
    return error(ErrorCode::unauthenticated, "an API key or a console session is required");
  }
  Result<LiveSession> session = access_.authenticate_session(token);
  if (!session.ok()) return session.error();
  // A cross-site page can make the browser send the cookie, but cannot read the CSRF token.
  if (is_write(request.method) &&
      !constant_time_equal(request.header("x-csrf-token"), session->csrf_token)) {
    return error(ErrorCode::forbidden,
                 "a write with a console session needs its X-CSRF-Token header (from GET "
                 "/api/v1/session)");
  }
  return session->actor;
}

boost::asio::awaitable<Response> Router::answer(const Route& route, Request& request) {
  if (route.access == Access::signed_in) {
    Result<Actor> actor = authenticate(request);
    if (!actor.ok()) co_return problem(actor.error());
    std::chrono::seconds retry_after{0};
    if (limiter_.enabled() && !limiter_.admit(actor->name + "@" + std::to_string(actor->tenant_id),
                                              std::chrono::steady_clock::now(), retry_after)) {
      co_return problem(error(ErrorCode::rate_limited, "too many requests for this key"))
          .with_header("Retry-After", std::to_string(retry_after.count()));
    }
    if (Status allowed = require(*actor, route.permission); !allowed.ok()) {
      co_return problem(allowed.error());
    }
    request.actor = std::move(*actor);
  }
  co_return co_await route.handler(request);
}

boost::asio::awaitable<Response> Router::dispatch(Request& request) {
  if (std::optional<Response> refused = undecodable(request)) co_return std::move(*refused);
  std::vector<std::string_view> segments = split_path(request.path);
  bool path_known = false;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match(route, segments, params)) continue;
    if (!path_known) request.route = route.pattern;
    path_known = true;
    bool same_method = route.method == request.method ||
                       (route.method == Method::get && request.method == Method::head);
    if (!same_method) continue;
    request.params = std::move(params);
    request.route = route.pattern;
    if (handler_pool_ == nullptr) co_return co_await answer(route, request);
    co_return co_await boost::asio::co_spawn(*handler_pool_, answer(route, request),
                                             boost::asio::use_awaitable);
  }
  bool reads = request.method == Method::get || request.method == Method::head;
  if (!path_known && reads && fallback_) co_return co_await fallback_(request);
  if (path_known) {
    co_return problem(
        405, "Method not allowed",
        std::string(to_string(request.method)) + " is not allowed on " + request.path);
  }
  co_return problem(error(ErrorCode::not_found, "no such endpoint: " + request.path));
}

std::vector<Router::RouteInfo> Router::routes() const {
  std::vector<RouteInfo> list;
  for (const Route& route : routes_) {
    list.push_back({route.method, route.pattern, route.access, route.permission});
  }
  return list;
}

}  // namespace depot::http
