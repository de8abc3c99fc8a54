#include "app/actor.h"

#include <chrono>

namespace depot {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::owner:
      return "owner";
    case Role::operator_:
      return "operator";
    case Role::service:
      return "service";
    case Role::viewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view text) {
  for (Role role : {Role::owner, Role::operator_, Role::service, Role::viewer}) {
    if (to_string(role) == text) return role;
  }
  return std::nullopt;
}

std::string_view to_string(Permission permission) {
  switch (permission) {
    case Permission::read:
      return "read";
    case Permission::create_orders:
      return "create_orders";
    case Permission::change_orders:
      return "change_orders";
    case Permission::ship_orders:
      return "ship_orders";
    case Permission::write_inventory:
      return "write_inventory";
    case Permission::manage:
      return "manage";
    case Permission::read_audit:
      return "read_audit";
  }
  return "manage";
}

bool allows(Role role, Permission permission) {
  switch (role) {
    case Role::owner:
      return true;
    case Role::operator_:
      return permission != Permission::manage;
    case Role::service:
      return permission == Permission::read || permission == Permission::change_orders ||
             permission == Permission::read_audit;
    case Role::viewer:
      return permission == Permission::read;
  }
  return false;
}

Status require(const Actor& actor, Permission permission) {
  if (allows(actor.role, permission)) return {};
  return error(ErrorCode::forbidden,
               "the " + std::string(to_string(actor.role)) + " role may not do this");
}

Disclosure contact_disclosure(Role role, ContactView view) {
  switch (role) {
    case Role::owner:
    case Role::service:
      return Disclosure::full;
    case Role::operator_:
      return view == ContactView::record ? Disclosure::full : Disclosure::masked;
    case Role::viewer:
      return Disclosure::masked;
  }
  return Disclosure::masked;
}

Instant SystemClock::now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace depot
