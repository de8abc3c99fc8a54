// Rules for abnormal orders and their dry run, blacklists, and the geocoder account.
#include <boost/asio/awaitable.hpp>

#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"
#include "http/rule_input.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object geocoder_json(const std::optional<GeocoderConfig>& config) {
  // The key is a credential: it is never echoed, only whether one is set.
  if (!config) return {{"configured", false}, {"url", nullptr}};
  return {{"configured", true}, {"url", config->url}, {"key_set", !config->key.empty()}};
}

}  // namespace

void add_rule_routes(Router& router, RuleService& rules) {
  router.add(Method::post, "/api/v1/rules", Permission::manage,
             [&rules](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Rule rule = read_rule_draft(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Rule> created = co_await await_result<Rule>(
                   [&](auto done) { rules.create(req.actor, std::move(rule), std::move(done)); });
               if (!created.ok()) co_return problem(created.error());
               co_return json_response(201, to_json(*created, ""))
                   .with_header("Location", "/api/v1/rules/" + std::to_string(created->id));
             });

  router.add(Method::get, "/api/v1/rules", [&rules](Request& req) -> asio::awaitable<Response> {
    Result<std::vector<RuleView>> found = rules.list(req.actor);
    if (!found.ok()) co_return problem(found.error());
    json::array items;
    for (const RuleView& view : *found) items.push_back(to_json(view.rule, view.last_error));
    co_return json_response(200, json::object{{"items", std::move(items)}});
  });

  router.add(Method::get, "/api/v1/rules/{id}",
             [&rules](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "rule");
               if (!id.ok()) co_return problem(id.error());
               Result<RuleView> found = rules.get(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(found->rule, found->last_error));
             });

  router.add(Method::patch, "/api/v1/rules/{id}", Permission::manage,
             [&rules](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "rule");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               RulePatch patch = read_rule_patch(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Rule> saved = co_await await_result<Rule>([&](auto done) {
                 rules.update(req.actor, *id, std::move(patch), std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved, ""));
             });

  router.add(Method::del, "/api/v1/rules/{id}", Permission::manage,
             [&rules](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "rule");
               if (!id.ok()) co_return problem(id.error());
               Result<bool> removed = co_await await_result<bool>(
                   [&](auto done) { rules.remove(req.actor, *id, std::move(done)); });
               if (!removed.ok()) co_return problem(removed.error());
               co_return no_content();
             });

  router.add(Method::post, "/api/v1/rules/dry-run", Permission::manage,
             [&rules](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               DryRunInput input = read_dry_run(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<DryRun> run = rules.dry_run(
                   req.actor, input.expression,
                   static_cast<int>(std::clamp<std::int64_t>(input.limit, INT32_MIN, INT32_MAX)));
               if (!run.ok()) co_return problem(run.error());
               Disclosure contact = contact_disclosure(req.actor.role, ContactView::list);
               json::array matches;
               for (const DryRunMatch& m : run->matches) {
                 const Order& o = m.order;
                 std::string phone = disclose_phone(o.customer.phone, contact);
                 matches.push_back(json::object{{"order_id", o.id},
                                                {"order_no", o.order_no},
                                                {"status", to_string(o.status)},
                                                {"total", o.total},
                                                {"phone", phone},
                                                {"province", o.shipping_address.province},
                                                {"created_at", format_instant(o.created_at)}});
               }
               json::array failures;
               for (const auto& [order_id, message] : run->errors) {
                 failures.push_back(json::object{{"order_id", order_id}, {"message", message}});
               }
               co_return json_response(200, json::object{{"evaluated", run->evaluated},
                                                         {"matches", std::move(matches)},
                                                         {"errors", std::move(failures)}});
             });

  router.add(Method::get, "/api/v1/blacklist", [&rules](Request& req) -> asio::awaitable<Response> {
    Result<std::vector<BlacklistEntry>> found = rules.blacklist(req.actor, query_text(req, "list"));
    if (!found.ok()) co_return problem(found.error());
    json::array items;
    for (const BlacklistEntry& e : *found) items.push_back(to_json(e));
    co_return json_response(200, json::object{{"items", std::move(items)}});
  });

  router.add(Method::post, "/api/v1/blacklist", Permission::manage,
             [&rules](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               BlacklistEntry entry = read_blacklist_entry(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<BlacklistEntry> added = co_await await_result<BlacklistEntry>([&](auto done) {
                 rules.add_to_blacklist(req.actor, std::move(entry), std::move(done));
               });
               if (!added.ok()) co_return problem(added.error());
               co_return json_response(201, to_json(*added));
             });

  router.add(Method::del, "/api/v1/blacklist", Permission::manage,
             [&rules](Request& req) -> asio::awaitable<Response> {
               std::string list = query_text(req, "list");
               std::string value = query_text(req, "value");
               if (value.empty()) co_return problem(invalid_field("value", "is required"));
               Result<bool> removed = co_await await_result<bool>([&](auto done) {
                 rules.remove_from_blacklist(req.actor, list, value, std::move(done));
               });
               if (!removed.ok()) co_return problem(removed.error());
               co_return no_content();
             });

  router.add(Method::get, "/api/v1/geocoder", [&rules](Request& req) -> asio::awaitable<Response> {
    Result<std::optional<GeocoderConfig>> config = rules.geocoder(req.actor);
    if (!config.ok()) co_return problem(config.error());
    co_return json_response(200, geocoder_json(*config));
  });

  router.add(Method::put, "/api/v1/geocoder", Permission::manage,
             [&rules](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               GeocoderConfig config = read_geocoder_config(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<std::optional<GeocoderConfig>> saved =
                   co_await await_result<std::optional<GeocoderConfig>>([&](auto done) {
                     rules.set_geocoder(req.actor, std::move(config), std::move(done));
                   });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, geocoder_json(*saved));
             });

  router.add(Method::del, "/api/v1/geocoder", Permission::manage,
             [&rules](Request& req) -> asio::awaitable<Response> {
               Result<std::optional<GeocoderConfig>> saved =
                   co_await await_result<std::optional<GeocoderConfig>>([&](auto done) {
                     rules.set_geocoder(req.actor, std::nullopt, std::move(done));
                   });
               if (!saved.ok()) co_return problem(saved.error());
               co_return no_content();
             });
}

}  // namespace depot::http
