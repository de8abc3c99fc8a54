#pragma once
// What every request to Kuaidi100's services shares, whichever the service (tracking, electronic
// waybills): form bodies, upper-case hex MD5 signatures, the account's base URL, fields of its
// answers, and reading an exchange that never reached the aggregator. Pure functions; thread-safe.

#include <boost/json/object.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "domain/result.h"
#include "net/curl_loop.h"

namespace depot::carriers::kuaidi100 {

inline constexpr const char* kFormContentType = "Content-Type: application/x-www-form-urlencoded";

// Upper-case hex MD5 of `text`: every Kuaidi100 signature is one, of a concatenation that depends
// on the service (a query's is param + key + customer, a waybill's param + t + key + secret).
std::string md5_upper_hex(std::string_view text);

// application/x-www-form-urlencoded: "name=value&…", every name and value percent-encoded.
std::string form_body(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

// A field of an answer as text: Kuaidi100 writes most numbers as strings and some as numbers (and
// flags as booleans); all read as text here, "" when absent or of another kind.
std::string text_field(const boost::json::object& object, std::string_view name);

// The account's URL without trailing slashes, for appending a path.
std::string base_url(std::string_view url);

// A failure before the aggregator's own answer: a transport error, a timeout, depot stopping, or
// an HTTP status other than 200 (Kuaidi100 answers its refusals with 200) — all `unavailable`,
// since the aggregator did not decide anything. Nothing when it answered.
std::optional<Error> exchange_failure(const net::HttpResponse& response);

}  // namespace depot::carriers::kuaidi100
