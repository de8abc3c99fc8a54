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

// An optional location: left out means the default location; given, it must name one.
std::string read_location(Fields& f) {
  std::string location = f.text("location", false, 130).value_or("");
  if (f.has("location") && location.empty()) {
    f.fail("location", "must name a location such as main/default, or be left out");
  }
  return location;
}

std::optional<std::map<std::string, std::string>> read_attributes(Fields& f) {
  const json::object* object = f.object("attributes");
  if (!object) return std::nullopt;
  std::map<std::string, std::string> attributes;
  for (const auto& [key, value] : *object) {
    if (!value.is_string()) {
      f.fail("attributes." + std::string(key), "must be a string");
      continue;
    }
    attributes.emplace(std::string(key), std::string(value.get_string()));
  }
  return attributes;
}

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
               Fields f(*body, "", errors);
               f.reject_unknown({"sku", "name", "price", "currency", "barcode", "attributes",
                                 "weight_grams", "low_stock_threshold"});
               Product product;
               product.sku = f.text("sku", true, 64).value_or("");
               product.name = f.text("name", true, 800).value_or("");
               product.price = f.integer("price", true).value_or(0);
               product.currency = f.text("currency", false, 3).value_or("");
               product.barcode = f.text("barcode", false, 64).value_or("");
               product.attributes =
                   read_attributes(f).value_or(std::map<std::string, std::string>{});
               product.weight_grams = f.integer("weight_grams").value_or(0);
               product.low_stock_threshold = f.integer("low_stock_threshold").value_or(0);
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
               Fields f(*body, "", errors);
               f.reject_unknown({"name", "price", "barcode", "attributes", "weight_grams",
                                 "low_stock_threshold"});
               ProductPatch patch;
               patch.name = f.text("name", false, 800);
               patch.price = f.integer("price");
               patch.barcode = f.text("barcode", false, 64);
               patch.attributes = read_attributes(f);
               patch.weight_grams = f.integer("weight_grams");
               patch.low_stock_threshold = f.integer("low_stock_threshold");
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
               Fields f(*body, "", errors);
               f.reject_unknown({"code", "name"});
               std::string code = f.text("code", true, 64).value_or("");
               std::string name = f.text("name", true, 200).value_or("");
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<Warehouse> created = co_await await_result<Warehouse>([&](auto done) {
                 inventory.create_warehouse(req.actor, code, name, std::move(done));
               });
               if (!created.ok()) co_return problem(created.error());
               co_return json_response(201, to_json(*created));
             });

  router.add(Method::put, "/api/v1/warehouses/{code}/sender", Permission::manage,
             [&inventory](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               Fields f(*body, "", errors);
               f.reject_unknown({"name", "phone", "province", "city", "district", "detail"});
               SenderAddress sender;
               sender.name = f.text("name", true, 100).value_or("");
               sender.phone = f.text("phone", true, 32).value_or("");
               sender.province = f.text("province", true, 32).value_or("");
               sender.city = f.text("city", true, 32).value_or("");
               sender.district = f.text("district", true, 32).value_or("");
               sender.detail = f.text("detail", true, 200).value_or("");
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
               Fields f(*body, "", errors);
               f.reject_unknown({"code"});
               std::string code = f.text("code", true, 64).value_or("");
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
               Fields f(*body, "", errors);
               f.reject_unknown({"sku", "quantity", "location", "reason"});
               ReceiveCommand command;
               command.sku = f.text("sku", true, 64).value_or("");
               command.quantity = f.integer("quantity", true).value_or(1);
               command.location = read_location(f);
               command.reason = f.text("reason", false, 500).value_or("");
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
               Fields f(*body, "", errors);
               f.reject_unknown({"sku", "location", "counted_quantity", "delta", "reason"});
               AdjustCommand command;
               command.sku = f.text("sku", true, 64).value_or("");
               command.location = read_location(f);
               command.counted_quantity = f.integer("counted_quantity");
               command.delta = f.integer("delta");
               command.reason = f.text("reason", true, 500).value_or("");
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
               Fields f(*body, "", errors);
               f.reject_unknown({"sku", "from", "to", "quantity", "reason"});
               TransferCommand command;
               command.sku = f.text("sku", true, 64).value_or("");
               command.from = f.text("from", true, 130).value_or("");
               command.to = f.text("to", true, 130).value_or("");
               command.quantity = f.integer("quantity", true).value_or(1);
               command.reason = f.text("reason", false, 500).value_or("");
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
