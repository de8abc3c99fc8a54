// The electronic-waybill account (电子面单) with the aggregator: PUT and GET
// /api/v1/carriers/kuaidi100/waybill. Secrets are taken, never shown.
#include <boost/json.hpp>

#include "app/waybill_accounts.h"
#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object to_json(const WaybillAccountView& view) {
  json::object carriers;
  for (const auto& [code, carrier] : view.carriers) {
    json::object shown;
    for (const auto& [name, value] : carrier.fields) shown[name] = value;
    for (const auto& [name, set] : carrier.secrets_set) shown[name + "_set"] = set;
    carriers[code] = std::move(shown);
  }
  return {{"provider", "kuaidi100"},         {"url", view.url},
          {"key_set", view.key_set},         {"secret_set", view.secret_set},
          {"accounts", std::move(carriers)}, {"updated_at", format_instant(view.updated_at)}};
}

// {CARRIER: {field: "text", …}, …}: every value a string, as the aggregator takes them.
std::map<std::string, std::map<std::string, std::string>> read_accounts(
    const json::object& accounts, std::vector<FieldError>& errors) {
  std::map<std::string, std::map<std::string, std::string>> read;
  for (const auto& [code, value] : accounts) {
    std::string at = "accounts." + std::string(code);
    if (!value.is_object()) {
      errors.push_back({at, "must be an object of the carrier account's fields"});
      continue;
    }
    Fields f(value.get_object(), at, errors);
    std::map<std::string, std::string>& fields = read[std::string(code)];
    for (const auto& [name, field] : value.get_object()) {
      if (std::optional<std::string> text = f.text(name, false, WaybillAccounts::kMaxFieldValue)) {
        fields[std::string(name)] = std::move(*text);
      }
    }
  }
  return read;
}

}  // namespace

void add_waybill_routes(Router& router, WaybillAccounts& accounts) {
  router.add(Method::put, "/api/v1/carriers/kuaidi100/waybill", Permission::manage,
             [&accounts](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"url", "key", "secret", "accounts"});
               WaybillAccountInput input;
               input.url = f.text("url", true, 2048).value_or("");
               input.key = f.text("key", false, 256).value_or("");
               input.secret = f.text("secret", false, 256).value_or("");
               if (const json::object* given = f.object("accounts")) {
                 input.accounts = read_accounts(*given, errors);
               }
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<WaybillAccountView> saved = co_await await_result<WaybillAccountView>(
                   [&](auto done) { accounts.save(req.actor, std::move(input), std::move(done)); });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(saved->created ? 201 : 200, to_json(*saved));
             });

  router.add(Method::get, "/api/v1/carriers/kuaidi100/waybill", Permission::manage,
             [&accounts](Request& req) -> asio::awaitable<Response> {
               Result<WaybillAccountView> account = accounts.get(req.actor);
               if (!account.ok()) co_return problem(account.error());
               co_return json_response(200, to_json(*account));
             });
}

}  // namespace depot::http
