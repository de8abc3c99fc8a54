#pragma once
// Who is acting: the merchant a request is scoped to, the key or user behind it and its role.

#include <string>

#include "app/ports.h"
#include "domain/masking.h"

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
  manage,      // settings, rules, blacklists, provider accounts
  read_audit,  // the audit log: everyone but viewers, who may read the data but not its history
};
inline constexpr Permission kAllPermissions[] = {
    Permission::read,        Permission::create_orders,   Permission::change_orders,
    Permission::ship_orders, Permission::write_inventory, Permission::manage,
    Permission::read_audit,
};
std::string_view to_string(Permission permission);
bool allows(Role role, Permission permission);
Status require(const Actor& actor, Permission permission);

// Where a customer's contact details (name, phone, email, street address) are shown: in a list or
// export of many records, or on the page of one record.
enum class ContactView { list, record };

// Who sees contact details in full (SEC-3). Owners and customer service everywhere: they call and
// write to customers. Operators masked in lists and exports, but in full on one order's page: they
// ship from it, and a waybill needs the recipient's name, phone and street address. Viewers masked
// everywhere. The audit log is a list. The JSON output and exports pass the answer to the domain's
// disclose_* functions (domain/masking.h); no handler decides it.
Disclosure contact_disclosure(Role role, ContactView view);

}  // namespace depot
