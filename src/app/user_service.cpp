#include "app/user_service.h"

#include <algorithm>
#include <cctype>

#include "app/access_service.h"
#include "app/audit.h"
#include "app/passwords.h"
#include "app/write.h"
#include "domain/order_rules.h"
#include "domain/text.h"

namespace depot {

namespace {

// The checked parts of a new user: its role, and its password hashed.
struct CheckedUser {
  Role role;
  std::string email;
  std::string password_hash;
};

Result<CheckedUser> check(const NewUser& user) {
  std::vector<FieldError> errors;
  std::string email = normalized_email(user.email);
  if (!is_valid_email(email)) errors.push_back({"email", "must be an email address"});
  std::optional<Role> role = parse_role(user.role);
  if (!role) errors.push_back({"role", "must be owner, operator, service or viewer"});
  if (Status rule = check_password_rule(user.password); !rule.ok()) {
    errors.push_back(rule.error().fields.front());
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return CheckedUser{*role, std::move(email), hash_password(user.password)};
}

}  // namespace

std::string normalized_email(std::string_view email) {
  std::string normalized(trimmed(email));
  std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return normalized;
}

Result<UserRecord> UserService::create_for_merchant(const std::string& tenant_slug,
                                                    const NewUser& user) {
  Result<TenantId> tenant = ensure_merchant(store_, tenant_slug);
  if (!tenant.ok()) return tenant.error();
  return insert(*tenant, "cli", user);
}

Result<std::vector<UserRecord>> UserService::list(const Actor& actor) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  return store_.read(actor.tenant_id)->users();
}

Result<UserRecord> UserService::create(const Actor& actor, const NewUser& user) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  return insert(actor.tenant_id, actor.name, user);
}

Result<UserRecord> UserService::insert(TenantId tenant, const std::string& actor_name,
                                       const NewUser& user) {
  Result<CheckedUser> checked = check(user);
  if (!checked.ok()) return checked.error();
  Instant now = clock_.now();
  return run_write_blocking<UserRecord>(store_, tenant, [&](WriteTx& tx) -> Result<UserRecord> {
    if (tx.email_taken(checked->email)) {
      return Error{ErrorCode::conflict,
                   "email: a user with this email exists already",
                   {{"email", "a user with this email exists already"}}};
    }
    UserRecord record{0, checked->email, checked->role, checked->password_hash, now, std::nullopt};
    record.id = tx.insert_user(record);
    record_audit(tx, actor_name, "user.create", audit_object("user", record.id),
                 {{"email", "", record.email},
                  {"role", "", std::string(to_string(record.role))},
                  {"password", "", "(changed)"}},
                 now);
    return record;
  });
}

Result<UserRecord> UserService::change(const Actor& actor, std::int64_t id,
                                       const UserChange& change) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  std::vector<FieldError> errors;
  std::optional<Role> role;
  if (change.role) {
    role = parse_role(*change.role);
    if (!role) errors.push_back({"role", "must be owner, operator, service or viewer"});
  }
  if (change.password) {
    if (Status rule = check_password_rule(*change.password); !rule.ok()) {
      errors.push_back(rule.error().fields.front());
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  std::optional<std::string> hash;
  if (change.password) hash = hash_password(*change.password);
  Instant now = clock_.now();
  return run_write_blocking<UserRecord>(
      store_, actor.tenant_id, [&](WriteTx& tx) -> Result<UserRecord> {
        std::optional<UserRecord> user = tx.find_user(id);
        if (!user) return error(ErrorCode::not_found, "no such user");
        std::vector<FieldChange> changes;
        if (role && *role != user->role) {
          changes.push_back(
              {"role", std::string(to_string(user->role)), std::string(to_string(*role))});
          user->role = *role;
        }
        if (hash) {
          changes.push_back({"password", "(changed)", "(changed)"});
          user->password_hash = *hash;
        }
        if (changes.empty()) return *user;
        tx.update_user(*user);
        tx.delete_user_sessions(id);
        record_audit(tx, actor.name, "user.update", audit_object("user", id), std::move(changes),
                     now);
        return *user;
      });
}

Status UserService::remove(const Actor& actor, std::int64_t id) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  Instant now = clock_.now();
  Result<bool> removed =
      run_write_blocking<bool>(store_, actor.tenant_id, [&](WriteTx& tx) -> Result<bool> {
        std::optional<UserRecord> user = tx.find_user(id);
        if (!user) return error(ErrorCode::not_found, "no such user");
        if (actor.name == "user:" + std::to_string(id)) {
          return error(ErrorCode::conflict, "you cannot remove yourself; another owner can");
        }
        tx.delete_user(id);
        record_audit(tx, actor.name, "user.delete", audit_object("user", id),
                     {{"email", user->email, ""}}, now);
        return true;
      });
  if (!removed.ok()) return removed.error();
  return {};
}

}  // namespace depot
