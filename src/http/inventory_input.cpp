#include "http/inventory_input.h"

#include <map>
#include <optional>

#include "http/json_input.h"

namespace depot::http {

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

}  // namespace

Product read_product_draft(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"sku", "name", "price", "currency", "barcode", "attributes", "weight_grams",
                    "low_stock_threshold"});
  Product product;
  product.sku = f.text("sku", true, 64).value_or("");
  product.name = f.text("name", true, 800).value_or("");
  product.price = f.integer("price", true).value_or(0);
  product.currency = f.text("currency", false, 3).value_or("");
  product.barcode = f.text("barcode", false, 64).value_or("");
  product.attributes = read_attributes(f).value_or(std::map<std::string, std::string>{});
  product.weight_grams = f.integer("weight_grams").value_or(0);
  product.low_stock_threshold = f.integer("low_stock_threshold").value_or(0);
  return product;
}

ProductPatch read_product_patch(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown(
      {"name", "price", "barcode", "attributes", "weight_grams", "low_stock_threshold"});
  ProductPatch patch;
  patch.name = f.text("name", false, 800);
  patch.price = f.integer("price");
  patch.barcode = f.text("barcode", false, 64);
  patch.attributes = read_attributes(f);
  patch.weight_grams = f.integer("weight_grams");
  patch.low_stock_threshold = f.integer("low_stock_threshold");
  return patch;
}

WarehouseInput read_warehouse(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"code", "name"});
  WarehouseInput warehouse;
  warehouse.code = f.text("code", true, 64).value_or("");
  warehouse.name = f.text("name", true, 200).value_or("");
  return warehouse;
}

SenderAddress read_sender_address(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"name", "phone", "province", "city", "district", "detail"});
  SenderAddress sender;
  sender.name = f.text("name", true, 100).value_or("");
  sender.phone = f.text("phone", true, 32).value_or("");
  sender.province = f.text("province", true, 32).value_or("");
  sender.city = f.text("city", true, 32).value_or("");
  sender.district = f.text("district", true, 32).value_or("");
  sender.detail = f.text("detail", true, 200).value_or("");
  return sender;
}

std::string read_location_code(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"code"});
  return f.text("code", true, 64).value_or("");
}

ReceiveCommand read_receipt(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"sku", "quantity", "location", "reason"});
  ReceiveCommand command;
  command.sku = f.text("sku", true, 64).value_or("");
  command.quantity = f.integer("quantity", true).value_or(1);
  command.location = read_location(f);
  command.reason = f.text("reason", false, 500).value_or("");
  return command;
}

AdjustCommand read_adjustment(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"sku", "location", "counted_quantity", "delta", "reason"});
  AdjustCommand command;
  command.sku = f.text("sku", true, 64).value_or("");
  command.location = read_location(f);
  command.counted_quantity = f.integer("counted_quantity");
  command.delta = f.integer("delta");
  command.reason = f.text("reason", true, 500).value_or("");
  return command;
}

TransferCommand read_transfer(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"sku", "from", "to", "quantity", "reason"});
  TransferCommand command;
  command.sku = f.text("sku", true, 64).value_or("");
  command.from = f.text("from", true, 130).value_or("");
  command.to = f.text("to", true, 130).value_or("");
  command.quantity = f.integer("quantity", true).value_or(1);
  command.reason = f.text("reason", false, 500).value_or("");
  return command;
}

}  // namespace depot::http
