#pragma once
// Small text rules shared by the domain: identifiers, trimming, UTF-8 length.

#include <string>
#include <string_view>

namespace depot {

// SKUs, warehouse and location codes: 1–64 of letters, digits, '-', '_', '.'.
bool is_valid_code(std::string_view code);
inline bool is_valid_sku(std::string_view sku) { return is_valid_code(sku); }

std::string_view trimmed(std::string_view text);
std::size_t utf8_length(std::string_view text);
// The first `count` characters of UTF-8 text.
std::string_view utf8_prefix(std::string_view text, std::size_t count);
// A person's name as public pages show it: the first character, then one "*" per other character
// ("张三丰" → "张**"); "*" alone for a one-character name.
std::string mask_name(std::string_view name);
// ASCII letters lower-cased; other bytes (UTF-8 included) as they are.
std::string ascii_lower(std::string_view text);
// An http:// or https:// URL (scheme in any case) naming a host: provider endpoints and links.
bool is_http_url(std::string_view url);
// Standard base64 (RFC 4648), padded or not.
bool is_base64(std::string_view text);

}  // namespace depot
