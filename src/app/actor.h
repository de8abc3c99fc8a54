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

// What each role may do (SEC-2), the one table the code and the API document follow (a test
// compares them): owners everything; operators all daily work but the merchant's settings, keys,
// rules and accounts; customer service edits, cancels and takes payments for existing orders;
// viewers only read.
enum class Permission {
  read,
  create_orders,
  change_orders,  // edit, cancel, record payments
  ship_orders,    // shipments, release of held orders, bulk imports
  write_inventory,
  manage,  // settings, rules, blacklists, provider accounts
};
inline constexpr Permission kAllPermissions[] = {
    Permission::read,        Permission::create_orders,   Permission::change_orders,
    Permission::ship_orders, Permission::write_inventory, Permission::manage,
};
std::string_view to_string(Permission permission);
bool allows(Role role, Permission permission);
Status require(const Actor& actor, Permission permission);

}  // namespace depot
