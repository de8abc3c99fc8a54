#pragma once
// Percent-decoding of paths and query strings.

#include <map>
#include <string>
#include <string_view>

namespace depot::http {

// Decodes %XX escapes; in query strings ('+' means space) when `plus_is_space`.
std::string url_decode(std::string_view text, bool plus_is_space);
std::map<std::string, std::string> parse_query(std::string_view query);
// Whether `text` is well-formed UTF-8: what a decoded path or query must be before it is
// matched, or quoted back in an answer.
bool is_valid_utf8(std::string_view text);

}  // namespace depot::http
