#pragma once
// The store's interfaces for the audit log (SPEC SEC-3): who changed what, from what to what and
// when, written in the same transaction as the change. ReadTx and WriteTx (app/ports.h) include
// them.

#include <cstdint>
#include <string>
#include <vector>

#include "domain/field_change.h"
#include "domain/time.h"

namespace depot {

struct AuditEntry {
  std::int64_t id = 0;
  std::string actor;   // "key:3", "user:5", "system", "integration:2"
  std::string action;  // "order.update", "product.create", "settings.update", …
  std::string object;  // "order:12", "product:MUG-RED", "settings"
  std::vector<FieldChange> changes;
  Instant at;
};

// Newest first; an empty `object` means every object.
struct AuditQuery {
  std::string object;
  std::int64_t before_id = 0;  // cursor: the last id of the previous page, 0 for the first page
  int limit = 50;
};

class AuditReads {
 public:
  virtual ~AuditReads() = default;
  virtual std::vector<AuditEntry> audit_log(const AuditQuery& query) = 0;
};

class AuditWrites {
 public:
  virtual ~AuditWrites() = default;
  virtual void append_audit(const AuditEntry& entry) = 0;
};

}  // namespace depot
