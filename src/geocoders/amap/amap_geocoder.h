#pragma once
// The Geocoder port spoken to a service with the Amap (高德) web service protocol, "地理编码" v3:
// GET {url}/v3/geocode/geo?address=…&city=…&key=…&output=JSON. Lookups run on one worker thread
// that drives a curl multi handle, so geocode() never waits on the network. Found and not-found
// answers are kept in a bounded LRU cache per (url, key, city, address); errors are not, so a
// service that comes back is asked again.
//
// Thread safety: geocode() may be called from any thread at once. A cached answer runs `done` on
// the caller's thread before geocode() returns; any other answer runs it on the worker thread.
// Destruction answers every request not yet answered with `unavailable`, so `done` always runs
// exactly once; no geocode() call may overlap the destructor.

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "app/geocoder.h"

namespace depot::geocoders {

struct AmapGeocoderOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds total_timeout{3000};  // per request, from the moment it is sent
  std::size_t cache_capacity = 10000;             // answers kept; the least recently used go first
  // Requests on the wire at once (at least one); the rest wait in a queue. Amap limits queries per
  // second per key, so a burst of orders should not become a burst of refusals.
  std::size_t max_in_flight = 16;
};

class AmapGeocoder final : public Geocoder {
 public:
  // Starts the worker. Throws std::invalid_argument when max_in_flight is 0, and
  // std::runtime_error when curl cannot be set up.
  explicit AmapGeocoder(AmapGeocoderOptions options = {});
  ~AmapGeocoder() override;

  AmapGeocoder(const AmapGeocoder&) = delete;
  AmapGeocoder& operator=(const AmapGeocoder&) = delete;

  void geocode(const GeocoderConfig& config, const Address& address,
               std::function<void(Result<GeocodeAnswer>)> done) override;

 private:
  struct Request {
    std::string service;  // the configured base URL, for logs
    std::string url;      // the full request URL; it holds the key, so it is never logged
    std::string cache_key;
    std::function<void(Result<GeocodeAnswer>)> done;
  };
  struct Transfer;
  using CacheEntry = std::pair<std::string, GeocodeAnswer>;

  void worker_loop();
  void start(Request request);
  void finish(Transfer& transfer, CURLcode code);

  bool cached(const std::string& cache_key, GeocodeAnswer& answer);
  void remember(const std::string& cache_key, const GeocodeAnswer& answer);

  const AmapGeocoderOptions options_;
  CURLM* multi_ = nullptr;

  std::mutex queue_mutex_;
  std::deque<Request> queue_;  // GUARDED_BY(queue_mutex_)
  bool stopping_ = false;      // GUARDED_BY(queue_mutex_)

  // Owned by the worker thread alone.
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> in_flight_;

  std::mutex cache_mutex_;
  std::list<CacheEntry> lru_;  // GUARDED_BY(cache_mutex_); most recently used first
  std::unordered_map<std::string, std::list<CacheEntry>::iterator>
      cache_index_;  // GUARDED_BY(cache_mutex_)

  std::thread worker_;
};

}  // namespace depot::geocoders
