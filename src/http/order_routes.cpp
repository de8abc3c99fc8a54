#include <boost/asio/awaitable.hpp>

#include <charconv>

#include "domain/order_rules.h"
#include "domain/text.h"
#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/order_input.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// One order, as the actor's role may see it on an order's own page.
Response order_response(int status, const Order& order, const Actor& actor) {
  Disclosure contact = contact_disclosure(actor.role, ContactView::record);
  Response response = json_response(status, to_json(order, true, contact));
  response.with_header("ETag", "\"" + std::to_string(order.version) + "\"");
  if (status == 201) response.with_header("Location", "/api/v1/orders/" + std::to_string(order.id));
  return response;
}

Response order_answer(const Result<Order>& order, int status, const Actor& actor) {
  return order.ok() ? order_response(status, *order, actor) : problem(order.error());
}

Result<OrderQuery> read_query(const Request& request) {
  OrderQuery query;
  std::vector<FieldError> errors;
  auto text = [&](const char* name) {
    auto found = request.query.find(name);
    return found == request.query.end() ? std::string() : found->second;
  };
  if (std::string status = text("status"); !status.empty()) {
    query.status = parse_order_status(status);
    if (!query.status) errors.push_back({"status", "is not an order status"});
  }
  for (auto [name, target] : {std::pair{"created_from", &query.created_from},
                              std::pair{"created_to", &query.created_to}}) {
    if (std::string value = text(name); !value.empty()) {
      *target = parse_instant(value);
      if (!*target) errors.push_back({name, "must be an RFC 3339 time or a date"});
    }
  }
  query.order_no = text("order_no");
  query.platform = text("platform");
  query.external_no = text("external_no");
  query.phone = text("phone");
  query.sku = text("sku");
  if (!query.sku.empty() && !is_valid_sku(query.sku)) {
    errors.push_back({"sku", "is not a SKU (1–64 letters, digits, '-', '_' or '.')"});
  }
  query.hold_reason = text("hold_reason");
  std::string sort = text("sort");
  if (sort == "created_at") {
    query.newest_first = false;
  } else if (!sort.empty() && sort != "-created_at") {
    errors.push_back({"sort", "must be created_at or -created_at"});
  }
  Result<std::int64_t> cursor = query_integer(request, "cursor", 0, 0, INT64_MAX);
  if (!cursor.ok()) errors.push_back({"cursor", "is not a cursor from this list"});
  Result<std::int64_t> limit = query_integer(request, "limit", 50, INT32_MIN, INT32_MAX);
  if (!limit.ok()) errors.push_back(limit.error().fields.front());
  if (auto failed = field_errors(std::move(errors))) return *failed;
  query.after_id = *cursor;
  query.limit = static_cast<int>(*limit);
  return query;
}

}  // namespace

void add_order_routes(Router& router, OrderService& orders) {
  router.add(Method::post, "/api/v1/orders", Permission::create_orders,
             [&orders](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               OrderDraft draft = read_order_draft(*body, errors);
               if (!errors.empty()) add_rule_errors(errors, validate_draft(draft));
               std::string key = req.header("idempotency-key");
               if (key.size() > 200)
                 errors.push_back({"Idempotency-Key", "must be at most 200 bytes"});
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<CreatedOrder> created = co_await await_result<CreatedOrder>([&](auto done) {
                 orders.create(req.actor, CreateOrderCommand{std::move(draft), std::move(key)},
                               std::move(done));
               });
               if (!created.ok()) co_return problem(created.error());
               co_return order_response(created->created ? 201 : 200, created->order, req.actor);
             });

  router.add(Method::get, "/api/v1/orders", [&orders](Request& req) -> asio::awaitable<Response> {
    Result<OrderQuery> query = read_query(req);
    if (!query.ok()) co_return problem(query.error());
    Result<OrderPage> found = orders.list(req.actor, *query);
    if (!found.ok()) co_return problem(found.error());
    Disclosure contact = contact_disclosure(req.actor.role, ContactView::list);
    json::array items;
    for (const Order& order : found->items) items.push_back(to_json(order, false, contact));
    std::string cursor = found->next_after_id ? std::to_string(found->next_after_id) : "";
    co_return json_response(200, page(std::move(items), cursor));
  });

  router.add(Method::get, "/api/v1/orders/counts",
             [&orders](Request& req) -> asio::awaitable<Response> {
               json::object counts;
               for (auto [status, count] : orders.counts(req.actor)) {
                 counts[to_string(status)] = count;
               }
               co_return json_response(200, counts);
             });

  router.add(Method::get, "/api/v1/orders/{id}",
             [&orders](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<Order> order = orders.get(req.actor, *id);
               co_return order_answer(order, 200, req.actor);
             });

  router.add(Method::patch, "/api/v1/orders/{id}", Permission::change_orders,
             [&orders](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               OrderPatch patch = read_order_patch(*body, errors);
               if (!errors.empty() && patch.lines) {
                 add_rule_errors(errors, validate_lines(*patch.lines));
               }
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<std::int64_t> version = expected_version(req);
               if (!version.ok()) co_return problem(version.error());
               Result<Order> edited = co_await await_result<Order>([&](auto done) {
                 orders.edit(req.actor, *id, *version, std::move(patch), std::move(done));
               });
               co_return order_answer(edited, 200, req.actor);
             });

  router.add(Method::post, "/api/v1/orders/{id}/cancel", Permission::change_orders,
             [&orders](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               std::string reason;
               if (!req.body.empty()) {
                 Result<json::object> body = parse_object(req);
                 if (!body.ok()) co_return problem(body.error());
                 std::vector<FieldError> errors;
                 Fields f(*body, "", errors);
                 f.reject_unknown({"reason"});
                 reason = f.text("reason", false, 500).value_or("");
                 if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               }
               Result<Order> cancelled = co_await await_result<Order>([&](auto done) {
                 orders.cancel(req.actor, *id, std::move(reason), std::move(done));
               });
               co_return order_answer(cancelled, 200, req.actor);
             });

  router.add(Method::post, "/api/v1/orders/{id}/payments", Permission::change_orders,
             [&orders](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"amount", "method", "reference", "paid_at"});
               Payment payment;
               payment.amount = f.integer("amount", true).value_or(0);
               payment.method = f.text("method", true, 32).value_or("");
               payment.reference = f.text("reference", false, 128).value_or("");
               payment.paid_at = f.instant("paid_at").value_or(Instant{});
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Order> paid = co_await await_result<Order>([&](auto done) {
                 orders.pay(req.actor, *id, std::move(payment), std::move(done));
               });
               co_return order_answer(paid, 201, req.actor);
             });
}

Result<OrderIdPage> order_id_page(const Request& request) {
  // Absent means any order; 0 names none (ids start at 1), so it is refused, not read as absent.
  Result<std::int64_t> order_id = query_integer(request, "order_id", 0, 1, INT64_MAX);
  if (!order_id.ok()) return order_id.error();
  Result<std::int64_t> cursor = query_integer(request, "cursor", 0, 0, INT64_MAX);
  if (!cursor.ok()) return cursor.error();
  Result<std::int64_t> limit = query_integer(request, "limit", 50, INT32_MIN, INT32_MAX);
  if (!limit.ok()) return limit.error();
  return OrderIdPage{*order_id, *cursor, static_cast<int>(*limit)};
}

Result<std::int64_t> id_param(const Request& request, std::string_view what) {
  const std::string& text = request.params.at("id");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return error(ErrorCode::not_found, std::string(what) + " " + text + " was not found");
  }
  return id;
}

Result<std::int64_t> expected_version(const Request& request) {
  std::string text = request.header("if-match");
  if (text.empty()) {
    return error(ErrorCode::precondition_required, "send If-Match with the version you edit");
  }
  if (text == "*") return kAnyVersion;  // RFC 9110: matches any current representation
  if (text.rfind("W/", 0) == 0) text = text.substr(2);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  std::int64_t version = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
    return error(ErrorCode::precondition_failed, "If-Match does not name a version");
  }
  return version;
}

}  // namespace depot::http
