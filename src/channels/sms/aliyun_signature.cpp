#include "channels/sms/aliyun_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "net/encoding.h"

namespace depot::channels {

std::string aliyun_percent_encode(std::string_view text) { return net::percent_encode(text); }

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
