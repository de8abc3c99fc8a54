#pragma once
// Who is acting: the merchant a request is scoped to, the key or user behind it and its role.

#include <string>

#include "app/ports.h"

namespace depot {

struct Actor {
  TenantId tenant_id = 0;
  std::string name;  // recorded in history and the ledger, e.g. "key:3" or "system"
  Role role = Role::viewer;
};

// What each role may do (SEC-2): owners and operators everything, service staff orders,
// viewers only reading.
enum class Permission { read, write_orders, write_inventory, manage };
bool allows(Role role, Permission permission);
Status require(const Actor& actor, Permission permission);

}  // namespace depot
