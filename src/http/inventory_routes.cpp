#include <boost/asio/awaitable.hpp>

#include "http/await.h"
#include "http/inventory_input.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

Response product_response(int status, const Product& product) {
  Response response = json_response(status, to_json(product));
  response.with_header("ETag", "\"" + std::to_string(product.version) + "\"");
  return response;
}

// A stock command's answer: the SKU's stock, 201.
Response stock_changed(const Result<StockLevel>& level) {
  if (!level.ok()) return problem(level.error());
  return json_response(level->repeated ? 200 : 201, to_json(*level));
}

}  // namespace

void add_inventory_routes(Router& router, InventoryService& inventory) {
  router.add(Method::post, "/api/v1/products", Permission::write_inventory,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Product product = read_product_draft(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Product> created = co_await await_result<Product>([&](auto done) {
                 inventory.create_product(req.actor, std::move(product), std::move(done));
               });
               if (!created.ok()) co_return problem(created.error());
               co_return product_response(201, *created)
                   .with_header("Location", "/api/v1/products/" + created->sku);
             });

  router.add(Method::get, "/api/v1/products",
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> limit = query_integer(req, "limit", 50, INT32_MIN, INT32_MAX);
               if (!limit.ok()) co_return problem(limit.error());
               auto cursor = req.query.find("cursor");
               auto search = req.query.find("q");
               Result<ProductPage> found = inventory.products(
                   req.actor, cursor == req.query.end() ? "" : cursor->second,
                   static_cast<int>(*limit), search == req.query.end() ? "" : search->second);
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const Product& p : found->items) items.push_back(to_json(p));
               co_return json_response(200, page(std::move(items), found->next_after_sku));
             });

  router.add(Method::get, "/api/v1/products/{sku}",
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<Product> product = inventory.product(req.actor, req.params.at("sku"));
               if (!product.ok()) co_return problem(product.error());
               co_return product_response(200, *product);
             });

  router.add(Method::patch, "/api/v1/products/{sku}", Permission::write_inventory,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               ProductPatch patch = read_product_patch(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<std::int64_t> version = expected_version(req);
               if (!version.ok()) co_return problem(version.error());
               Result<Product> updated = co_await await_result<Product>([&](auto done) {
                 inventory.update_product(req.actor, req.params.at("sku"), *version,
                                          std::move(patch), std::move(done));
               });
               if (!updated.ok()) co_return problem(updated.error());
               co_return product_response(200, *updated);
             });

  router.add(Method::get, "/api/v1/warehouses",
             [&inventory](Request& req) -> asio::awaitable<Response> {
               json::array items;
               for (const Warehouse& w : inventory.warehouses(req.actor)) {
                 items.push_back(to_json(w));
               }
               co_return json_response(200, page(std::move(items), ""));
             });

  router.add(Method::post, "/api/v1/warehouses", Permission::write_inventory,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               WarehouseInput warehouse = read_warehouse(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Warehouse> created = co_await await_result<Warehouse>([&](auto done) {
                 inventory.create_warehouse(req.actor, warehouse.code, warehouse.name,
                                            std::move(done));
               });
               if (!created.ok()) co_return problem(created.error());
               co_return json_response(201, to_json(*created));
             });

  router.add(Method::put, "/api/v1/warehouses/{code}/sender", Permission::manage,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               SenderAddress sender = read_sender_address(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Warehouse> saved = co_await await_result<Warehouse>([&](auto done) {
                 inventory.save_sender(req.actor, req.params.at("code"), std::move(sender),
                                       std::move(done));
               });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved));
             });

  router.add(Method::post, "/api/v1/warehouses/{code}/locations", Permission::write_inventory,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               std::string code = read_location_code(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<LocationRef> created = co_await await_result<LocationRef>([&](auto done) {
                 inventory.create_location(req.actor, req.params.at("code"), code, std::move(done));
               });
               if (!created.ok()) co_return problem(created.error());
               co_return json_response(201, json::object{{"location", created->to_string()}});
             });

  router.add(Method::post, "/api/v1/inventory/receipts", Permission::write_inventory,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               ReceiveCommand command = read_receipt(*body, errors);
               command.idempotency_key = req.header("idempotency-key");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<StockLevel> level = co_await await_result<StockLevel>([&](auto done) {
                 inventory.receive(req.actor, std::move(command), std::move(done));
               });
               co_return stock_changed(level);
             });

  router.add(Method::post, "/api/v1/inventory/adjustments", Permission::write_inventory,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               AdjustCommand command = read_adjustment(*body, errors);
               command.idempotency_key = req.header("idempotency-key");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<StockLevel> level = co_await await_result<StockLevel>([&](auto done) {
                 inventory.adjust(req.actor, std::move(command), std::move(done));
               });
               co_return stock_changed(level);
             });

  router.add(Method::post, "/api/v1/inventory/transfers", Permission::write_inventory,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               TransferCommand command = read_transfer(*body, errors);
               command.idempotency_key = req.header("idempotency-key");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<StockLevel> level = co_await await_result<StockLevel>([&](auto done) {
                 inventory.transfer(req.actor, std::move(command), std::move(done));
               });
               co_return stock_changed(level);
             });

  router.add(Method::get, "/api/v1/inventory/{sku}",
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<StockLevel> level = inventory.stock(req.actor, req.params.at("sku"));
               if (!level.ok()) co_return problem(level.error());
               co_return json_response(200, to_json(*level));
             });

  router.add(Method::get, "/api/v1/inventory/{sku}/ledger",
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> cursor = query_integer(req, "cursor", 0, 0, INT64_MAX);
               if (!cursor.ok()) co_return problem(cursor.error());
               Result<std::int64_t> limit = query_integer(req, "limit", 50, INT32_MIN, INT32_MAX);
               if (!limit.ok()) co_return problem(limit.error());
               Result<LedgerPage> found = inventory.ledger(req.actor, req.params.at("sku"), *cursor,
                                                           static_cast<int>(*limit));
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const LedgerEntry& e : found->items) items.push_back(to_json(e));
               std::string next = found->next_after_id ? std::to_string(found->next_after_id) : "";
               co_return json_response(200, page(std::move(items), next));
             });

  router.add(Method::get, "/api/v1/alerts",
             [&inventory](Request& req) -> asio::awaitable<Response> {
               json::array items;
               for (const Alert& a : inventory.alerts(req.actor)) items.push_back(to_json(a));
               co_return json_response(200, page(std::move(items), ""));
             });
}

}  // namespace depot::http
