#include "geocoders/amap/amap_geocoder.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <utility>

#include "net/encoding.h"

namespace depot::geocoders {
namespace {

// The address as Amap reads it best: from the province down. A municipality's city repeats its
// province ("上海市上海市…"), which Amap matches worse, so it is written once.
std::string address_text(const Address& address) {
  std::string text = address.province;
  if (address.city != address.province) text += address.city;
  text += address.district;
  text += address.detail;
  return text;
}

// Amap's `city` narrows the search; for a municipality the province is the city.
const std::string& city_param(const Address& address) {
  return address.city.empty() ? address.province : address.city;
}

// The base URL without trailing slashes, or empty when it is not http(s) with a host.
std::string service_base(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return {};
  }
  if (rest.empty() || rest.front() == '/') return {};
  while (url.ends_with('/')) url.remove_suffix(1);
  return std::string(url);
}

// Amap writes numbers as strings and an empty field as `[]`; both read as text here.
std::string text_field(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr) return {};
  if (const auto* text = value->if_string()) return std::string(*text);
  if (value->is_int64()) return std::to_string(value->get_int64());
  return {};
}

Result<GeocodeAnswer> read_answer(std::string_view body) {
  boost::system::error_code parse_error;
  boost::json::value json = boost::json::parse(body, parse_error);
  if (parse_error || !json.is_object()) {
    return error(ErrorCode::unavailable, "the geocoder's answer is not a JSON object");
  }
  const boost::json::object& root = json.get_object();
  if (text_field(root, "status") != "1") {
    std::string info = text_field(root, "info");
    std::string infocode = text_field(root, "infocode");
    return error(ErrorCode::unavailable,
                 "the geocoder refused: " + (info.empty() ? std::string("no reason given") : info) +
                     (infocode.empty() ? "" : " (" + infocode + ")"));
  }
  const boost::json::value* geocodes = root.if_contains("geocodes");
  const boost::json::array* list = geocodes != nullptr ? geocodes->if_array() : nullptr;
  if (text_field(root, "count") == "0" || list == nullptr || list->empty()) {
    return GeocodeAnswer{};
  }
  const boost::json::object* first = list->front().if_object();
  if (first == nullptr)
    return error(ErrorCode::unavailable, "the geocoder's answer has no geocode");
  GeocodeAnswer answer;
  answer.found = true;
  answer.adcode = text_field(*first, "adcode");
  answer.formatted_address = text_field(*first, "formatted_address");
  answer.level = text_field(*first, "level");
  // Without an adcode a match cannot be checked against the written district; holding the
  // order on such an answer would blame the address for the service's gap.
  if (answer.adcode.empty()) return error(ErrorCode::unavailable, "the geocode has no adcode");
  return answer;
}

// What a finished exchange says: curl's failure, the HTTP status, or the answer in the body.
Result<GeocodeAnswer> outcome(const net::HttpResponse& response) {
  if (response.error == CURLE_ABORTED_BY_CALLBACK) {
    return error(ErrorCode::unavailable, "the geocoder stopped");
  }
  if (response.error != CURLE_OK) {
    return error(ErrorCode::unavailable, "the geocoder did not answer: " + response.error_text);
  }
  if (response.status != 200) {
    return error(ErrorCode::unavailable,
                 "the geocoder answered HTTP " + std::to_string(response.status));
  }
  return read_answer(response.body);
}

}  // namespace

AmapGeocoder::AmapGeocoder(AmapGeocoderOptions options)
    : options_(options), loop_(net::CurlLoopOptions{.max_in_flight = options.max_in_flight}) {}

void AmapGeocoder::geocode(const GeocoderConfig& config, const Address& address,
                           std::function<void(Result<GeocodeAnswer>)> done) {
  std::string base = service_base(config.url);
  if (base.empty()) {
    // The url itself stays out of the log: a mistyped one may carry the key.
    spdlog::warn("amap geocoder: the configured url is not http:// or https://");
    done(error(ErrorCode::unavailable, "the geocoder url must start with http:// or https://"));
    return;
  }
  std::string text = address_text(address);
  const std::string& city = city_param(address);

  // NUL cannot occur in a URL, a key or a name, so the parts cannot run into each other.
  std::string cache_key = base + '\0' + config.key + '\0' + city + '\0' + text;
  GeocodeAnswer answer;
  if (cached(cache_key, answer)) {
    done(std::move(answer));
    return;
  }

  net::HttpRequest request;
  request.method = "GET";
  // The full URL holds the key, so it is never logged; `base` is.
  request.url = base + "/v3/geocode/geo?address=" + net::percent_encode(text) +
                "&city=" + net::percent_encode(city) + "&key=" + net::percent_encode(config.key) +
                "&output=JSON";
  request.connect_timeout = options_.connect_timeout;
  request.timeout = options_.total_timeout;
  loop_.http(request, [this, service = std::move(base), cache_key = std::move(cache_key),
                       done = std::move(done)](const net::HttpResponse& response) {
    finish(service, cache_key, response, done);
  });
}

void AmapGeocoder::finish(const std::string& service, const std::string& cache_key,
                          const net::HttpResponse& response,
                          const std::function<void(Result<GeocodeAnswer>)>& done) {
  Result<GeocodeAnswer> answer = outcome(response);
  if (answer.ok()) {
    remember(cache_key, *answer);
  } else if (response.error != CURLE_ABORTED_BY_CALLBACK) {
    spdlog::warn("amap geocoder {}: {}", service, answer.error().message);
  }
  done(std::move(answer));
}

bool AmapGeocoder::cached(const std::string& cache_key, GeocodeAnswer& answer) {
  MutexLock lock(cache_mutex_);
  auto found = cache_index_.find(cache_key);
  if (found == cache_index_.end()) return false;
  lru_.splice(lru_.begin(), lru_, found->second);
  answer = found->second->second;
  return true;
}

void AmapGeocoder::remember(const std::string& cache_key, const GeocodeAnswer& answer) {
  if (options_.cache_capacity == 0) return;
  MutexLock lock(cache_mutex_);
  auto found = cache_index_.find(cache_key);
  if (found != cache_index_.end()) {
    found->second->second = answer;
    lru_.splice(lru_.begin(), lru_, found->second);
    return;
  }
  lru_.emplace_front(cache_key, answer);
  cache_index_.emplace(cache_key, lru_.begin());
  if (lru_.size() > options_.cache_capacity) {
    cache_index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

}  // namespace depot::geocoders
