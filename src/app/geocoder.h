#pragma once
// The geocoder port (SPEC SHP-1): where a merchant has configured one, a street address is looked
// up so that an address that cannot be found, or that lies in another district than the one
// written, holds the order. An adapter speaking the Amap web service protocol implements it
// (src/geocoders/amap/).
//
// Thread safety: geocode() may be called from any thread; `done` runs exactly once, on a thread of
// the adapter's choosing, and must not block.

#include <functional>
#include <string>

#include "domain/geocode.h"
#include "domain/order.h"
#include "domain/result.h"

namespace depot {

// A merchant's geocoder account: the service's base URL and the merchant's key.
struct GeocoderConfig {
  std::string url;
  std::string key;
};

class Geocoder {
 public:
  virtual ~Geocoder() = default;

  // Looks up `address` (its names already normalised). Answers are cached per account and
  // address. A service that is down, slow or refuses the key answers an `unavailable` Error: the
  // caller must then not hold the order on its account.
  virtual void geocode(const GeocoderConfig& config, const Address& address,
                       std::function<void(Result<GeocodeAnswer>)> done) = 0;
};

}  // namespace depot
