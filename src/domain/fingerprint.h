#pragma once
// A stable digest of a request's parts (64-bit FNV-1a, hex), to tell a true repeat of an
// idempotent request from a different request that reuses its key. Stable across builds and
// platforms, unlike std::hash; not for security.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace depot {

class Fingerprint {
 public:
  Fingerprint& add(std::string_view text) {
    for (unsigned char c : text) mix(c);
    mix(0x1f);  // a separator, so ("ab", "c") differs from ("a", "bc")
    return *this;
  }
  Fingerprint& add(std::int64_t number) { return add(std::to_string(number)); }

  std::string hex() const {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash_));
    return text;
  }

 private:
  void mix(unsigned char c) {
    hash_ ^= c;
    hash_ *= 1099511628211ULL;
  }

  std::uint64_t hash_ = 14695981039346656037ULL;
};

}  // namespace depot
