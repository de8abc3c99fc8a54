#include "domain/catalog_changes.h"

#include <string>

namespace depot {

namespace {

std::string attributes_text(const std::map<std::string, std::string>& attributes) {
  std::string text;
  for (const auto& [key, value] : attributes) {
    if (!text.empty()) text += ", ";
    text += key + "=" + value;
  }
  return text;
}

}  // namespace

std::vector<FieldChange> product_changes(const Product& before, const Product& after) {
  std::vector<FieldChange> changes;
  add_change(changes, "name", before.name, after.name);
  add_change(changes, "price", money_text(before.price), money_text(after.price));
  add_change(changes, "currency", before.currency, after.currency);
  add_change(changes, "barcode", before.barcode, after.barcode);
  add_change(changes, "attributes", attributes_text(before.attributes),
             attributes_text(after.attributes));
  add_change(changes, "weight_grams", std::to_string(before.weight_grams),
             std::to_string(after.weight_grams));
  add_change(changes, "low_stock_threshold", std::to_string(before.low_stock_threshold),
             std::to_string(after.low_stock_threshold));
  return changes;
}

std::vector<FieldChange> product_created_changes(const Product& product) {
  std::vector<FieldChange> changes{{"name", "", product.name},
                                   {"price", "", money_text(product.price)},
                                   {"currency", "", product.currency}};
  add_change(changes, "barcode", "", product.barcode);
  add_change(changes, "attributes", "", attributes_text(product.attributes));
  changes.push_back({"weight_grams", "", std::to_string(product.weight_grams)});
  changes.push_back({"low_stock_threshold", "", std::to_string(product.low_stock_threshold)});
  return changes;
}

}  // namespace depot
