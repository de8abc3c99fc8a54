#include "geocoders/amap/amap_geocoder.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <stdexcept>
#include <string_view>

namespace depot::geocoders {
namespace {

// Amap's answers are bounded by the one geocode read; anything this large is not Amap.
constexpr std::size_t kMaxBody = 1 << 20;

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

// RFC 3986 query component encoding; every byte of a UTF-8 name outside the unreserved set.
std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
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

// What a finished transfer says: curl's failure, the HTTP status, or the answer in the body.
Result<GeocodeAnswer> outcome(CURL* easy, CURLcode code, const char* error_text,
                              std::string_view body) {
  if (code != CURLE_OK) {
    std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
    return error(ErrorCode::unavailable, "the geocoder did not answer: " + detail);
  }
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return error(ErrorCode::unavailable, "the geocoder answered HTTP " + std::to_string(status));
  }
  return read_answer(body);
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t bytes = size * count;
  if (body->size() + bytes > kMaxBody) return 0;  // curl then ends the transfer as failed
  body->append(data, bytes);
  return bytes;
}

std::once_flag curl_initialised;

}  // namespace

struct AmapGeocoder::Transfer {
  Request request;
  CURL* easy = nullptr;
  std::string body;
  char error_text[CURL_ERROR_SIZE] = {};

  explicit Transfer(Request r) : request(std::move(r)) {}
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  ~Transfer() { curl_easy_cleanup(easy); }
};

AmapGeocoder::AmapGeocoder(AmapGeocoderOptions options) : options_(options) {
  if (options_.max_in_flight == 0) throw std::invalid_argument("max_in_flight must be at least 1");
  std::call_once(curl_initialised, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  worker_ = std::thread([this] { worker_loop(); });
}

AmapGeocoder::~AmapGeocoder() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  worker_.join();
  std::deque<Request> waiting;
  {
    std::lock_guard lock(queue_mutex_);
    waiting.swap(queue_);
  }
  for (Request& request : waiting) {
    request.done(error(ErrorCode::unavailable, "the geocoder stopped"));
  }
  curl_multi_cleanup(multi_);
}

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

  Request request;
  request.url = base + "/v3/geocode/geo?address=" + url_encode(text) + "&city=" + url_encode(city) +
                "&key=" + url_encode(config.key) + "&output=JSON";
  request.service = std::move(base);
  request.cache_key = std::move(cache_key);
  request.done = std::move(done);
  {
    std::unique_lock lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(request));
      lock.unlock();
      curl_multi_wakeup(multi_);
      return;
    }
  }
  request.done(error(ErrorCode::unavailable, "the geocoder stopped"));
}

void AmapGeocoder::worker_loop() {
  for (;;) {
    std::deque<Request> starting;
    {
      std::lock_guard lock(queue_mutex_);
      if (stopping_) break;
      while (!queue_.empty() && in_flight_.size() + starting.size() < options_.max_in_flight) {
        starting.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    for (Request& request : starting) start(std::move(request));

    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      CURLcode code = message->data.result;
      auto node = in_flight_.extract(easy);
      curl_multi_remove_handle(multi_, easy);
      if (!node.empty()) finish(*node.mapped(), code);
    }
    // curl shortens the wait to its own next timeout; a wakeup ends it at once.
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }
  for (auto& [easy, transfer] : in_flight_) {
    curl_multi_remove_handle(multi_, easy);
    transfer->request.done(error(ErrorCode::unavailable, "the geocoder stopped"));
  }
  in_flight_.clear();
}

void AmapGeocoder::start(Request request) {
  auto transfer = std::make_unique<Transfer>(std::move(request));
  CURL* easy = curl_easy_init();
  if (easy == nullptr) {
    transfer->request.done(error(ErrorCode::unavailable, "curl_easy_init failed"));
    return;
  }
  transfer->easy = easy;
  curl_easy_setopt(easy, CURLOPT_URL, transfer->request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "depot");
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer->body);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error_text);
  if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    transfer->request.done(error(ErrorCode::unavailable, "curl_multi_add_handle failed"));
    return;
  }
  in_flight_.emplace(easy, std::move(transfer));
}

void AmapGeocoder::finish(Transfer& transfer, CURLcode code) {
  Result<GeocodeAnswer> answer = outcome(transfer.easy, code, transfer.error_text, transfer.body);
  if (answer.ok()) {
    remember(transfer.request.cache_key, *answer);
  } else {
    spdlog::warn("amap geocoder {}: {}", transfer.request.service, answer.error().message);
  }
  transfer.request.done(std::move(answer));
}

bool AmapGeocoder::cached(const std::string& cache_key, GeocodeAnswer& answer) {
  std::lock_guard lock(cache_mutex_);
  auto found = cache_index_.find(cache_key);
  if (found == cache_index_.end()) return false;
  lru_.splice(lru_.begin(), lru_, found->second);
  answer = found->second->second;
  return true;
}

void AmapGeocoder::remember(const std::string& cache_key, const GeocodeAnswer& answer) {
  if (options_.cache_capacity == 0) return;
  std::lock_guard lock(cache_mutex_);
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
