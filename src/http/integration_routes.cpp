// Platform connections, the platforms' signed order webhooks and bulk order imports (INT-2).
#include <boost/asio/awaitable.hpp>

#include <charconv>

#include "http/await.h"
#include "http/csv.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/order_csv.h"
#include "http/platform_orders.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object to_json(const IntegrationView& view) {
  const Integration& i = view.integration;
  json::object out{{"id", i.id},
                   {"platform", i.platform},
                   {"name", i.name},
                   {"webhook_url", view.webhook_url},
                   {"callback_url", i.callback_url},
                   {"access_token_set", view.access_token_set},
                   {"created_at", format_instant(i.created_at)}};
  if (!i.secret.empty()) out["secret"] = i.secret;
  return out;
}

std::optional<std::int64_t> positive_number(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

void add_integration_routes(Router& router, IntegrationService& integrations,
                            OrderImports& order_imports) {
  router.add(Method::post, "/api/v1/integrations", Permission::manage,
             [&integrations](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"platform", "name", "secret"});
               IntegrationInput input;
               input.platform = f.text("platform", true, 32).value_or("");
               input.name = f.text("name", true, 400).value_or("");
               input.secret = f.text("secret", false, 400).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<IntegrationView> created =
                   co_await await_result<IntegrationView>([&](auto done) {
                     integrations.create(req.actor, std::move(input), std::move(done));
                   });
               if (!created.ok()) co_return problem(created.error());
               co_return json_response(201, to_json(*created))
                   .with_header("Location",
                                "/api/v1/integrations/" + std::to_string(created->integration.id));
             });

  router.add(Method::get, "/api/v1/integrations", Permission::manage,
             [&integrations](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<IntegrationView>> found = integrations.list(req.actor);
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const IntegrationView& view : *found) items.push_back(to_json(view));
               co_return json_response(200, json::object{{"items", std::move(items)}});
             });

  router.add(Method::get, "/api/v1/integrations/{id}", Permission::manage,
             [&integrations](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "integration");
               if (!id.ok()) co_return problem(id.error());
               Result<IntegrationView> found = integrations.get(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::patch, "/api/v1/integrations/{id}", Permission::manage,
             [&integrations](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "integration");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"name", "callback_url", "access_token"});
               f.reject_nulls();
               IntegrationPatch patch;
               patch.name = f.text("name", false, 400);
               patch.callback_url = f.text("callback_url", false, 4096);
               patch.access_token = f.text("access_token", false, 400);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<IntegrationView> updated =
                   co_await await_result<IntegrationView>([&](auto done) {
                     integrations.update(req.actor, *id, std::move(patch), std::move(done));
                   });
               if (!updated.ok()) co_return problem(updated.error());
               co_return json_response(200, to_json(*updated));
             });

  router.add(Method::del, "/api/v1/integrations/{id}", Permission::manage,
             [&integrations](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "integration");
               if (!id.ok()) co_return problem(id.error());
               Result<bool> removed = co_await await_result<bool>(
                   [&](auto done) { integrations.remove(req.actor, *id, std::move(done)); });
               if (!removed.ok()) co_return problem(removed.error());
               co_return no_content();
             });

  // Where a platform delivers its orders: no API key (a platform has none); the signature over
  // the raw body, checked before anything of the body is read, proves the sender.
  router.add(
      Method::post, "/api/v1/hooks/platforms/{tenant}/{id}",
      [&integrations](Request& req) -> asio::awaitable<Response> {
        std::optional<std::int64_t> tenant = positive_number(req.params.at("tenant"));
        std::optional<std::int64_t> id = positive_number(req.params.at("id"));
        if (!tenant || !id) {
          co_return problem(error(ErrorCode::not_found, "no such webhook address"));
        }
        Result<Integration> integration = integrations.authenticate(
            *tenant, *id,
            DeliverySignature{req.header("x-depot-signature"), req.header("x-shopify-hmac-sha256")},
            req.body);
        if (!integration.ok()) co_return problem(integration.error());
        Result<PlatformTopic> topic = read_topic(req);
        if (!topic.ok()) co_return problem(topic.error());
        Result<json::object> body = parse_object(req);
        if (!body.ok()) co_return problem(body.error());
        Result<PlatformReading> reading = read_platform_order(integration->platform, *body);
        if (!reading.ok()) co_return problem(reading.error());
        Result<SyncedOrder> synced = co_await await_result<SyncedOrder>([&](auto done) {
          integrations.deliver(*tenant, *integration, *topic, reading->order, std::move(done));
        });
        if (!synced.ok()) {
          co_return problem(in_platform_terms(integration->platform, *reading, synced.error()));
        }
        // The platform sent these details itself: it sees them in full.
        const Order& order = synced->order;
        Response response =
            json_response(synced->created ? 201 : 200, to_json(order, true, Disclosure::full));
        response.with_header("ETag", "\"" + std::to_string(order.version) + "\"");
        co_return response.with_header("Location", "/api/v1/orders/" + std::to_string(order.id));
      },
      Access::public_);

  router.add(Method::post, "/api/v1/orders/import", Permission::create_orders,
             [&order_imports](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<CsvRow>> records = csv_records(req);
               if (!records.ok()) co_return problem(records.error());
               Result<std::vector<OrderImportRow>> rows = read_order_rows(*records);
               if (!rows.ok()) co_return problem(rows.error());
               Result<ImportJob> job = co_await await_result<ImportJob>([&](auto done) {
                 order_imports.start(req.actor, std::move(*rows), std::move(done));
               });
               if (!job.ok()) co_return problem(job.error());
               std::string location = "/api/v1/orders/imports/" + std::to_string(job->id);
               co_return json_response(202, json::object{{"id", job->id},
                                                         {"kind", to_string(job->kind)},
                                                         {"status", to_string(job->status)},
                                                         {"total", job->total}})
                   .with_header("Location", location);
             });

  router.add(Method::get, "/api/v1/orders/imports/{id}",
             [&order_imports](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "import");
               if (!id.ok()) co_return problem(id.error());
               Result<ImportReport> report = order_imports.report(req.actor, *id);
               if (!report.ok()) co_return problem(report.error());
               co_return json_response(200, to_json(*report));
             });
}

}  // namespace depot::http
