// Signing in to the console and managing who may act (SPEC SEC-1, SEC-2): POST/GET/DELETE
// /api/v1/session, the owner's users (/api/v1/users) and API keys (/api/v1/keys), and the
// division tree that the console's address picker walks (/api/v1/divisions).
#include <boost/json.hpp>

#include "domain/divisions.h"
#include "http/blocking.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object to_json(const LiveSession& session) {
  json::array permissions;
  for (Permission permission : kAllPermissions) {
    if (allows(session.actor.role, permission)) permissions.emplace_back(to_string(permission));
  }
  return {{"user",
           {{"id", session.user_id},
            {"email", session.email},
            {"role", to_string(session.actor.role)}}},
          {"tenant", {{"slug", session.tenant_slug}}},
          {"permissions", std::move(permissions)},
          {"csrf_token", session.csrf_token},
          {"expires_at", format_instant(session.expires_at)}};
}

json::object to_json(const UserRecord& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"role", to_string(user.role)},
          {"created_at", format_instant(user.created_at)},
          {"last_login_at", user.last_login_at ? json::value(format_instant(*user.last_login_at))
                                               : json::value(nullptr)}};
}

json::object to_json(const ApiKeyInfo& key) {
  return {{"id", key.id},
          {"prefix", key.prefix},
          {"role", to_string(key.role)},
          {"created_at", format_instant(key.created_at)}};
}

// The session cookie: HttpOnly (no script reads it), SameSite=Lax (no cross-site write sends
// it), Secure when the client reached depot over HTTPS through a proxy.
std::string session_cookie(const Request& request, const std::string& token,
                           std::chrono::seconds max_age) {
  std::string cookie =
      std::string(kSessionCookie) + "=" + token +
      "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age.count());
  if (request.header("x-forwarded-proto") == "https") cookie += "; Secure";
  return cookie;
}

}  // namespace

void add_access_routes(Router& router, AccessService& access, UserService& users,
                       SessionService& sessions, asio::thread_pool& pool) {
  router.add(
      Method::post, "/api/v1/session",
      [&sessions, &pool](Request& req) -> asio::awaitable<Response> {
        Result<json::object> body = parse_object(req);
        if (!body.ok()) co_return problem(body.error());
        std::vector<FieldError> errors;
        Fields f(*body, "", errors);
        f.reject_unknown({"email", "password"});
        std::string email = f.text("email", true, 254).value_or("");
        std::string password = f.text("password", true, 1024).value_or("");
        if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
        Result<NewSession> created = co_await run_blocking<NewSession>(
            pool, [&] { return sessions.log_in(email, password, req.client_address); });
        if (!created.ok()) {
          Response refused = problem(created.error());
          if (created.error().code == ErrorCode::rate_limited) {
            auto wait = sessions.wait_before(email, req.client_address);
            refused.with_header("Retry-After", std::to_string(wait ? wait->count() : 1));
          }
          co_return refused;
        }
        auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
            created->session.expires_at - std::chrono::system_clock::now());
        co_return json_response(200, to_json(created->session))
            .with_header("Set-Cookie", session_cookie(req, created->token, lifetime))
            .with_header("Cache-Control", "no-store");
      },
      Access::public_);

  router.add(
      Method::get, "/api/v1/session",
      [&access](Request& req) -> asio::awaitable<Response> {
        Result<LiveSession> session =
            access.authenticate_session(cookie_value(req, kSessionCookie));
        if (!session.ok()) co_return problem(session.error());
        co_return json_response(200, to_json(*session)).with_header("Cache-Control", "no-store");
      },
      Access::public_);

  router.add(Method::del, "/api/v1/session",
             [&sessions, &pool](Request& req) -> asio::awaitable<Response> {
               std::string token = cookie_value(req, kSessionCookie);
               Result<bool> ended = co_await run_blocking<bool>(pool, [&]() -> Result<bool> {
                 Status status = sessions.log_out(token);
                 if (!status.ok()) return status.error();
                 return true;
               });
               if (!ended.ok()) co_return problem(ended.error());
               co_return no_content().with_header("Set-Cookie",
                                                  session_cookie(req, "", std::chrono::seconds(0)));
             });

  router.add(Method::get, "/api/v1/users", Permission::manage,
             [&users](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<UserRecord>> list = users.list(req.actor);
               if (!list.ok()) co_return problem(list.error());
               json::array items;
               for (const UserRecord& user : *list) items.push_back(to_json(user));
               co_return json_response(200, json::object{{"items", std::move(items)}});
             });

  router.add(
      Method::post, "/api/v1/users", Permission::manage,
      [&users, &pool](Request& req) -> asio::awaitable<Response> {
        Result<json::object> body = parse_object(req);
        if (!body.ok()) co_return problem(body.error());
        std::vector<FieldError> errors;
        Fields f(*body, "", errors);
        f.reject_unknown({"email", "role", "password"});
        NewUser user{f.text("email", true, 254).value_or(""), f.text("role", true, 16).value_or(""),
                     f.text("password", true, 1024).value_or("")};
        if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
        Result<UserRecord> created =
            co_await run_blocking<UserRecord>(pool, [&] { return users.create(req.actor, user); });
        if (!created.ok()) co_return problem(created.error());
        co_return json_response(201, to_json(*created));
      });

  router.add(Method::patch, "/api/v1/users/{id}", Permission::manage,
             [&users, &pool](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "user");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"role", "password"});
               f.reject_nulls();
               UserChange change{f.text("role", false, 16), f.text("password", false, 1024)};
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<UserRecord> changed = co_await run_blocking<UserRecord>(
                   pool, [&] { return users.change(req.actor, *id, change); });
               if (!changed.ok()) co_return problem(changed.error());
               co_return json_response(200, to_json(*changed));
             });

  router.add(Method::del, "/api/v1/users/{id}", Permission::manage,
             [&users, &pool](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "user");
               if (!id.ok()) co_return problem(id.error());
               Result<bool> removed = co_await run_blocking<bool>(pool, [&]() -> Result<bool> {
                 Status status = users.remove(req.actor, *id);
                 if (!status.ok()) return status.error();
                 return true;
               });
               if (!removed.ok()) co_return problem(removed.error());
               co_return no_content();
             });

  router.add(Method::get, "/api/v1/keys", Permission::manage,
             [&access](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<ApiKeyInfo>> keys = access.list_keys(req.actor);
               if (!keys.ok()) co_return problem(keys.error());
               json::array items;
               for (const ApiKeyInfo& key : *keys) items.push_back(to_json(key));
               co_return json_response(200, json::object{{"items", std::move(items)}});
             });

  router.add(Method::post, "/api/v1/keys", Permission::manage,
             [&access, &pool](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"role"});
               std::string role = f.text("role", true, 16).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<CreatedKey> created = co_await run_blocking<CreatedKey>(
                   pool, [&] { return access.create_key(req.actor, role); });
               if (!created.ok()) co_return problem(created.error());
               json::object shown = to_json(created->info);
               shown["key"] = created->key;
               co_return json_response(201, shown).with_header("Cache-Control", "no-store");
             });

  router.add(Method::del, "/api/v1/keys/{id}", Permission::manage,
             [&access, &pool](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "key");
               if (!id.ok()) co_return problem(id.error());
               Result<bool> revoked = co_await run_blocking<bool>(pool, [&]() -> Result<bool> {
                 Status status = access.revoke_key(req.actor, *id);
                 if (!status.ok()) return status.error();
                 return true;
               });
               if (!revoked.ok()) co_return problem(revoked.error());
               co_return no_content();
             });

  router.add(Method::get, "/api/v1/divisions", [](Request& req) -> asio::awaitable<Response> {
    auto parent = req.query.find("parent");
    std::optional<std::vector<DivisionChoice>> choices =
        division_choices(parent == req.query.end() ? "" : parent->second);
    if (!choices) co_return problem(invalid_field("parent", "names no province or city"));
    json::array items;
    for (const DivisionChoice& choice : *choices) {
      items.push_back({{"code", choice.code}, {"name", choice.name}, {"leaf", choice.leaf}});
    }
    co_return json_response(200,
                            json::object{{"items", std::move(items)}, {"source", kDivisionsSource}})
        .with_header("Cache-Control", "private, max-age=86400");
  });
}

}  // namespace depot::http
