#pragma once
// Links to the public tracking page (SPEC UI-2): a token that names one order of one merchant and
// carries an HMAC-SHA256 of both under the merchant's link key, so nobody can reach an order's page
// by changing a number. The key never leaves the store.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace depot {

// The token of an order's page: "{tenant}.{order}.{signature}" (signature: 32 hex digits).
std::string tracking_token(std::string_view link_key, std::int64_t tenant, std::int64_t order_id);

// What a token claims, before its signature is checked against the claimed merchant's key.
struct TrackingTokenClaim {
  std::int64_t tenant = 0;
  std::int64_t order_id = 0;
  std::string signature;
};
std::optional<TrackingTokenClaim> read_tracking_token(std::string_view token);

// Whether the claim's signature is the one `link_key` gives (compared in constant time).
bool tracking_token_valid(std::string_view link_key, const TrackingTokenClaim& claim);

// The page's address under `site_url` ("https://shop.example.com", with or without a trailing
// slash): {site_url}/t/{token}.
std::string tracking_url(std::string_view site_url, std::string_view token);

}  // namespace depot
