#pragma once
// What the harnesses share: libFuzzer's bytes as text, and the split of one input into the
// several strings a harness needs.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace depot::fuzz {

inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut at its first `count - 1` NUL bytes into `count` parts (the last ones empty when
// there are fewer NULs), so the fuzzer can grow each part on its own.
inline std::vector<std::string_view> parts_of(std::string_view input, std::size_t count) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < count) {
    std::size_t nul = input.find('\0');
    parts.push_back(input.substr(0, nul));
    input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  }
  parts.push_back(input);
  return parts;
}

}  // namespace depot::fuzz
