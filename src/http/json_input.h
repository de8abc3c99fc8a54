#pragma once
// Reading request bodies: JSON objects field by field, collecting one FieldError per bad field
// with its full path ("lines[0].quantity"), so a request is refused with every fault named at once.

#include <boost/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"
#include "domain/time.h"
#include "http/message.h"

namespace depot::http {

// The body as a JSON object, or a 400 (malformed) / 415 (not JSON) error.
Result<boost::json::object> parse_object(const Request& request);

class Fields {
 public:
  Fields(const boost::json::object& object, std::string prefix, std::vector<FieldError>& errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  std::optional<std::string> text(std::string_view key, bool required = false,
                                  std::size_t max_bytes = 1000);
  std::optional<std::int64_t> integer(std::string_view key, bool required = false);
  // Any JSON number (an integer too), as a double.
  std::optional<double> number(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<Instant> instant(std::string_view key);
  const boost::json::object* object(std::string_view key, bool required = false);
  const boost::json::array* array(std::string_view key, bool required = false);
  std::optional<std::vector<std::string>> text_list(std::string_view key);

  // Names every field not in `known` as an error: a misspelt field must not be silently ignored.
  void reject_unknown(std::initializer_list<std::string_view> known);
  // Names every field whose value is null, for inputs where null means nothing (a setting cannot
  // be unset).
  void reject_nulls();

  std::string path(std::string_view key) const;
  void fail(std::string_view key, std::string message);
  bool has(std::string_view key) const { return object_.contains(key); }

 private:
  const boost::json::value* find(std::string_view key, bool required);

  const boost::json::object& object_;
  std::string prefix_;
  std::vector<FieldError>& errors_;
};

// The array of {sku, quantity} objects at `key`, each read into a Line{sku, quantity}; faults are
// named by path ("lines[1].quantity").
template <class Line>
std::vector<Line> read_sku_lines(Fields& f, std::string_view key, bool required,
                                 std::vector<FieldError>& errors) {
  std::vector<Line> lines;
  const boost::json::array* items = f.array(key, required);
  if (items == nullptr) return lines;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string prefix = f.path(key) + "[" + std::to_string(i) + "]";
    if (!(*items)[i].is_object()) {
      errors.push_back({prefix, "must be an object"});
      continue;
    }
    Fields line((*items)[i].get_object(), prefix, errors);
    line.reject_unknown({"sku", "quantity"});
    lines.push_back(
        {line.text("sku", true, 64).value_or(""), line.integer("quantity", true).value_or(0)});
  }
  return lines;
}

// An Error naming every collected field (422), or none when the list is empty.
std::optional<Error> field_errors(std::vector<FieldError> errors);

// RFC 3339 UTC instants ("2026-11-22T04:05:06Z", fractions allowed) and plain dates.
std::optional<Instant> parse_instant(std::string_view text);
std::string format_instant(Instant instant);

// Query-string helpers: a missing parameter gives the fallback, a bad one an error naming it.
// Page sizes are parsed here and judged by the use case (check_page_size).
Result<std::int64_t> query_integer(const Request& request, const std::string& name,
                                   std::int64_t fallback, std::int64_t min, std::int64_t max);

}  // namespace depot::http
