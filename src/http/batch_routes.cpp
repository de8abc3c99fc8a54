// One-click shipping: POST /api/v1/shipments/batch starts a batch (202), GET
// /api/v1/shipments/batches/{id} follows it, GET …/labels.pdf prints it; GET
// /api/v1/orders/{id}/packing-slip.pdf prints one order's packing slip and …/labels.pdf its
// parcels' carrier labels again.
#include <boost/asio/awaitable.hpp>

#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string batch_url(std::int64_t id) { return "/api/v1/shipments/batches/" + std::to_string(id); }

json::object to_json(const BatchReport& report) {
  const ShipmentBatch& b = report.batch;
  json::array errors;
  json::array orders;
  for (const BatchOrder& order : report.orders) {
    json::array reasons;
    for (const std::string& reason : order.reasons) reasons.emplace_back(reason);
    if (order.outcome == BatchOutcome::skipped || order.outcome == BatchOutcome::failed) {
      errors.push_back(json::object{{"order_id", order.order_id},
                                    {"outcome", to_string(order.outcome)},
                                    {"reasons", reasons}});
    }
    orders.push_back(json::object{{"order_id", order.order_id},
                                  {"outcome", to_string(order.outcome)},
                                  {"tracking_no", text_or_null(order.tracking_no)},
                                  {"reasons", std::move(reasons)}});
  }
  bool finished = b.status == BatchStatus::finished;
  return {{"id", b.id},
          {"carrier", b.carrier},
          {"status", to_string(b.status)},
          {"total", b.total},
          {"shipped", b.shipped},
          {"skipped", b.skipped},
          {"failed", b.failed},
          {"errors", std::move(errors)},
          {"orders", std::move(orders)},
          {"labels_url", finished ? json::value(batch_url(b.id) + "/labels.pdf") : nullptr},
          {"actor", b.actor},
          {"created_at", format_instant(b.created_at)},
          {"finished_at", instant_or_null(b.finished_at)}};
}

Response pdf_response(std::string body, const std::string& file_name) {
  Response response{200, "application/pdf", std::move(body), {}};
  response.with_header("Content-Disposition", "inline; filename=\"" + file_name + "\"");
  return response;
}

// The `size` query parameter ("label", "a4"), `fallback` when absent; nothing when unknown.
std::optional<PaperSize> paper_size(const Request& req, PaperSize fallback) {
  std::string text = query_text(req, "size");
  return text.empty() ? fallback : parse_paper_size(text);
}

// The filter of a batch chosen by filter: what GET /api/v1/orders filters by.
OrderQuery read_filter(Fields& f) {
  f.reject_unknown({"platform", "sku", "created_from", "created_to", "limit"});
  OrderQuery query;
  query.platform = f.text("platform", false, 32).value_or("");
  query.sku = f.text("sku", false, 64).value_or("");
  query.created_from = f.instant("created_from");
  query.created_to = f.instant("created_to");
  query.limit = static_cast<int>(
      f.integer("limit").value_or(static_cast<std::int64_t>(BatchShipping::kMaxOrders)));
  if (query.limit < 1 || query.limit > static_cast<int>(BatchShipping::kMaxOrders)) {
    f.fail("limit", "must be from 1 to " + std::to_string(BatchShipping::kMaxOrders));
  }
  return query;
}

}  // namespace

void add_batch_routes(Router& router, BatchShipping& batches, PrintService& print) {
  router.add(Method::post, "/api/v1/shipments/batch", Permission::ship_orders,
             [&batches](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"order_ids", "filter", "carrier"});
               BatchInput input;
               input.carrier = f.text("carrier", true, 32).value_or("");
               if (const json::array* ids = f.array("order_ids")) {
                 for (std::size_t i = 0; i < ids->size(); ++i) {
                   const json::value& id = (*ids)[i];
                   if (!id.is_int64() || id.as_int64() <= 0) {
                     f.fail("order_ids[" + std::to_string(i) + "]", "must be an order id");
                   } else {
                     input.order_ids.push_back(id.as_int64());
                   }
                 }
               }
               if (const json::object* filter = f.object("filter")) {
                 Fields filter_fields(*filter, "filter.", errors);
                 input.filter = read_filter(filter_fields);
               }
               if (!f.has("order_ids") && !f.has("filter")) {
                 f.fail("order_ids", "name the orders, or give a filter");
               }
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<ShipmentBatch> batch = co_await await_result<ShipmentBatch>([&](auto done) {
                 batches.create(req.actor, std::move(input), std::move(done));
               });
               if (!batch.ok()) co_return problem(batch.error());
               co_return json_response(202, to_json(BatchReport{*batch, {}}))
                   .with_header("Location", batch_url(batch->id));
             });

  router.add(Method::get, "/api/v1/shipments/batches/{id}",
             [&batches](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "batch");
               if (!id.ok()) co_return problem(id.error());
               Result<BatchReport> report = batches.report(req.actor, *id);
               if (!report.ok()) co_return problem(report.error());
               co_return json_response(200, to_json(*report));
             });

  router.add(Method::get, "/api/v1/shipments/batches/{id}/labels.pdf", Permission::ship_orders,
             [&batches](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "batch");
               if (!id.ok()) co_return problem(id.error());
               std::optional<PaperSize> size = paper_size(req, PaperSize::label);
               if (!size) co_return problem(invalid_field("size", "must be label or a4"));
               Result<std::string> path = batches.labels_pdf(req.actor, *id, *size);
               if (!path.ok()) co_return problem(path.error());
               Response response{200, "application/pdf", "", {}};
               response.file = *path;
               response.with_header("Content-Disposition",
                                    "inline; filename=\"batch-" + std::to_string(*id) + ".pdf\"");
               co_return response;
             });

  router.add(Method::get, "/api/v1/orders/{id}/packing-slip.pdf",
             [&print](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               std::optional<PaperSize> size = paper_size(req, PaperSize::a4);
               if (!size) co_return problem(invalid_field("size", "must be a4 or label"));
               Result<std::string> pdf = print.packing_slip(req.actor, *id, *size);
               if (!pdf.ok()) co_return problem(pdf.error());
               co_return pdf_response(std::move(*pdf),
                                      "packing-slip-" + std::to_string(*id) + ".pdf");
             });

  router.add(Method::get, "/api/v1/orders/{id}/labels.pdf", Permission::ship_orders,
             [&print](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<std::string> pdf = print.order_labels(req.actor, *id);
               if (!pdf.ok()) co_return problem(pdf.error());
               co_return pdf_response(std::move(*pdf), "labels-" + std::to_string(*id) + ".pdf");
             });
}

}  // namespace depot::http
