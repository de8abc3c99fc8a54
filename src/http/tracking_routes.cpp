// Tracking: the aggregator account, an order's parcels, checkpoints by hand and by CSV, and the
// aggregator's pushes.
#include <boost/json.hpp>

#include <charconv>

#include "http/await.h"
#include "http/import_rows.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/json_output_tracking.h"
#include "http/problem.h"
#include "http/routes.h"
#include "http/url.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// What the aggregator expects back from a push it may stop retrying.
constexpr std::string_view kPushAccepted = R"({"result":true,"returnCode":"200","message":"成功"})";

// Kuaidi100 reads an answer's `result`; a refused push is answered in its shape as well, with the
// HTTP status saying why.
Response push_refused(const Error& why) {
  Response refused = problem(why);
  json::object body{
      {"result", false}, {"returnCode", std::to_string(refused.status)}, {"message", why.message}};
  return json_response(refused.status, body);
}

Result<std::vector<CheckpointInput>> read_checkpoints(const json::object& body) {
  std::vector<FieldError> errors;
  Fields f(body, "", errors);
  f.reject_unknown({"events"});
  std::vector<CheckpointInput> inputs;
  if (const json::array* events = f.array("events", true)) {
    for (std::size_t i = 0; i < events->size(); ++i) {
      std::string prefix = "events[" + std::to_string(i) + "]";
      const json::object* event = (*events)[i].if_object();
      if (event == nullptr) {
        errors.push_back({prefix, "must be an object {status, text, at?, location?}"});
        continue;
      }
      Fields e(*event, prefix, errors);
      e.reject_unknown({"status", "text", "at", "location"});
      CheckpointInput input;
      input.status = e.text("status", true, 32).value_or("");
      input.text = e.text("text", true, 2000).value_or("");
      input.at = e.instant("at");
      input.location = e.text("location", false, 400).value_or("");
      inputs.push_back(std::move(input));
    }
  }
  if (auto failed = field_errors(std::move(errors))) return *failed;
  return inputs;
}

std::optional<TenantId> tenant_of(const std::string& text) {
  TenantId tenant = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), tenant);
  if (ec != std::errc() || end != text.data() + text.size() || tenant <= 0) return std::nullopt;
  return tenant;
}

}  // namespace

void add_tracking_routes(Router& router, TrackingService& tracking) {
  router.add(Method::put, "/api/v1/carriers/kuaidi100", Permission::manage,
             [&tracking](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"url", "key", "customer", "salt"});
               CarrierAccountInput input;
               input.url = f.text("url", true, 2048).value_or("");
               input.key = f.text("key", false, 256).value_or("");
               input.customer = f.text("customer", false, 256).value_or("");
               input.salt = f.text("salt", false, 256).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<CarrierAccountView> saved =
                   co_await await_result<CarrierAccountView>([&](auto done) {
                     tracking.save_carrier_account(req.actor, std::move(input), std::move(done));
                   });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(saved->created ? 201 : 200, to_json(*saved));
             });

  router.add(Method::get, "/api/v1/carriers/kuaidi100", Permission::manage,
             [&tracking](Request& req) -> asio::awaitable<Response> {
               Result<CarrierAccountView> account = tracking.carrier_account(req.actor);
               if (!account.ok()) co_return problem(account.error());
               co_return json_response(200, to_json(*account));
             });

  router.add(Method::get, "/api/v1/orders/{id}/tracking",
             [&tracking](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "order");
               if (!id.ok()) co_return problem(id.error());
               Result<OrderTracking> found = tracking.order_tracking(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::get, "/api/v1/parcels/{id}",
             [&tracking](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "parcel");
               if (!id.ok()) co_return problem(id.error());
               Result<ParcelView> found = tracking.parcel(req.actor, *id);
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::post, "/api/v1/parcels/{id}/events", Permission::ship_orders,
             [&tracking](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "parcel");
               if (!id.ok()) co_return problem(id.error());
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               Result<std::vector<CheckpointInput>> inputs = read_checkpoints(*body);
               if (!inputs.ok()) co_return problem(inputs.error());
               Result<Parcel> stored = co_await await_result<Parcel>([&](auto done) {
                 tracking.add_checkpoints(req.actor, *id, std::move(*inputs), std::move(done));
               });
               if (!stored.ok()) co_return problem(stored.error());
               Result<ParcelView> view = tracking.parcel(req.actor, stored->id);
               if (!view.ok()) co_return problem(view.error());
               co_return json_response(200, to_json(*view));
             });

  router.add(Method::post, "/api/v1/tracking/import", Permission::ship_orders,
             [&tracking](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<CsvRow>> records = csv_records(req);
               if (!records.ok()) co_return problem(records.error());
               std::vector<CheckpointRow> rows = read_checkpoint_rows(*records);
               Result<CheckpointImport> report =
                   co_await await_result<CheckpointImport>([&](auto done) {
                     tracking.import_checkpoints(req.actor, std::move(rows), std::move(done));
                   });
               if (!report.ok()) co_return problem(report.error());
               co_return json_response(200, to_json(*report));
             });

  // Where the aggregator pushes: no API key (it has none); the path's token, shown with the
  // account, is the credential, and the push's signature proves the sender.
  router.add(
      Method::post, "/api/v1/hooks/kuaidi100/{tenant}/{token}",
      [&tracking](Request& req) -> asio::awaitable<Response> {
        std::optional<TenantId> tenant = tenant_of(req.params.at("tenant"));
        if (!tenant)
          co_return push_refused(error(ErrorCode::not_found, "no such callback address"));
        std::map<std::string, std::string> form = parse_query(req.body);
        auto param = form.find("param");
        auto sign = form.find("sign");
        if (param == form.end() || sign == form.end()) {
          co_return push_refused(
              invalid_field(param == form.end() ? "param" : "sign", "is required (a form field)"));
        }
        Result<int> stored = co_await await_result<int>([&](auto done) {
          tracking.receive_push(*tenant, req.params.at("token"), param->second, sign->second,
                                std::move(done));
        });
        if (!stored.ok()) co_return push_refused(stored.error());
        co_return Response{200, "application/json", std::string(kPushAccepted), {}};
      },
      Access::public_);
}

}  // namespace depot::http
