#include "store/sql/merchants.h"

#include "app/access_service.h"
#include "store/sql/rollups.h"

namespace depot::sql {

std::optional<TenantId> find_tenant(Connection& db, const std::string& slug) {
  Query q = db.query("SELECT id FROM tenants WHERE slug = ?");
  q.bind_all(slug);
  if (!q.step()) return std::nullopt;
  return q.integer(0);
}

std::vector<TenantId> tenant_ids(Connection& db) {
  std::vector<TenantId> ids;
  Query q = db.query("SELECT id FROM tenants ORDER BY id");
  while (q.step()) ids.push_back(q.integer(0));
  return ids;
}

std::optional<ApiKeyRecord> find_api_key(Connection& db, const std::string& key_hash) {
  Query q = db.query(
      "SELECT k.tenant_id, k.id, k.role, t.slug FROM api_keys k JOIN tenants t "
      "ON t.id = k.tenant_id WHERE k.key_hash = ? AND k.revoked_at IS NULL");
  q.bind_all(key_hash);
  if (!q.step()) return std::nullopt;
  return ApiKeyRecord{q.integer(0), q.integer(1), parse_role(q.text(2)).value_or(Role::viewer),
                      q.text(3)};
}

std::optional<MerchantUser> find_user_by_email(Connection& db, const std::string& email) {
  Query q = db.query(
      "SELECT u.tenant_id, t.slug, u.id, u.email, u.role, u.password_hash, u.created_at, "
      "u.last_login_at FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = ?");
  q.bind_all(email);
  if (!q.step()) return std::nullopt;
  return MerchantUser{q.integer(0), q.text(1), user_from(q, 2)};
}

std::optional<MerchantSession> find_session(Connection& db, const std::string& token_hash) {
  Query q = db.query(
      "SELECT s.tenant_id, t.slug, s.user_id, s.csrf_token, s.created_at, s.expires_at, "
      "u.email, u.role, u.created_at FROM sessions s JOIN tenants t ON t.id = s.tenant_id "
      "JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id WHERE s.token_hash = ?");
  q.bind_all(token_hash);
  if (!q.step()) return std::nullopt;
  MerchantSession session;
  session.tenant_id = q.integer(0);
  session.tenant_slug = q.text(1);
  session.session = {token_hash, q.integer(2), q.text(3), from_millis(q.integer(4)),
                     from_millis(q.integer(5))};
  session.user.id = q.integer(2);
  session.user.email = q.text(6);
  session.user.role = parse_role(q.text(7)).value_or(Role::viewer);
  session.user.created_at = from_millis(q.integer(8));
  return session;
}

TenantId ensure_tenant(Connection& db, IdSource& ids, const std::string& slug, Instant now) {
  if (auto found = find_tenant(db, slug)) return *found;
  TenantId id = ids.next(db, "tenants");
  db.query("INSERT INTO tenants (id, slug, created_at) VALUES (?, ?, ?)")
      .bind_all(id, slug, to_millis(now))
      .run();
  SqlTx tx(db, id, &ids);
  tx.save_settings(MerchantSettings{});
  RollupBuffer rollups;
  tx.settle_rollups(rollups);
  rollups.apply(db);
  db.query("INSERT INTO tenant_secrets (tenant_id, link_key) VALUES (?, ?)")
      .bind_all(id, random_token(32))
      .run();
  return id;
}

int schema_version(Connection& db) {
  Query q = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return q.step() ? static_cast<int>(q.integer(0)) : 0;
}

}  // namespace depot::sql
