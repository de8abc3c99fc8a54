#include "app/access_service.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

#include "app/audit.h"
#include "app/inventory_service.h"
#include "app/session_service.h"
#include "app/write.h"
#include "domain/text.h"

namespace depot {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

std::string random_token(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("the system random source failed");
  }
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string token;
  for (unsigned char c : raw) token += kAlphabet[c & 31];
  return token;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<TenantId> ensure_merchant(Store& store, const std::string& tenant_slug) {
  if (!is_valid_code(tenant_slug)) {
    return invalid_field("tenant", "must be 1-64 letters, digits, '-', '_' or '.'");
  }
  TenantId tenant = store.ensure_tenant(tenant_slug);
  Result<bool> provisioned =
      run_write_blocking<bool>(store, tenant, [](WriteTx& tx) -> Result<bool> {
        Status status = provision_tenant(tx);
        if (!status.ok()) return status.error();
        return true;
      });
  if (!provisioned.ok()) return provisioned.error();
  return tenant;
}

Result<CreatedKey> AccessService::create_key(const std::string& tenant_slug, Role role) {
  Result<TenantId> tenant = ensure_merchant(store_, tenant_slug);
  if (!tenant.ok()) return tenant.error();
  return insert_key(*tenant, "cli", role);
}

Result<CreatedKey> AccessService::create_key(const Actor& actor, const std::string& role_text) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  std::optional<Role> role = parse_role(role_text);
  if (!role) return invalid_field("role", "must be owner, operator, service or viewer");
  return insert_key(actor.tenant_id, actor.name, *role);
}

Result<CreatedKey> AccessService::insert_key(TenantId tenant, const std::string& actor_name,
                                             Role role) {
  std::string key = "dpt_" + random_token(32);
  std::string prefix = key.substr(0, 8);
  Instant now = clock_.now();
  // The audit log names a key by its prefix, never the key itself.
  return run_write_blocking<CreatedKey>(store_, tenant, [&](WriteTx& tx) -> Result<CreatedKey> {
    std::int64_t id = tx.insert_api_key(sha256_hex(key), prefix, role, now);
    record_audit(tx, actor_name, "api_key.create", audit_object("api_key", prefix),
                 {{"role", "", std::string(to_string(role))}}, now);
    return CreatedKey{tenant, ApiKeyInfo{id, prefix, role, now}, key};
  });
}

Result<std::vector<ApiKeyInfo>> AccessService::list_keys(const Actor& actor) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  return store_.read(actor.tenant_id)->api_keys();
}

Status AccessService::revoke_key(const Actor& actor, std::int64_t id) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  Instant now = clock_.now();
  Result<bool> revoked =
      run_write_blocking<bool>(store_, actor.tenant_id, [&](WriteTx& tx) -> Result<bool> {
        std::vector<ApiKeyInfo> keys = tx.api_keys();
        auto key = std::find_if(keys.begin(), keys.end(), [&](auto& k) { return k.id == id; });
        if (key == keys.end() || !tx.revoke_api_key(id, now)) {
          return error(ErrorCode::not_found, "no such key");
        }
        record_audit(tx, actor.name, "api_key.revoke", audit_object("api_key", key->prefix), {},
                     now);
        return true;
      });
  if (!revoked.ok()) return revoked.error();
  MutexLock lock(mutex_);
  known_.clear();
  return {};
}

Result<LiveSession> AccessService::authenticate_session(const std::string& token) {
  return find_live_session(store_, clock_, token);
}

Result<Actor> AccessService::authenticate(const std::string& key) {
  if (key.empty()) return error(ErrorCode::unauthenticated, "an API key is required");
  std::string hash = sha256_hex(key);
  Instant now = clock_.now();
  {
    MutexLock lock(mutex_);
    auto found = known_.find(hash);
    if (found != known_.end() && now - found->second.checked_at < kKeyRecheck) {
      return found->second.actor;
    }
  }
  std::optional<ApiKeyRecord> record = store_.find_api_key(hash);
  MutexLock lock(mutex_);
  if (!record) {
    known_.erase(hash);
    return error(ErrorCode::unauthenticated, "the API key is not valid");
  }
  Actor actor{record->tenant_id, "key:" + std::to_string(record->key_id), record->role};
  known_.insert_or_assign(hash, KnownKey{actor, now});
  return actor;
}

}  // namespace depot
