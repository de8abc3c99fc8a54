// After-sales: returns and exchanges, refunds, delivery feedback and complaints.
#include <boost/asio/awaitable.hpp>

#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/json_output_after_sales.h"
#include "http/json_output_notifications.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// An optional body: an empty one means no fields at all.
Result<json::object> optional_body(const Request& req) {
  if (req.body.empty()) return json::object{};
  return parse_object(req);
}

std::optional<ReturnStatus> read_return_status(const Request& req,
                                               std::vector<FieldError>& errors) {
  auto status = req.query.find("status");
  if (status == req.query.end()) return std::nullopt;
  std::optional<ReturnStatus> parsed = parse_return_status(status->second);
  if (!parsed) errors.push_back({"status", "must be requested, approved, rejected or received"});
  return parsed;
}

Response return_response(int status, const ReturnRequest& request) {
  return json_response(status, to_json(request))
      .with_header("Location", "/api/v1/returns/" + std::to_string(request.id));
}

void add_return_routes(Router& router, ReturnService& returns) {
  router.add(Method::post, "/api/v1/orders/{id}/returns", Permission::change_orders,
             [&returns](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"kind", "lines", "replacement_lines", "reason", "photos"});
               NewReturn input;
               std::string kind = f.text("kind", false, 32).value_or("return");
               if (std::optional<ReturnKind> parsed = parse_return_kind(kind)) {
                 input.kind = *parsed;
               } else {
                 f.fail("kind", "must be return or exchange");
               }
               input.lines = read_sku_lines<ReturnLine>(f, "lines", true, errors);
               input.replacement_lines =
                   read_sku_lines<ReturnLine>(f, "replacement_lines", false, errors);
               input.reason = f.text("reason", true, kMaxAfterSalesTextBytes).value_or("");
               input.photos = f.text_list("photos").value_or(std::vector<std::string>{});
               input.idempotency_key = req.header("idempotency-key");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<CreatedReturn> created = co_await await_result<CreatedReturn>([&](auto done) {
                 returns.request(req.actor, *id, std::move(input), std::move(done));
               });
               if (!created.ok()) co_return problem(created.error());
               co_return return_response(created->created ? 201 : 200, created->request);
             });

  router.add(Method::get, "/api/v1/returns", [&returns](Request& req) -> asio::awaitable<Response> {
    Result<OrderIdPage> paged = order_id_page(req);
    if (!paged.ok()) co_return problem(paged.error());
    std::vector<FieldError> errors;
    ReturnQuery query;
    query.status = read_return_status(req, errors);
    if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
    query.order_id = paged->order_id;
    query.before_id = paged->before_id;
    query.limit = paged->limit;
    Result<std::vector<ReturnRequest>> found = returns.list(req.actor, query);
    if (!found.ok()) co_return problem(found.error());
    json::array items;
    for (const ReturnRequest& r : *found) items.push_back(to_json(r));
    co_return json_response(200, page(std::move(items), next_cursor(*found, query.limit)));
  });

  router.add(Method::get, "/api/v1/returns/{id}",
             [&returns](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "return");
               if (!id.ok()) co_return problem(id.error());
               Result<ReturnRequest> found = returns.find(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::post, "/api/v1/returns/{id}/approve", Permission::change_orders,
             [&returns](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "return");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = optional_body(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"note"});
               std::string note = f.text("note", false, kMaxAfterSalesTextBytes).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<ReturnRequest> saved = co_await await_result<ReturnRequest>([&](auto done) {
                 returns.approve(req.actor, *id, std::move(note), std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved));
             });

  router.add(Method::post, "/api/v1/returns/{id}/reject", Permission::change_orders,
             [&returns](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "return");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"reason"});
               std::string reason = f.text("reason", true, kMaxAfterSalesTextBytes).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<ReturnRequest> saved = co_await await_result<ReturnRequest>([&](auto done) {
                 returns.reject(req.actor, *id, std::move(reason), std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved));
             });

  router.add(Method::post, "/api/v1/returns/{id}/parcel", Permission::change_orders,
             [&returns](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "return");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"carrier", "tracking_no"});
               std::string carrier = f.text("carrier", true, 32).value_or("");
               std::string tracking_no = f.text("tracking_no", true, 64).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<ReturnRequest> saved = co_await await_result<ReturnRequest>([&](auto done) {
                 returns.record_parcel(req.actor, *id, std::move(carrier), std::move(tracking_no),
                                       std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved));
             });

  router.add(Method::post, "/api/v1/returns/{id}/receive", Permission::write_inventory,
             [&returns](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "return");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"restock", "location", "note"});
               ReturnReceipt receipt;
               std::optional<bool> restock = f.boolean("restock");
               if (!restock && !f.has("restock")) f.fail("restock", "is required");
               receipt.restock = restock.value_or(false);
               std::optional<std::string> location = f.text("location", false, 130);
               if (location && location->empty()) {
                 f.fail("location", "must name a location such as main/default, or be left out");
               }
               receipt.location = location.value_or("");
               receipt.note = f.text("note", false, kMaxAfterSalesTextBytes).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<ReturnRequest> saved = co_await await_result<ReturnRequest>([&](auto done) {
                 returns.receive(req.actor, *id, std::move(receipt), std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved));
             });
}

std::optional<RefundStatus> read_refund_status(const Request& req,
                                               std::vector<FieldError>& errors) {
  auto status = req.query.find("status");
  if (status == req.query.end()) return std::nullopt;
  std::optional<RefundStatus> parsed = parse_refund_status(status->second);
  if (!parsed) errors.push_back({"status", "must be pending or completed"});
  return parsed;
}

void add_refund_routes(Router& router, RefundService& refunds) {
  router.add(
      Method::post, "/api/v1/orders/{id}/refunds", Permission::change_orders,
      [&refunds](Request& req) -> asio::awaitable<Response> {
        Result<std::int64_t> id = id_param(req, "order");
        if (!id.ok()) co_return problem(id.error());
        Result<json::object> body = parse_object(req);
        if (!body.ok()) co_return problem(body.error());
        std::vector<FieldError> errors;
        Fields f(*body, "", errors);
        f.reject_unknown({"amount", "reason", "return_id"});
        NewRefund input;
        input.amount = f.integer("amount", true).value_or(0);
        input.reason = f.text("reason", true, kMaxAfterSalesTextBytes).value_or("");
        std::optional<std::int64_t> return_id = f.integer("return_id", false);
        if (return_id && *return_id <= 0) {
          f.fail("return_id", "must be the id of a return of this order");
        }
        input.return_id = return_id.value_or(0);
        input.idempotency_key = req.header("idempotency-key");
        if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
        Result<CreatedRefund> created = co_await await_result<CreatedRefund>(
            [&](auto done) { refunds.create(req.actor, *id, std::move(input), std::move(done)); });
        if (!created.ok()) co_return problem(created.error());
        co_return json_response(created->created ? 201 : 200, to_json(created->refund))
            .with_header("Location", "/api/v1/refunds/" + std::to_string(created->refund.id));
      });

  router.add(Method::get, "/api/v1/refunds", [&refunds](Request& req) -> asio::awaitable<Response> {
    Result<OrderIdPage> paged = order_id_page(req);
    if (!paged.ok()) co_return problem(paged.error());
    std::vector<FieldError> errors;
    RefundQuery query;
    query.status = read_refund_status(req, errors);
    if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
    query.order_id = paged->order_id;
    query.before_id = paged->before_id;
    query.limit = paged->limit;
    Result<std::vector<Refund>> found = refunds.list(req.actor, query);
    if (!found.ok()) co_return problem(found.error());
    json::array items;
    for (const Refund& r : *found) items.push_back(to_json(r));
    co_return json_response(200, page(std::move(items), next_cursor(*found, query.limit)));
  });

  router.add(Method::get, "/api/v1/refunds/{id}",
             [&refunds](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "refund");
               if (!id.ok()) co_return problem(id.error());
               Result<Refund> found = refunds.find(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::post, "/api/v1/refunds/{id}/complete", Permission::change_orders,
             [&refunds](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "refund");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = optional_body(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"reference"});
               std::string reference =
                   f.text("reference", false, kMaxAfterSalesTextBytes).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Refund> saved = co_await await_result<Refund>([&](auto done) {
                 refunds.complete(req.actor, *id, std::move(reference), std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved));
             });
}

void add_feedback_routes(Router& router, FeedbackService& feedback) {
  router.add(Method::post, "/api/v1/orders/{id}/feedback", Permission::change_orders,
             [&feedback](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"intact", "rating", "comment"});
               FeedbackInput input;
               std::optional<bool> intact = f.boolean("intact");
               if (!intact && !f.has("intact")) f.fail("intact", "is required");
               input.intact = intact.value_or(false);
               input.rating = f.integer("rating", true).value_or(0);
               // Characters are judged by the use case; the byte cap keeps the body bounded.
               input.comment = f.text("comment", false, 4 * kMaxFeedbackCommentChars).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Feedback> saved = co_await await_result<Feedback>([&](auto done) {
                 feedback.record(req.actor, *id, std::move(input), std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(201, to_json(*saved));
             });

  router.add(Method::get, "/api/v1/orders/{id}/feedback",
             [&feedback](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<Feedback> found = feedback.of_order(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::get, "/api/v1/feedback/summary",
             [&feedback](Request& req) -> asio::awaitable<Response> {
               std::string by = query_text(req, "by");
               FeedbackGrouping grouping = FeedbackGrouping::carrier;
               if (by == "sku") {
                 grouping = FeedbackGrouping::sku;
               } else if (!by.empty() && by != "carrier") {
                 co_return problem(invalid_field("by", "must be carrier or sku"));
               }
               Result<std::int64_t> limit = query_integer(req, "limit", 50, INT32_MIN, INT32_MAX);
               if (!limit.ok()) co_return problem(limit.error());
               Result<std::vector<FeedbackSummary>> found =
                   feedback.summary(req.actor, grouping, static_cast<int>(*limit));
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const FeedbackSummary& s : *found) items.push_back(to_json(s, grouping));
               co_return json_response(
                   200, json::object{{"by", grouping == FeedbackGrouping::sku ? "sku" : "carrier"},
                                     {"items", std::move(items)}});
             });

  router.add(Method::post, "/api/v1/orders/{id}/complaints", Permission::change_orders,
             [&feedback](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"text"});
               std::string text = f.text("text", true, kMaxComplaintBytes).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Ticket> opened = co_await await_result<Ticket>([&](auto done) {
                 feedback.complain(req.actor, *id, std::move(text), std::move(done));
               });
               if (!opened.ok()) co_return problem(opened.error());
               co_return json_response(201, to_json(*opened))
                   .with_header("Location", "/api/v1/tickets/" + std::to_string(opened->id));
             });
}

}  // namespace

void add_after_sales_routes(Router& router, ReturnService& returns, RefundService& refunds,
                            FeedbackService& feedback) {
  add_return_routes(router, returns);
  add_refund_routes(router, refunds);
  add_feedback_routes(router, feedback);
}

}  // namespace depot::http
