// Console users, their sessions, and API keys.
#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace {

constexpr const char* kUserColumns =
    "SELECT id, email, role, password_hash, created_at, last_login_at FROM users";

}  // namespace

UserRecord user_from(Query& q, int first) {
  UserRecord user{q.integer(first),
                  q.text(first + 1),
                  parse_role(q.text(first + 2)).value_or(Role::viewer),
                  q.text(first + 3),
                  from_millis(q.integer(first + 4)),
                  std::nullopt};
  if (!q.is_null(first + 5)) user.last_login_at = from_millis(q.integer(first + 5));
  return user;
}

std::vector<UserRecord> SqlTx::users() {
  Query q = db_.query(std::string(kUserColumns) + " WHERE tenant_id = ? ORDER BY id");
  q.bind_all(tenant_);
  std::vector<UserRecord> users;
  while (q.step()) users.push_back(user_from(q, 0));
  return users;
}

std::optional<UserRecord> SqlTx::find_user(std::int64_t id) {
  Query q = db_.query(std::string(kUserColumns) + " WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  return user_from(q, 0);
}

bool SqlTx::email_taken(const std::string& email) {
  Query q = db_.query("SELECT 1 FROM users WHERE email = ?");
  q.bind_all(email);
  return q.step();
}

std::vector<ApiKeyInfo> SqlTx::api_keys() {
  Query q = db_.query(
      "SELECT id, prefix, role, created_at FROM api_keys WHERE tenant_id = ? AND revoked_at IS "
      "NULL ORDER BY id");
  q.bind_all(tenant_);
  std::vector<ApiKeyInfo> keys;
  while (q.step()) {
    keys.push_back({q.integer(0), q.text(1), parse_role(q.text(2)).value_or(Role::viewer),
                    from_millis(q.integer(3))});
  }
  return keys;
}

std::int64_t SqlTx::insert_user(const UserRecord& user) {
  std::int64_t id = next_id("users");
  db_.query(
         "INSERT INTO users (tenant_id, id, email, role, password_hash, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, id, user.email, to_string(user.role), user.password_hash,
                to_millis(user.created_at))
      .run();
  return id;
}

void SqlTx::update_user(const UserRecord& user) {
  std::optional<std::int64_t> last_login;
  if (user.last_login_at) last_login = to_millis(*user.last_login_at);
  db_.query(
         "UPDATE users SET role = ?, password_hash = ?, last_login_at = ? WHERE tenant_id = ? AND "
         "id = ?")
      .bind(1, to_string(user.role))
      .bind(2, user.password_hash)
      .bind_or_null(3, last_login)
      .bind(4, tenant_)
      .bind(5, user.id)
      .run();
}

void SqlTx::delete_user(std::int64_t id) {
  delete_user_sessions(id);
  db_.query("DELETE FROM users WHERE tenant_id = ? AND id = ?").bind_all(tenant_, id).run();
}

void SqlTx::insert_session(const SessionRecord& session) {
  db_.query(
         "INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, created_at, "
         "expires_at) VALUES (?, ?, ?, ?, ?, ?)")
      .bind_all(session.token_hash, tenant_, session.user_id, session.csrf_token,
                to_millis(session.created_at), to_millis(session.expires_at))
      .run();
}

void SqlTx::delete_session(const std::string& token_hash) {
  db_.query("DELETE FROM sessions WHERE tenant_id = ? AND token_hash = ?")
      .bind_all(tenant_, token_hash)
      .run();
}

void SqlTx::delete_user_sessions(std::int64_t user_id) {
  db_.query("DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?")
      .bind_all(tenant_, user_id)
      .run();
}

void SqlTx::delete_expired_sessions(Instant now) {
  db_.query("DELETE FROM sessions WHERE tenant_id = ? AND expires_at < ?")
      .bind_all(tenant_, to_millis(now))
      .run();
}

std::int64_t SqlTx::insert_api_key(const std::string& key_hash, const std::string& prefix,
                                   Role role, Instant at) {
  std::int64_t id = next_id("api_keys");
  db_.query(
         "INSERT INTO api_keys (tenant_id, id, key_hash, prefix, role, created_at) "
         "VALUES (?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, id, key_hash, prefix, to_string(role), to_millis(at))
      .run();
  return id;
}

bool SqlTx::revoke_api_key(std::int64_t id, Instant at) {
  db_.query(
         "UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS "
         "NULL")
      .bind_all(to_millis(at), tenant_, id)
      .run();
  return db_.changes() > 0;
}

}  // namespace depot::sql
