// The audit log (SEC-3): every write, newest first, for one object or all of them.
#include <boost/asio/awaitable.hpp>

#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object to_json(const AuditEntry& entry) {
  json::array changes;
  for (const FieldChange& change : entry.changes) {
    changes.push_back(
        json::object{{"field", change.field}, {"before", change.before}, {"after", change.after}});
  }
  return {
      {"id", entry.id},         {"actor", entry.actor},           {"action", entry.action},
      {"object", entry.object}, {"at", format_instant(entry.at)}, {"changes", std::move(changes)}};
}

}  // namespace

void add_audit_routes(Router& router, AuditLog& audit) {
  router.add(Method::get, "/api/v1/audit", Permission::read_audit,
             [&audit](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> cursor = query_integer(req, "cursor", 0, 0, INT64_MAX);
               if (!cursor.ok()) co_return problem(cursor.error());
               Result<std::int64_t> limit = query_integer(req, "limit", 50, INT32_MIN, INT32_MAX);
               if (!limit.ok()) co_return problem(limit.error());
               AuditQuery query{query_text(req, "object"), *cursor, static_cast<int>(*limit)};
               Result<AuditPage> found = audit.list(req.actor, std::move(query));
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const AuditEntry& entry : found->items) items.push_back(to_json(entry));
               std::string next =
                   found->next_before_id ? std::to_string(found->next_before_id) : "";
               co_return json_response(200, page(std::move(items), next));
             });
}

}  // namespace depot::http
