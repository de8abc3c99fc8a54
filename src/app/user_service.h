#pragma once
// Console users (SPEC SEC-2): the owner adds people with a role, changes their role or password,
// and removes them; `depot user create` adds one from the command line. Emails are kept in lower
// case and are unique across merchants. Removing a user, or changing their role or password,
// ends their sessions, so nobody keeps rights they no longer have. Every change is audited.
//
// The use cases block (hashing a password takes tens of milliseconds by design, and the write
// waits for its commit): run them on a pool, never on a request thread. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"

namespace depot {

struct NewUser {
  std::string email;
  std::string role;  // owner, operator, service or viewer
  std::string password;
};

struct UserChange {
  std::optional<std::string> role;
  std::optional<std::string> password;
};

class UserService {
 public:
  UserService(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // For the command line: creates the merchant (with its main warehouse) when missing.
  Result<UserRecord> create_for_merchant(const std::string& tenant_slug, const NewUser& user);

  // The owner's use cases (Permission::manage).
  Result<std::vector<UserRecord>> list(const Actor& actor);
  Result<UserRecord> create(const Actor& actor, const NewUser& user);
  Result<UserRecord> change(const Actor& actor, std::int64_t id, const UserChange& change);
  Status remove(const Actor& actor, std::int64_t id);

 private:
  Result<UserRecord> insert(TenantId tenant, const std::string& actor_name, const NewUser& user);

  Store& store_;
  Clock& clock_;
};

// An email as users are found by: trimmed and in lower case.
std::string normalized_email(std::string_view email);

}  // namespace depot
