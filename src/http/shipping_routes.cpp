// Shipments, release of held orders, shipping reminders, bulk imports and the carrier table.
#include <boost/asio/awaitable.hpp>

#include "domain/carriers.h"
#include "http/await.h"
#include "http/import_rows.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

ShipCommand read_shipment(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"carrier", "tracking_no", "shipped_at", "lines"});
  ShipCommand command;
  command.carrier = f.text("carrier", true, 32).value_or("");
  command.tracking_no = f.text("tracking_no", true, 64).value_or("");
  command.shipped_at = f.instant("shipped_at");
  command.lines = read_sku_lines<ShipmentLine>(f, "lines", false, errors);
  const json::value* lines = body.if_contains("lines");
  if (lines != nullptr && lines->is_array() && lines->get_array().empty()) {
    errors.push_back({"lines", "must hold at least one line when given"});
  }
  return command;
}

}  // namespace

void add_shipping_routes(Router& router, ShippingService& shipping, ShipmentImports& imports) {
  router.add(Method::post, "/api/v1/orders/{id}/shipments", Permission::ship_orders,
             [&shipping](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               ShipCommand command = read_shipment(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Shipped> shipped = co_await await_result<Shipped>([&](auto done) {
                 shipping.ship(req.actor, *id, std::move(command), std::move(done));
               });
               if (!shipped.ok()) co_return problem(shipped.error());
               Response response =
                   json_response(shipped->created ? 201 : 200, to_json(shipped->shipment));
               co_return response.with_header(
                   "Location", "/api/v1/orders/" + std::to_string(*id) + "/shipments");
             });

  router.add(Method::get, "/api/v1/orders/{id}/shipments",
             [&shipping](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<std::vector<Shipment>> found = shipping.shipments(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const Shipment& s : *found) items.push_back(to_json(s));
               co_return json_response(200, json::object{{"items", std::move(items)}});
             });

  router.add(Method::post, "/api/v1/orders/{id}/release", Permission::ship_orders,
             [&shipping](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               ReleaseCommand command;
               if (!req.body.empty()) {
                 Result<json::object> body = parse_object(req);
                 if (!body.ok()) co_return problem(body.error());
                 std::vector<FieldError> errors;
                 Fields f(*body, "", errors);
                 f.reject_unknown({"overrides", "reason"});
                 command.overrides = f.text_list("overrides").value_or(std::vector<std::string>{});
                 command.reason = f.text("reason", false, 500).value_or("");
                 if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               }
               Result<Order> released = co_await await_result<Order>([&](auto done) {
                 shipping.release(req.actor, *id, std::move(command), std::move(done));
               });
               if (!released.ok()) co_return problem(released.error());
               Disclosure contact = contact_disclosure(req.actor.role, ContactView::record);
               co_return json_response(200, to_json(*released, true, contact))
                   .with_header("ETag", "\"" + std::to_string(released->version) + "\"");
             });

  router.add(Method::get, "/api/v1/shipping/reminders",
             [&shipping](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> limit = query_integer(req, "limit", 100, INT32_MIN, INT32_MAX);
               if (!limit.ok()) co_return problem(limit.error());
               auto cursor = req.query.find("cursor");
               Result<ReminderPage> found = shipping.reminders(
                   req.actor, cursor == req.query.end() ? std::string() : cursor->second,
                   static_cast<int>(*limit));
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const Reminder& r : found->items) {
                 items.push_back(json::object{{"order_id", r.order.id},
                                              {"order_no", r.order.order_no},
                                              {"status", to_string(r.order.status)},
                                              {"due_at", format_instant(r.due_at)},
                                              {"state", to_string(r.level)}});
               }
               co_return json_response(200, page(std::move(items), found->next_cursor));
             });

  router.add(Method::post, "/api/v1/shipments/import", Permission::ship_orders,
             [&imports](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<CsvRow>> records = csv_records(req);
               if (!records.ok()) co_return problem(records.error());
               std::vector<ImportRow> rows = read_import_rows(*records);
               Result<ImportJob> job = co_await await_result<ImportJob>(
                   [&](auto done) { imports.start(req.actor, std::move(rows), std::move(done)); });
               if (!job.ok()) co_return problem(job.error());
               std::string location = "/api/v1/shipments/imports/" + std::to_string(job->id);
               co_return json_response(202, json::object{{"id", job->id},
                                                         {"status", to_string(job->status)},
                                                         {"total", job->total}})
                   .with_header("Location", location);
             });

  router.add(Method::get, "/api/v1/shipments/imports/{id}",
             [&imports](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "import");
               if (!id.ok()) co_return problem(id.error());
               Result<ImportReport> report = imports.report(req.actor, *id);
               if (!report.ok()) co_return problem(report.error());
               co_return json_response(200, to_json(*report));
             });

  router.add(Method::get, "/api/v1/carriers", [](Request&) -> asio::awaitable<Response> {
    json::array items;
    for (const Carrier& c : all_carriers()) {
      items.push_back(json::object{{"code", c.code},
                                   {"kuaidi100", c.kuaidi100},
                                   {"name_zh", c.name_zh},
                                   {"name_en", c.name_en},
                                   {"tracking_format", c.tracking_format}});
    }
    co_return json_response(200, json::object{{"items", std::move(items)}});
  });
}

}  // namespace depot::http
