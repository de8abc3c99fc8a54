#include "app/session_service.h"

#include "app/access_service.h"
#include "app/audit.h"
#include "app/passwords.h"
#include "app/user_service.h"
#include "app/write.h"

namespace depot {

namespace {

constexpr std::size_t kTokenChars = 52;  // 5 bits each: 260 bits
constexpr std::size_t kCsrfChars = 32;

Error wrong_credentials() {
  return error(ErrorCode::unauthenticated, "the email or password is wrong");
}

LiveSession live_session(TenantId tenant, const std::string& slug, const UserRecord& user,
                         const SessionRecord& session) {
  return LiveSession{Actor{tenant, "user:" + std::to_string(user.id), user.role},
                     slug,
                     user.id,
                     user.email,
                     session.csrf_token,
                     session.expires_at};
}

}  // namespace

Result<LiveSession> find_live_session(Store& store, Clock& clock, const std::string& token) {
  if (token.empty()) return error(ErrorCode::unauthenticated, "log in first");
  std::optional<MerchantSession> found = store.find_session(sha256_hex(token));
  if (!found || found->session.expires_at <= clock.now()) {
    return error(ErrorCode::unauthenticated, "the session has ended; log in again");
  }
  return live_session(found->tenant_id, found->tenant_slug, found->user, found->session);
}

SessionService::SessionService(Store& store, Clock& clock, SessionOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      throttle_(options.throttle),
      decoy_hash_(hash_password(random_token(kCsrfChars))) {}

std::optional<std::chrono::seconds> SessionService::wait_before(const std::string& email,
                                                                const std::string& client_address) {
  return throttle_.wait_before(normalized_email(email), client_address, clock_.now());
}

Result<NewSession> SessionService::log_in(const std::string& email_text,
                                          const std::string& password,
                                          const std::string& client_address) {
  std::string email = normalized_email(email_text);
  Instant now = clock_.now();
  if (auto wait = throttle_.wait_before(email, client_address, now)) {
    return error(ErrorCode::rate_limited,
                 "too many failed logins; try again in " + std::to_string(wait->count()) + " s");
  }
  std::optional<MerchantUser> found = store_.find_user_by_email(email);
  bool verified = found ? verify_password(found->user.password_hash, password)
                        : (verify_password(decoy_hash_, password), false);
  if (!verified) {
    throttle_.failed(email, client_address, now);
    return wrong_credentials();
  }
  throttle_.succeeded(email);

  NewSession created{random_token(kTokenChars), {}};
  UserRecord user = found->user;
  SessionRecord record{sha256_hex(created.token), user.id, random_token(kCsrfChars), now,
                       now + options_.lifetime};
  Result<bool> stored =
      run_write_blocking<bool>(store_, found->tenant_id, [&](WriteTx& tx) -> Result<bool> {
        tx.delete_expired_sessions(now);
        tx.insert_session(record);
        user.last_login_at = now;
        tx.update_user(user);
        std::string actor = "user:" + std::to_string(user.id);
        record_audit(tx, actor, "session.create", audit_object("user", user.id), {}, now);
        return true;
      });
  if (!stored.ok()) return stored.error();
  created.session = live_session(found->tenant_id, found->tenant_slug, user, record);
  return created;
}

Status SessionService::log_out(const std::string& token) {
  std::optional<MerchantSession> found = store_.find_session(sha256_hex(token));
  if (!found) return {};
  Instant now = clock_.now();
  Result<bool> ended =
      run_write_blocking<bool>(store_, found->tenant_id, [&](WriteTx& tx) -> Result<bool> {
        tx.delete_session(found->session.token_hash);
        std::string actor = "user:" + std::to_string(found->user.id);
        record_audit(tx, actor, "session.delete", audit_object("user", found->user.id), {}, now);
        return true;
      });
  if (!ended.ok()) return ended.error();
  return {};
}

}  // namespace depot
