#pragma once
// The facts a rule reads (SPEC SHP-2) as Lua values: the tables order, address, customer and
// blacklist and the function line, all reading the RuleFacts of the run in progress. They are
// built once per Lua state (a run only points the state at its facts), strict (an unknown field
// raises "unknown field order.totl") and read-only.
//
// Lua calls these functions and raises errors with longjmp (Debian builds Lua as C): none keeps a
// C++ object with a destructor alive where it may raise, and none lets a C++ exception reach Lua.
//
// Thread safety: that of the lua_State.

#include <lua.hpp>

#include "app/rule_engine.h"

namespace depot::rules {

// Points the state at the facts its runs read until the next call (null between runs). The state's
// extra space holds the pointer: reading a fact costs no table lookup to find it.
inline void set_current_facts(lua_State* L, const RuleFacts* facts) {
  *static_cast<const RuleFacts**>(lua_getextraspace(L)) = facts;
}

// Sets order, address, customer, blacklist and line in the table at index `env`. Raises Lua
// errors: call it under lua_pcall.
void add_fact_bindings(lua_State* L, int env);

// Pushes a table that reads through to the value at index `source` (a table, or an __index
// function) and refuses every write, naming `name` ("order") or, when null, the key written.
void push_read_only(lua_State* L, int source, const char* name);

}  // namespace depot::rules
