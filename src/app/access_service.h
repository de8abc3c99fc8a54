#pragma once
// Merchants and API keys (SEC-1, SEC-2): creating, listing and revoking keys, and turning a bearer
// key or a console session into the Actor a request runs as. Keys are random, shown once, and
// stored only as their SHA-256. Thread-safe.

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/actor.h"
#include "concurrency/mutex.h"

namespace depot {

struct CreatedKey {
  TenantId tenant_id = 0;
  ApiKeyInfo info;
  std::string key;  // the secret, shown once
};

struct LiveSession;

class AccessService {
 public:
  AccessService(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Creates the merchant (with its main warehouse) when missing, then a key for it. Blocking.
  Result<CreatedKey> create_key(const std::string& tenant_slug, Role role);
  // The owner's use cases (Permission::manage). Blocking: run them on a pool.
  Result<CreatedKey> create_key(const Actor& actor, const std::string& role);
  Result<std::vector<ApiKeyInfo>> list_keys(const Actor& actor);
  // A revoked key is refused from the next request on.
  Status revoke_key(const Actor& actor, std::int64_t id);

  Result<Actor> authenticate(const std::string& key);
  // The console's session named by the cookie's token (app/session_service.h).
  Result<LiveSession> authenticate_session(const std::string& token);

 private:
  Result<CreatedKey> insert_key(TenantId tenant, const std::string& actor_name, Role role);

  // A key found is trusted this long before the store is asked again: a key revoked through
  // another node (several nodes on one database) is refused here within this time, one revoked
  // here at once.
  static constexpr std::chrono::seconds kKeyRecheck{5};
  struct KnownKey {
    Actor actor;
    Instant checked_at;
  };

  Store& store_;
  Clock& clock_;
  Mutex mutex_;
  std::unordered_map<std::string, KnownKey> known_
      GUARDED_BY(mutex_);  // by key hash; emptied when a key is revoked
};

// The merchant with this slug, created with its main warehouse when missing. Blocking: for the
// command line.
Result<TenantId> ensure_merchant(Store& store, const std::string& tenant_slug);

std::string sha256_hex(std::string_view data);
std::string random_token(std::size_t bytes);
// Compares secrets in time that depends on their lengths only.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace depot
