#pragma once
// Merchants and API keys (SEC-1, SEC-2): creating keys, and turning a bearer key into the Actor a
// request runs as. Keys are random, shown once, and stored only as their SHA-256. Thread-safe.

#include <mutex>
#include <string>
#include <unordered_map>

#include "app/actor.h"

namespace depot {

struct CreatedKey {
  TenantId tenant_id = 0;
  std::string key;  // the secret, shown once
};

class AccessService {
 public:
  AccessService(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Creates the merchant (with its main warehouse) when missing, then a key for it. Blocking.
  Result<CreatedKey> create_key(const std::string& tenant_slug, Role role);
  Result<Actor> authenticate(const std::string& key);

 private:
  Store& store_;
  Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Actor> known_;  // by key hash; keys are not revoked yet
};

std::string sha256_hex(std::string_view data);
std::string random_token(std::size_t bytes);
// Compares secrets in time that depends on their lengths only.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace depot
