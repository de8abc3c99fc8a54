#include "rules/lua/fact_bindings.h"

#include <cstdio>
#include <exception>
#include <optional>
#include <span>
#include <string_view>

#include "rules/lua/vocabulary.h"

namespace depot::rules {

namespace {

using namespace vocabulary;

// A year: larger windows mean nothing for fraud checks and could overflow a caller's clock math.
constexpr lua_Integer kMaxMinutes = 366 * 24 * 60;

// Room for the text of an exception thrown by a fact callback, carried past the catch block in a
// plain array so that the Lua error is raised with no exception object alive.
constexpr std::size_t kWhySize = 160;

const RuleFacts& facts_of(lua_State* L) {
  return **static_cast<const RuleFacts**>(lua_getextraspace(L));
}

void push_string(lua_State* L, const std::string& text) {
  lua_pushlstring(L, text.data(), text.size());
}

// The field the key at index 2 names, if it is one of `names`.
template <class Field>
std::optional<Field> field_of(lua_State* L, std::span<const std::string_view> names) {
  if (lua_type(L, 2) != LUA_TSTRING) return std::nullopt;
  std::size_t length = 0;
  const char* key = lua_tolstring(L, 2, &length);
  const auto index = index_of(names, std::string_view(key, length));
  if (!index) return std::nullopt;
  return static_cast<Field>(*index);
}

int unknown_field(lua_State* L, const char* table) {
  if (lua_type(L, 2) == LUA_TSTRING) {
    return luaL_error(L, "unknown field %s.%s", table, lua_tostring(L, 2));
  }
  return luaL_error(L, "%s has no fields named by a %s", table, luaL_typename(L, 2));
}

int order_index(lua_State* L) {
  const auto field = field_of<OrderField>(L, kOrderFields);
  if (!field) return unknown_field(L, "order");
  const Order& order = facts_of(L).order;
  switch (*field) {
    case OrderField::total:
      lua_pushinteger(L, order.total);
      break;
    case OrderField::currency:
      push_string(L, order.currency);
      break;
    case OrderField::platform:
      push_string(L, order.platform);
      break;
    case OrderField::quantity: {
      lua_Integer units = 0;
      for (const OrderLine& line : order.lines) units += line.quantity;
      lua_pushinteger(L, units);
      break;
    }
    case OrderField::line_count:
      lua_pushinteger(L, static_cast<lua_Integer>(order.lines.size()));
      break;
  }
  return 1;
}

int address_index(lua_State* L) {
  const auto field = field_of<AddressField>(L, kAddressFields);
  if (!field) return unknown_field(L, "address");
  const Address& address = facts_of(L).order.shipping_address;
  switch (*field) {
    case AddressField::province:
      push_string(L, address.province);
      break;
    case AddressField::city:
      push_string(L, address.city);
      break;
    case AddressField::district:
      push_string(L, address.district);
      break;
    case AddressField::detail:
      push_string(L, address.detail);
      break;
    case AddressField::postcode:
      push_string(L, address.postcode);
      break;
  }
  return 1;
}

// The callbacks are std::function and may throw: the exception stops here, as text in `why`, so
// no C++ exception crosses Lua's frames.
template <class Call>
bool call_safely(const Call& call, char (&why)[kWhySize]) noexcept {
  try {
    call();
    return true;
  } catch (const std::exception& e) {
    std::snprintf(why, kWhySize, "%s", e.what());
  } catch (...) {
    std::snprintf(why, kWhySize, "unknown error");
  }
  return false;
}

int orders_within_minutes(lua_State* L) {
  const lua_Integer minutes = luaL_checkinteger(L, 1);
  if (minutes < 1 || minutes > kMaxMinutes) {
    return luaL_error(L, "customer.orders_within_minutes takes 1 to %I minutes, not %I",
                      kMaxMinutes, minutes);
  }
  std::int64_t count = 0;
  char why[kWhySize];
  const RuleFacts& facts = facts_of(L);
  if (!call_safely([&] { count = facts.orders_within_minutes(minutes); }, why)) {
    return luaL_error(L, "customer.orders_within_minutes failed: %s", why);
  }
  lua_pushinteger(L, count);
  return 1;
}

int customer_index(lua_State* L) {
  const auto field = field_of<CustomerField>(L, kCustomerFields);
  if (!field) return unknown_field(L, "customer");
  const Customer& customer = facts_of(L).order.customer;
  switch (*field) {
    case CustomerField::name:
      push_string(L, customer.name);
      break;
    case CustomerField::phone:
      push_string(L, customer.phone);
      break;
    case CustomerField::email:
      push_string(L, customer.email);
      break;
    case CustomerField::orders_within_minutes:
      lua_pushcfunction(L, orders_within_minutes);
      break;
  }
  return 1;
}

template <std::size_t List>
int blacklisted(lua_State* L) {
  const char* list = kBlacklists[List].data();  // a literal: NUL-terminated
  if (lua_type(L, 1) != LUA_TSTRING) {
    return luaL_error(L, "blacklist.%s takes a string, not %s", list, luaL_typename(L, 1));
  }
  std::size_t length = 0;
  const char* value = lua_tolstring(L, 1, &length);
  bool listed = false;
  char why[kWhySize];
  const RuleFacts& facts = facts_of(L);
  const std::string_view text(value, length);
  // The lambda captures by reference only: nothing with a destructor lives across luaL_error.
  if (!call_safely([&] { listed = facts.blacklisted(kBlacklists[List], text); }, why)) {
    return luaL_error(L, "blacklist.%s failed: %s", list, why);
  }
  lua_pushboolean(L, listed);
  return 1;
}

constexpr lua_CFunction kBlacklistFunctions[] = {blacklisted<0>, blacklisted<1>, blacklisted<2>};
static_assert(std::size(kBlacklistFunctions) == std::size(kBlacklists));

int blacklist_index(lua_State* L) {
  const auto list = field_of<std::size_t>(L, kBlacklists);
  if (!list) return unknown_field(L, "blacklist");
  lua_pushcfunction(L, kBlacklistFunctions[*list]);
  return 1;
}

int line_index(lua_State* L) {
  if (lua_type(L, 2) == LUA_TSTRING) {
    return luaL_error(L, "unknown field line(...).%s", lua_tostring(L, 2));
  }
  return luaL_error(L, "line(...) has no fields named by a %s", luaL_typename(L, 2));
}

// line(sku): the order's line for a SKU, or quantity and unit price 0 when the order has none.
// Lines repeating a SKU add up; the first one gives the price. Upvalue 1: the lines' metatable.
int line(lua_State* L) {
  if (lua_type(L, 1) != LUA_TSTRING) {
    return luaL_error(L, "line takes a SKU string, not %s", luaL_typename(L, 1));
  }
  std::size_t length = 0;
  const char* sku = lua_tolstring(L, 1, &length);
  lua_Integer quantity = 0;
  lua_Integer unit_price = 0;
  bool found = false;
  for (const OrderLine& order_line : facts_of(L).order.lines) {
    if (order_line.sku != std::string_view(sku, length)) continue;
    quantity += order_line.quantity;
    if (!found) unit_price = order_line.unit_price;
    found = true;
  }
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, quantity);
  lua_setfield(L, -2, "quantity");
  lua_pushinteger(L, unit_price);
  lua_setfield(L, -2, "unit_price");
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_setmetatable(L, -2);
  return 1;
}

// Upvalue 1: the name of the table, or nil for the globals.
int refuse_write(lua_State* L) {
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
  if (lua_isnil(L, lua_upvalueindex(1))) return luaL_error(L, "a rule cannot set %s", key);
  return luaL_error(L, "a rule cannot change %s.%s", lua_tostring(L, lua_upvalueindex(1)), key);
}

void set_fact_table(lua_State* L, int env, const char* name, lua_CFunction index) {
  lua_pushcfunction(L, index);
  push_read_only(L, -1, name);
  lua_setfield(L, env, name);
  lua_pop(L, 1);
}

}  // namespace

void push_read_only(lua_State* L, int source, const char* name) {
  source = lua_absindex(L, source);
  lua_newtable(L);
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, source);
  lua_setfield(L, -2, "__index");
  if (name == nullptr) {
    lua_pushnil(L);
  } else {
    lua_pushstring(L, name);
  }
  lua_pushcclosure(L, refuse_write, 1);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
}

void add_fact_bindings(lua_State* L, int env) {
  env = lua_absindex(L, env);
  set_fact_table(L, env, "order", order_index);
  set_fact_table(L, env, "address", address_index);
  set_fact_table(L, env, "customer", customer_index);
  set_fact_table(L, env, "blacklist", blacklist_index);

  lua_createtable(L, 0, 1);  // what every line(...) shares
  lua_pushcfunction(L, line_index);
  lua_setfield(L, -2, "__index");
  lua_pushcclosure(L, line, 1);
  lua_setfield(L, env, kLineFunction.data());
}

}  // namespace depot::rules
