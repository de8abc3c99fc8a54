#pragma once
// The Geocoder port spoken to a service with the Amap (高德) web service protocol, "地理编码" v3:
// GET {url}/v3/geocode/geo?address=…&city=…&key=…&output=JSON. Lookups run on the geocoder's own
// net::CurlLoop, so geocode() never waits on the network; the loop is its own, not the
// notification channels', so that a burst of notifications cannot hold up order verification and
// Amap's per-key query limit gets its own in-flight limit. Found and not-found answers are kept in
// a bounded LRU cache per (url, key, city, address); errors are not, so a service that comes back
// is asked again.
//
// Thread safety: geocode() may be called from any thread at once. A cached answer runs `done` on
// the caller's thread before geocode() returns; any other answer runs it on the loop's thread.
// Destruction answers every request not yet answered with `unavailable`, so `done` always runs
// exactly once; no geocode() call may overlap the destructor.

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

#include "app/geocoder.h"
#include "concurrency/mutex.h"
#include "net/curl_loop.h"

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
  // Starts the loop. Throws std::invalid_argument when max_in_flight is 0, and
  // std::runtime_error when curl cannot be set up.
  explicit AmapGeocoder(AmapGeocoderOptions options = {});
  ~AmapGeocoder() override = default;

  AmapGeocoder(const AmapGeocoder&) = delete;
  AmapGeocoder& operator=(const AmapGeocoder&) = delete;

  void geocode(const GeocoderConfig& config, const Address& address,
               std::function<void(Result<GeocodeAnswer>)> done) override;

 private:
  using CacheEntry = std::pair<std::string, GeocodeAnswer>;

  void finish(const std::string& service, const std::string& cache_key,
              const net::HttpResponse& response,
              const std::function<void(Result<GeocodeAnswer>)>& done);

  bool cached(const std::string& cache_key, GeocodeAnswer& answer);
  void remember(const std::string& cache_key, const GeocodeAnswer& answer);

  const AmapGeocoderOptions options_;

  Mutex cache_mutex_;
  std::list<CacheEntry> lru_ GUARDED_BY(cache_mutex_);  // most recently used first
  std::unordered_map<std::string, std::list<CacheEntry>::iterator> cache_index_
      GUARDED_BY(cache_mutex_);

  // Last, so it stops first: the answers it gives while stopping still find the cache.
  net::CurlLoop loop_;
};

}  // namespace depot::geocoders
