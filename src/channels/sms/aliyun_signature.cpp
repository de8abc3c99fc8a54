#include "channels/sms/aliyun_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace depot::channels {

std::string aliyun_percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string aliyun_canonical_query(const std::map<std::string, std::string>& params) {
  // std::map orders names by their bytes, which is the order Aliyun sorts them in.
  std::string query;
  for (const auto& [name, value] : params) {
    if (name == "Signature") continue;
    if (!query.empty()) query += '&';
    query += aliyun_percent_encode(name);
    query += '=';
    query += aliyun_percent_encode(value);
  }
  return query;
}

std::string aliyun_string_to_sign(std::string_view method,
                                  const std::map<std::string, std::string>& params) {
  return std::string(method) + "&" + aliyun_percent_encode("/") + "&" +
         aliyun_percent_encode(aliyun_canonical_query(params));
}

std::string aliyun_rpc_signature(std::string_view method,
                                 const std::map<std::string, std::string>& params,
                                 std::string_view access_key_secret) {
  std::string key = std::string(access_key_secret) + "&";
  std::string to_sign = aliyun_string_to_sign(method, params);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), digest,
           &digest_size) == nullptr) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  std::string encoded(4 * ((digest_size + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), digest,
                  static_cast<int>(digest_size));
  return encoded;
}

}  // namespace depot::channels
