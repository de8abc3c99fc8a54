// Customer-service tickets (工单) and their comments.
#include <boost/asio/awaitable.hpp>

#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/json_output_notifications.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::optional<TicketStatus> read_status(Fields& f, bool required) {
  std::optional<std::string> text = f.text("status", required, 32);
  if (!text) return std::nullopt;
  std::optional<TicketStatus> status = parse_ticket_status(*text);
  if (!status) f.fail("status", "must be open, in_progress, resolved or closed");
  return status;
}

}  // namespace

void add_ticket_routes(Router& router, TicketService& tickets) {
  router.add(Method::get, "/api/v1/tickets", [&tickets](Request& req) -> asio::awaitable<Response> {
    Result<OrderIdPage> paged = order_id_page(req);
    if (!paged.ok()) co_return problem(paged.error());
    TicketQuery query;
    query.order_id = paged->order_id;
    query.before_id = paged->before_id;
    query.limit = paged->limit;
    if (auto status = req.query.find("status"); status != req.query.end()) {
      query.status = parse_ticket_status(status->second);
      if (!query.status) {
        co_return problem(invalid_field("status", "must be open, in_progress, resolved or closed"));
      }
    }
    if (auto kind = req.query.find("kind"); kind != req.query.end()) query.kind = kind->second;
    Result<std::vector<Ticket>> found = tickets.list(req.actor, query);
    if (!found.ok()) co_return problem(found.error());
    json::array items;
    for (const Ticket& t : *found) items.push_back(to_json(t));
    co_return json_response(200, page(std::move(items), next_cursor(*found, query.limit)));
  });

  router.add(Method::post, "/api/v1/tickets", Permission::change_orders,
             [&tickets](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"kind", "order_id", "subject", "comment", "assignee"});
               NewTicket ticket;
               ticket.kind = f.text("kind", false, 32).value_or("complaint");
               ticket.order_id = f.integer("order_id", true).value_or(0);
               ticket.subject = f.text("subject", true, 500).value_or("");
               ticket.comment = f.text("comment", false, 4000).value_or("");
               ticket.assignee = f.text("assignee", false, 100).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Ticket> created = co_await await_result<Ticket>(
                   [&](auto done) { tickets.open(req.actor, std::move(ticket), std::move(done)); });
               if (!created.ok()) co_return problem(created.error());
               co_return json_response(201, to_json(*created))
                   .with_header("Location", "/api/v1/tickets/" + std::to_string(created->id));
             });

  router.add(Method::get, "/api/v1/tickets/{id}",
             [&tickets](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "ticket");
               if (!id.ok()) co_return problem(id.error());
               Result<Ticket> found = tickets.find(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::patch, "/api/v1/tickets/{id}", Permission::change_orders,
             [&tickets](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "ticket");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"status", "assignee"});
               f.reject_nulls();
               TicketChange change;
               change.status = read_status(f, false);
               change.assignee = f.text("assignee", false, 100);
               if (body->empty()) errors.push_back({"body", "names nothing to change"});
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Ticket> saved = co_await await_result<Ticket>([&](auto done) {
                 tickets.change(req.actor, *id, std::move(change), std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved));
             });

  router.add(Method::post, "/api/v1/tickets/{id}/comments", Permission::change_orders,
             [&tickets](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "ticket");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"text"});
               std::string text = f.text("text", true, 4000).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Ticket> saved = co_await await_result<Ticket>([&](auto done) {
                 tickets.comment(req.actor, *id, std::move(text), std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(201, to_json(*saved));
             });
}

}  // namespace depot::http
