#pragma once
// The byte encodings provider protocols share: RFC 3986 percent-encoding (URL queries, Aliyun's
// signature), base64 (Basic auth, signatures, MIME) and lower-case hex; and header text without
// its surrounding white space. Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace depot::net {

// Every byte but RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~) as %XY, upper-case hex: a space
// is %20, never '+'.
std::string percent_encode(std::string_view text);

// Standard base64 (RFC 4648), padded, without line breaks.
std::string base64_encode(std::string_view bytes);
// Standard base64, padded or not; nothing when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);

// The text without the white space (spaces, tabs, line breaks) at either end.
std::string_view trim_space(std::string_view text);

}  // namespace depot::net
