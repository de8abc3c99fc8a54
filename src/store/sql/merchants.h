#pragma once
// What a SQL store reads and writes outside any one merchant's scope: merchants themselves, and
// the lookups that find the merchant of a key, a console user or a session. Each runs on a
// connection the store hands it, inside whatever transaction the store has opened.

#include <optional>
#include <string>
#include <vector>

#include "app/ports.h"
#include "store/sql/connection.h"
#include "store/sql/sql_tx.h"

namespace depot::sql {

std::optional<TenantId> find_tenant(Connection& db, const std::string& slug);
std::vector<TenantId> tenant_ids(Connection& db);
// A key that is not revoked.
std::optional<ApiKeyRecord> find_api_key(Connection& db, const std::string& key_hash);
std::optional<MerchantUser> find_user_by_email(Connection& db, const std::string& email);
// The session with this token hash, expired or not, with its user.
std::optional<MerchantSession> find_session(Connection& db, const std::string& token_hash);

// The merchant with this slug, created with default settings and a fresh secret for its signed
// links when missing. Run inside a write transaction.
TenantId ensure_tenant(Connection& db, IdSource& ids, const std::string& slug, Instant now);

// The highest schema version applied, 0 for an empty database.
int schema_version(Connection& db);

}  // namespace depot::sql
