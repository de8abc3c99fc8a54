#pragma once
// The audit log (SEC-3): every write says who made it, what it did to which object, each field
// before → after, and when.
//
// Recording: a write use case calls record_audit from inside its work on the writer, with the same
// WriteTx, so the entry commits or rolls back with the change itself. One entry per object a
// request changed (an order edit is one entry listing every field it changed). Changes are text
// for people (domain/field_change.h: money as yuan, secrets as "(changed)", never their values).
//
// Naming: `actor` is the Actor's name ("key:3", "user:5"), "system" for the scheduler, or
// "integration:2" for a platform's webhook. `action` is "<kind>.<verb>" ("order.update",
// "product.create"); `object` is "<kind>:<key>" ("order:12", "product:MUG-RED") or a kind alone
// for a merchant's singletons ("settings").
//
// Reading: AuditLog::list answers a page newest first, with personal data in the changes masked
// for roles that do not see contact details (app/actor.h). Thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"

namespace depot {

void record_audit(WriteTx& tx, std::string actor, std::string action, std::string object,
                  std::vector<FieldChange> changes, Instant at);

// "order:12", "product:MUG-RED".
std::string audit_object(std::string_view kind, std::int64_t id);
std::string audit_object(std::string_view kind, std::string_view key);
// An object as record_audit names them: a kind of 1–32 lower-case letters and '_', then
// optionally ':' and a key of 1–128 letters, digits and ". _ - /".
bool is_valid_audit_object(std::string_view object);

struct AuditPage {
  std::vector<AuditEntry> items;
  std::int64_t next_before_id = 0;  // 0 when this is the last page
};

class AuditLog {
 public:
  explicit AuditLog(Store& store) : store_(store) {}

  // Needs Permission::read_audit. An invalid object is refused naming "object".
  Result<AuditPage> list(const Actor& actor, AuditQuery query);

 private:
  Store& store_;
};

}  // namespace depot
