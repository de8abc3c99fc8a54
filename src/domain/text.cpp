#include "domain/text.h"

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
