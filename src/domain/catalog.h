#pragma once
// Products, warehouses and locations (SPEC INV-1, INV-2, INV-5).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"
#include "domain/time.h"

namespace depot {

struct ProductImage {
  std::int64_t id = 0;
  std::string file_name;  // unguessable name under which the image is served
  std::string content_type;
  std::int64_t size = 0;
};

struct Product {
  std::string sku;
  std::string name;
  std::int64_t price = 0;
  std::string currency;
  std::string barcode;
  std::map<std::string, std::string> attributes;
  std::int64_t weight_grams = 0;
  std::int64_t low_stock_threshold = 0;
  std::vector<ProductImage> images;
  std::int64_t version = 1;
  Instant created_at;
  Instant updated_at;
};

std::vector<FieldError> validate_product(const Product& product);

// "main/default" names location `default` of warehouse `main`; a bare "default" means warehouse
// main. Both codes follow is_valid_code().
struct LocationRef {
  std::string warehouse;
  std::string location;

  std::string to_string() const { return warehouse + "/" + location; }
  bool operator==(const LocationRef&) const = default;
};

inline constexpr std::string_view kMainWarehouse = "main";
inline constexpr std::string_view kDefaultLocation = "default";

LocationRef default_location();
std::optional<LocationRef> parse_location_ref(std::string_view text);

// Who parcels leaving a warehouse come from: printed on waybills as the sender, and the origin
// of their routes for delivery estimates.
struct SenderAddress {
  std::string name;
  std::string phone;
  std::string province;
  std::string city;
  std::string district;
  std::string detail;
};

struct Warehouse {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::vector<std::string> locations;
  std::optional<SenderAddress> sender;  // not set until the merchant records one
};

// What an image's first bytes say it is: image/png, image/jpeg, image/gif, image/webp, or empty.
std::string sniff_image_type(std::string_view bytes);

}  // namespace depot
