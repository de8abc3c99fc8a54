#include "domain/text.h"

#include <algorithm>

namespace depot {

bool is_valid_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string_view trimmed(std::string_view text) {
  const char* kSpace = " \t\r\n";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string_view utf8_prefix(std::string_view text, std::size_t count) {
  std::size_t at = 0;
  for (std::size_t n = 0; n < count && at < text.size(); ++n) {
    auto lead = static_cast<unsigned char>(text[at]);
    at += lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  }
  return text.substr(0, std::min(at, text.size()));
}

std::string mask_name(std::string_view name) {
  name = trimmed(name);
  std::size_t length = utf8_length(name);
  if (length <= 1) return "*";
  return std::string(utf8_prefix(name, 1)) + std::string(length - 1, '*');
}

bool is_http_url(std::string_view url) {
  std::string scheme = ascii_lower(url.substr(0, 8));
  std::size_t host = scheme.starts_with("http://") ? 7 : scheme.starts_with("https://") ? 8 : 0;
  return host != 0 && url.size() > host && url[host] != '/' && url[host] != '?' && url[host] != '#';
}

bool is_base64(std::string_view text) {
  for (int padding = 0; padding < 2 && text.ends_with('='); ++padding) text.remove_suffix(1);
  if (text.size() % 4 == 1) return false;
  for (char c : text) {
    bool digit = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '+' || c == '/';
    if (!digit) return false;
  }
  return true;
}

}  // namespace depot
