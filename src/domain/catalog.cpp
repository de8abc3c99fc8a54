#include "domain/catalog.h"

#include "domain/text.h"

namespace depot {

std::vector<FieldError> validate_product(const Product& product) {
  std::vector<FieldError> errors;
  if (!is_valid_sku(product.sku)) {
    errors.push_back({"sku", "must be 1-64 letters, digits, '-', '_' or '.'"});
  }
  if (trimmed(product.name).empty()) {
    errors.push_back({"name", "is required"});
  } else if (utf8_length(product.name) > 200) {
    errors.push_back({"name", "must be at most 200 characters"});
  }
  if (product.price < 0) errors.push_back({"price", "must not be negative"});
  if (product.weight_grams < 0) errors.push_back({"weight_grams", "must not be negative"});
  if (product.low_stock_threshold < 0) {
    errors.push_back({"low_stock_threshold", "must not be negative"});
  }
  if (product.barcode.size() > 64) errors.push_back({"barcode", "must be at most 64 characters"});
  if (product.attributes.size() > 50) errors.push_back({"attributes", "at most 50 attributes"});
  for (const auto& [key, value] : product.attributes) {
    if (key.empty() || key.size() > 64 || value.size() > 500) {
      errors.push_back({"attributes." + key, "keys are 1-64 and values at most 500 characters"});
    }
  }
  return errors;
}

LocationRef default_location() {
  return {std::string(kMainWarehouse), std::string(kDefaultLocation)};
}

std::optional<LocationRef> parse_location_ref(std::string_view text) {
  auto slash = text.find('/');
  LocationRef ref;
  if (slash == std::string_view::npos) {
    ref = {std::string(kMainWarehouse), std::string(text)};
  } else {
    ref = {std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
  }
  if (!is_valid_code(ref.warehouse) || !is_valid_code(ref.location)) return std::nullopt;
  return ref;
}

std::string sniff_image_type(std::string_view bytes) {
  auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
  };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  return {};
}

}  // namespace depot
