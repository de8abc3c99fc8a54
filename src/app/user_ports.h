#pragma once
// The store's interfaces for the people and keys that act for a merchant (SPEC SEC-1, SEC-2):
// console users with their password hashes, their login sessions, and API keys. ReadTx and
// WriteTx (app/ports.h) include them. A user's email is unique across all merchants, because a
// login names only the email.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/time.h"

namespace depot {

enum class Role;

struct UserRecord {
  std::int64_t id = 0;
  std::string email;  // lower case
  Role role;
  std::string password_hash;  // argon2id, encoded with its parameters and salt
  Instant created_at;
  std::optional<Instant> last_login_at;
};

// A login session as the store keeps it: only the SHA-256 of its token is stored, so a copy of
// the database cannot be used to sign in.
struct SessionRecord {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string csrf_token;  // sent back by the console with every write
  Instant created_at;
  Instant expires_at;
};

struct ApiKeyInfo {
  std::int64_t id = 0;
  std::string prefix;  // the first characters of the key, to tell keys apart
  Role role;
  Instant created_at;
};

class UserReads {
 public:
  virtual ~UserReads() = default;
  virtual std::vector<UserRecord> users() = 0;
  virtual std::optional<UserRecord> find_user(std::int64_t id) = 0;
  // True when any merchant has a user with this email.
  virtual bool email_taken(const std::string& email) = 0;
  // Keys that are not revoked, oldest first.
  virtual std::vector<ApiKeyInfo> api_keys() = 0;
};

class UserWrites {
 public:
  virtual ~UserWrites() = default;
  virtual std::int64_t insert_user(const UserRecord& user) = 0;
  virtual void update_user(const UserRecord& user) = 0;
  // Deletes the user and every session of theirs.
  virtual void delete_user(std::int64_t id) = 0;
  virtual void insert_session(const SessionRecord& session) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;
  virtual void delete_user_sessions(std::int64_t user_id) = 0;
  // Sessions that expired before `now` (of this merchant) are of no more use.
  virtual void delete_expired_sessions(Instant now) = 0;
  virtual std::int64_t insert_api_key(const std::string& key_hash, const std::string& prefix,
                                      Role role, Instant at) = 0;
  // False when the merchant has no such key, or it was revoked already.
  virtual bool revoke_api_key(std::int64_t id, Instant at) = 0;
};

}  // namespace depot
