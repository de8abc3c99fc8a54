// JSON bodies read field by field (http/json_input.h): the reader every body goes through —
// products, stock commands, settings, rules, shipments, after-sales. Every accessor is asked for
// every key at every depth, so each type and range check meets every kind of value.
#include "fuzz_input.h"
#include "http/json_input.h"
#include "http/problem.h"
#include "json_body.h"

using namespace depot;
using namespace depot::http;

namespace {

struct SkuLine {
  std::string sku;
  std::int64_t quantity = 0;
};

void read_all(const boost::json::object& object, std::string prefix,
              std::vector<FieldError>& errors, int depth) {
  Fields f(object, prefix, errors);
  f.reject_unknown({"sku", "name", "price", "quantity", "lines", "settings"});
  f.reject_nulls();
  for (const auto& [key, value] : object) {
    (void)f.text(key, true, 64);
    (void)f.integer(key, true);
    (void)f.number(key);
    (void)f.boolean(key);
    (void)f.instant(key);
    (void)f.text_list(key);
    (void)f.array(key);
    (void)read_sku_lines<SkuLine>(f, key, false, errors);
    if (const boost::json::object* inner = f.object(key); inner != nullptr && depth < 4) {
      read_all(*inner, f.path(key), errors, depth + 1);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::optional<boost::json::object> body = fuzz::json_body_of(fuzz::text_of(data, size));
  if (!body) return 0;
  std::vector<FieldError> errors;
  read_all(*body, "", errors, 0);
  if (auto failed = field_errors(std::move(errors))) (void)problem(*failed);
  return 0;
}
