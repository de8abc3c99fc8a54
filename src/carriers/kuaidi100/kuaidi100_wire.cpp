#include "carriers/kuaidi100/kuaidi100_wire.h"

#include <openssl/evp.h>

#include <boost/json.hpp>

#include <cctype>

#include "net/encoding.h"

namespace depot::carriers::kuaidi100 {

std::string md5_upper_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr);
  std::string hex =
      net::hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex;
}

std::string form_body(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += net::percent_encode(name);
    body += '=';
    body += net::percent_encode(value);
  }
  return body;
}

std::string text_field(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr) return {};
  if (const auto* text = value->if_string()) return std::string(*text);
  if (value->is_int64()) return std::to_string(value->get_int64());
  if (value->is_uint64()) return std::to_string(value->get_uint64());
  if (value->is_bool()) return value->get_bool() ? "true" : "false";
  return {};
}

std::string base_url(std::string_view url) {
  while (url.ends_with('/')) url.remove_suffix(1);
  return std::string(url);
}

std::optional<Error> exchange_failure(const net::HttpResponse& response) {
  if (response.error == CURLE_ABORTED_BY_CALLBACK) {
    return error(ErrorCode::unavailable, "depot stopped before the aggregator answered");
  }
  if (response.error != CURLE_OK || response.status != 200) {
    return error(ErrorCode::unavailable,
                 "the aggregator did not answer: " + net::summary(response));
  }
  return std::nullopt;
}

}  // namespace depot::carriers::kuaidi100
