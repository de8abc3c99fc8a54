#include "app/tracking_links.h"

#include <openssl/crypto.h>

#include <charconv>

#include "app/signing.h"

namespace depot {

namespace {

constexpr std::size_t kSignatureBytes = 16;

std::string signature(std::string_view link_key, std::int64_t tenant, std::int64_t order_id) {
  std::string content = "track:" + std::to_string(tenant) + ":" + std::to_string(order_id);
  return lower_hex(hmac_sha256(link_key, content).substr(0, kSignatureBytes));
}

std::optional<std::int64_t> positive_number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

std::string tracking_token(std::string_view link_key, std::int64_t tenant, std::int64_t order_id) {
  return std::to_string(tenant) + "." + std::to_string(order_id) + "." +
         signature(link_key, tenant, order_id);
}

std::optional<TrackingTokenClaim> read_tracking_token(std::string_view token) {
  std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto tenant = positive_number(token.substr(0, first));
  auto order = positive_number(token.substr(first + 1, second - first - 1));
  std::string_view mac = token.substr(second + 1);
  if (!tenant || !order || mac.size() != kSignatureBytes * 2) return std::nullopt;
  return TrackingTokenClaim{*tenant, *order, std::string(mac)};
}

bool tracking_token_valid(std::string_view link_key, const TrackingTokenClaim& claim) {
  if (link_key.empty()) return false;
  std::string expected = signature(link_key, claim.tenant, claim.order_id);
  return expected.size() == claim.signature.size() &&
         CRYPTO_memcmp(expected.data(), claim.signature.data(), expected.size()) == 0;
}

std::string tracking_url(std::string_view site_url, std::string_view token) {
  while (site_url.ends_with('/')) site_url.remove_suffix(1);
  return std::string(site_url) + "/t/" + std::string(token);
}

}  // namespace depot
