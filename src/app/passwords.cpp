#include "app/passwords.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace depot {

namespace {

constexpr std::uint32_t kPasses = 2;
constexpr std::uint32_t kMemoryKiB = 19 * 1024;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kMinLength = 8;
constexpr std::size_t kMaxLength = 256;

}  // namespace

Status check_password_rule(std::string_view password, std::string_view field) {
  if (password.size() < kMinLength || password.size() > kMaxLength ||
      std::all_of(password.begin(), password.end(), [](char c) { return c == ' '; })) {
    return invalid_field(std::string(field), "must be 8 to 256 characters, not only spaces");
  }
  return {};
}

std::string hash_password(std::string_view password) {
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("the system random source failed");
  }
  std::string encoded(
      argon2_encodedlen(kPasses, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id), '\0');
  int rc =
      argon2id_hash_encoded(kPasses, kMemoryKiB, kLanes, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    throw std::runtime_error(std::string("argon2id failed: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(const std::string& encoded_hash, std::string_view password) {
  if (!encoded_hash.starts_with("$argon2id$")) return false;
  return argon2id_verify(encoded_hash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace depot
