#pragma once
// HMAC-SHA256 and the encodings signatures travel in (lower-case hex, base64): shared by the links
// depot signs (app/tracking_links.h) and the platform webhooks it verifies
// (app/integration_service.h). Pure; thread-safe.

#include <string>
#include <string_view>

namespace depot {

// The raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view data);

std::string lower_hex(std::string_view bytes);
// Standard base64 (RFC 4648), padded, without line breaks.
std::string base64(std::string_view bytes);

}  // namespace depot
