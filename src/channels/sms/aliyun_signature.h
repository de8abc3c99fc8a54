#pragma once
// Aliyun's RPC-style request signature, version 1.0 (HMAC-SHA1), as the Dysmsapi and every other
// RPC API of Aliyun checks it:
//   CanonicalizedQuery = the parameters (all but Signature) sorted by name, each name and value
//                        percent-encoded, joined as name=value with '&'
//   StringToSign       = METHOD + "&" + encode("/") + "&" + encode(CanonicalizedQuery)
//   Signature          = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
// where encode() is Aliyun's percent-encoding of UTF-8: A–Z a–z 0–9 - _ . ~ stay, every other
// byte is %XY (a space is %20, never '+'; '*' is %2A).
//
// Pure functions; safe from any thread.

#include <map>
#include <string>
#include <string_view>

namespace depot::channels {

// Aliyun's percent-encoding of one name or value.
std::string aliyun_percent_encode(std::string_view text);

// The parameters as name=value pairs, sorted and encoded, without any "Signature" parameter.
std::string aliyun_canonical_query(const std::map<std::string, std::string>& params);

std::string aliyun_string_to_sign(std::string_view method,
                                  const std::map<std::string, std::string>& params);

// The Signature parameter's value (before it is itself percent-encoded for the request).
std::string aliyun_rpc_signature(std::string_view method,
                                 const std::map<std::string, std::string>& params,
                                 std::string_view access_key_secret);

}  // namespace depot::channels
