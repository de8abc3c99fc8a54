#include "app/audit.h"

#include "app/paging.h"

namespace depot {

namespace {

bool is_kind_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '/';
}

}  // namespace

void record_audit(WriteTx& tx, std::string actor, std::string action, std::string object,
                  std::vector<FieldChange> changes, Instant at) {
  tx.append_audit(
      {0, std::move(actor), std::move(action), std::move(object), std::move(changes), at});
}

std::string audit_object(std::string_view kind, std::int64_t id) {
  return std::string(kind) + ":" + std::to_string(id);
}

std::string audit_object(std::string_view kind, std::string_view key) {
  return std::string(kind) + ":" + std::string(key);
}

bool is_valid_audit_object(std::string_view object) {
  auto colon = object.find(':');
  std::string_view kind = object.substr(0, colon);
  if (kind.empty() || kind.size() > 32) return false;
  for (char c : kind) {
    if (!is_kind_char(c)) return false;
  }
  if (colon == std::string_view::npos) return true;
  std::string_view key = object.substr(colon + 1);
  if (key.empty() || key.size() > 128) return false;
  for (char c : key) {
    if (!is_key_char(c)) return false;
  }
  return true;
}

Result<AuditPage> AuditLog::list(const Actor& actor, AuditQuery query) {
  if (Status allowed = require(actor, Permission::read_audit); !allowed.ok()) {
    return allowed.error();
  }
  if (Status size = check_page_size(query.limit); !size.ok()) return size.error();
  if (!query.object.empty() && !is_valid_audit_object(query.object)) {
    return invalid_field("object",
                         "must be a kind such as \"settings\" or \"kind:key\" such as "
                         "\"order:12\"");
  }
  int limit = query.limit;
  query.limit = limit + 1;
  AuditPage page;
  page.items = store_.read(actor.tenant_id)->audit_log(query);
  page.next_before_id =
      trim_page(page.items, limit, [](const AuditEntry& entry) { return entry.id; });
  Disclosure disclosure = contact_disclosure(actor.role, ContactView::list);
  for (AuditEntry& entry : page.items) {
    for (FieldChange& change : entry.changes) {
      change = disclose_change(std::move(change), disclosure);
    }
  }
  return page;
}

}  // namespace depot
