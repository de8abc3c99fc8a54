#pragma once
// Finding a key an object repeats in a JSON text: a parsed boost::json::object keeps only the last
// of them, so a body that says two things would silently mean one of them.

#include <optional>
#include <string>
#include <string_view>

namespace depot::http {

// The first key that some object of `json` (valid JSON) holds twice, with its path
// ("lines[0].sku"), or nothing.
std::optional<std::string> repeated_key(std::string_view json);

}  // namespace depot::http
