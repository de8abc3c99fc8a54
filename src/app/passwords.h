#pragma once
// Console passwords (SPEC SEC-2): hashed with argon2id (libargon2) at the parameters OWASP
// recommends for it (19 MiB, 2 passes, 1 lane), each with its own random salt, and stored in the
// PHC string format, so a hash carries the parameters it was made with and stronger ones can be
// introduced without invalidating existing passwords. Thread-safe.

#include <string>
#include <string_view>

#include "domain/result.h"

namespace depot {

// A password a person may choose: 8 to 256 bytes, not only spaces. The error names `field`.
Status check_password_rule(std::string_view password, std::string_view field = "password");

std::string hash_password(std::string_view password);
// False for a wrong password or a hash that is not an argon2id PHC string.
bool verify_password(const std::string& encoded_hash, std::string_view password);

}  // namespace depot
