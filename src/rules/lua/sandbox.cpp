#include "rules/lua/sandbox.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>

#include <lua.hpp>

#include "rules/lua/fact_bindings.h"
#include "rules/lua/pattern_cost.h"
#include "rules/lua/vocabulary.h"

namespace depot::rules {

// What the allocator and the instruction hook share with the Sandbox: Lua hands it back to them
// as the allocator's user data.
struct SandboxContext {
  SandboxLimits limits;
  int hook_step = 0;  // instructions between two calls of the hook
  std::size_t used = 0;
  std::size_t cap = std::numeric_limits<std::size_t>::max();  // allocations past it fail
  std::int64_t instructions_left = 0;
  double pattern_steps_left = 0;
  RunOutcome::Kind stopped_for = RunOutcome::Kind::yielded;  // the budget that stopped the run
  bool spent = false;
  int env_ref = LUA_NOREF;    // what rules see as their globals
  int cache_ref = LUA_NOREF;  // loaded rules by id
  std::size_t cached = 0;
};

namespace {

// A run checks its instruction count (and call depth) every so many instructions: a rule that
// stays under it, as nearly all do, never enters the hook.
constexpr int kHookStep = 1000;
// Loaded rules a state keeps before it forgets them all; rules live as long as their versions,
// and this bounds what the retired ones hold.
constexpr std::size_t kMaxCachedRules = 1024;

SandboxContext& context_of(lua_State* L) {
  void* context = nullptr;
  lua_getallocf(L, &context);
  return *static_cast<SandboxContext*>(context);
}

// Counts every byte of the state and refuses growth past the cap. Lua then collects garbage and
// retries once before it raises a memory error.
void* allocate(void* ud, void* block, std::size_t old_size, std::size_t new_size) {
  auto& context = *static_cast<SandboxContext*>(ud);
  const std::size_t held = block == nullptr ? 0 : old_size;  // else old_size names a type
  if (new_size == 0) {
    std::free(block);
    context.used -= held;
    return nullptr;
  }
  if (new_size > held &&
      (context.used > context.cap || new_size - held > context.cap - context.used)) {
    return nullptr;
  }
  void* grown = std::realloc(block, new_size);
  if (grown != nullptr) context.used = context.used - held + new_size;
  return grown;
}

void count_hook(lua_State* L, lua_Debug*) {
  SandboxContext& context = context_of(L);
  context.instructions_left -= context.hook_step;
  lua_Debug frame;
  if (context.instructions_left <= 0) {
    context.stopped_for = RunOutcome::Kind::instruction_budget;
  } else if (lua_getstack(L, context.limits.call_depth, &frame) != 0) {
    context.stopped_for = RunOutcome::Kind::stack_overflow;
  } else {
    return;
  }
  lua_pushliteral(L, "stopped by its budget");
  lua_error(L);
}

[[noreturn]] int panic(lua_State* L) {
  const char* message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
  std::fprintf(stderr, "depot: a Lua error escaped the rule sandbox's protection: %s\n", message);
  std::abort();
}

// Copies `names` from the table at `from` into the table at `to`; a name Lua lacks is an error
// at start-up rather than a nil a rule stumbles on.
int copy_fields(lua_State* L, int from, int to, std::span<const std::string_view> names) {
  from = lua_absindex(L, from);
  to = lua_absindex(L, to);
  for (std::string_view name : names) {
    if (lua_getfield(L, from, name.data()) == LUA_TNIL) {
      return luaL_error(L, "this Lua lacks %s", name.data());
    }
    lua_setfield(L, to, name.data());
  }
  return 0;
}

// string.find, match, gmatch and gsub: charged their worst case before Lua's own function runs,
// which the instruction hook cannot interrupt. Upvalue 1: Lua's function. kPlain: the argument
// that makes find search plain text (0: none).
template <Starts kStarts, int kPlain>
int charged_pattern(lua_State* L) {
  std::size_t subject = 0;
  std::size_t length = 0;
  luaL_checklstring(L, 1, &subject);
  const char* pattern = luaL_checklstring(L, 2, &length);
  if (kPlain == 0 || !lua_toboolean(L, kPlain)) {
    SandboxContext& context = context_of(L);
    const double cost = pattern_cost(std::string_view(pattern, length), subject, kStarts);
    if (cost > context.pattern_steps_left) {
      context.stopped_for = RunOutcome::Kind::pattern_budget;
      lua_pushliteral(L, "stopped by its budget");
      return lua_error(L);
    }
    context.pattern_steps_left -= cost;
  }
  // Called in this frame rather than through lua_call, so that its errors name the rule's line.
  return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

// Replaces the pattern functions in the string table at `strings` with charged ones.
void charge_patterns(lua_State* L, int strings) {
  const struct {
    const char* name;
    lua_CFunction charged;
  } functions[] = {{"find", charged_pattern<Starts::unless_anchored, 4>},
                   {"match", charged_pattern<Starts::unless_anchored, 0>},
                   {"gmatch", charged_pattern<Starts::all, 0>},
                   {"gsub", charged_pattern<Starts::unless_anchored, 0>}};
  strings = lua_absindex(L, strings);
  for (const auto& function : functions) {
    lua_getfield(L, strings, function.name);
    lua_pushcclosure(L, function.charged, 1);
    lua_setfield(L, strings, function.name);
  }
}

int unknown_name(lua_State* L) {
  if (lua_type(L, 2) == LUA_TSTRING) return luaL_error(L, "unknown name %s", lua_tostring(L, 2));
  return luaL_error(L, "unknown name");
}

// Builds the globals rules see (under lua_pcall: it allocates, so it may raise).
int build_environment(lua_State* L) {
  SandboxContext& context = context_of(L);
  // The libraries land in the state's own globals, which no rule can reach; rules see copies.
  luaL_requiref(L, LUA_GNAME, luaopen_base, 0);
  const int base = lua_gettop(L);
  lua_newtable(L);
  const int env = lua_gettop(L);
  copy_fields(L, base, env, vocabulary::kBaseFunctions);

  const struct {
    const char* name;
    lua_CFunction open;
  } libraries[] = {{LUA_STRLIBNAME, luaopen_string},
                   {LUA_MATHLIBNAME, luaopen_math},
                   {LUA_UTF8LIBNAME, luaopen_utf8}};
  for (const auto& library : libraries) {
    luaL_requiref(L, library.name, library.open, 0);
    lua_newtable(L);
    copy_fields(L, -2, -1, vocabulary::find_table(library.name)->members);
    if (library.open == luaopen_string) {
      charge_patterns(L, -1);
      // s:upper() finds its functions through the strings' metatable: the kept ones only.
      lua_pushliteral(L, "");
      lua_getmetatable(L, -1);
      lua_pushvalue(L, -3);
      lua_setfield(L, -2, "__index");
      lua_pop(L, 2);
    }
    push_read_only(L, -1, library.name);
    lua_setfield(L, env, library.name);
    lua_pop(L, 2);
  }
  add_fact_bindings(L, env);

  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, unknown_name);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, env);
  push_read_only(L, env, nullptr);
  context.env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  context.cache_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

// What a run hands its protected part; plain data, since that part may end in longjmp.
struct RunJob {
  lua_Integer rule_id;
  const char* chunk;
  std::size_t chunk_size;
  int load_status;
};

// Finds or loads the rule, then calls it with a fresh _ENV (a rule may have rebound its _ENV in
// an earlier run). Argument 1: the RunJob. Leaves the rule's one result.
int run_protected(lua_State* L) {
  constexpr int kCache = 2;
  constexpr int kRule = 3;
  auto& job = *static_cast<RunJob*>(lua_touserdata(L, 1));
  SandboxContext& context = context_of(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, context.cache_ref);
  if (lua_rawgeti(L, kCache, job.rule_id) != LUA_TFUNCTION) {
    lua_pop(L, 1);
    job.load_status = luaL_loadbufferx(L, job.chunk, job.chunk_size, "=expression", "t");
    if (job.load_status != LUA_OK) return lua_error(L);
    if (++context.cached > kMaxCachedRules) {
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_rawseti(L, LUA_REGISTRYINDEX, context.cache_ref);
      lua_replace(L, kCache);
      context.cached = 1;
    }
    lua_pushvalue(L, kRule);
    lua_rawseti(L, kCache, job.rule_id);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, context.env_ref);
  lua_setupvalue(L, kRule, 1);
  lua_call(L, 0, 1);
  return 1;
}

}  // namespace

Sandbox::Sandbox(std::unique_ptr<SandboxContext> context, lua_State* state)
    : context_(std::move(context)), state_(state) {}

Sandbox::~Sandbox() { lua_close(state_); }

std::unique_ptr<Sandbox> Sandbox::open(const SandboxLimits& limits) {
  auto context = std::make_unique<SandboxContext>();
  context->limits = limits;
  context->hook_step = static_cast<int>(std::min<std::int64_t>(limits.instructions, kHookStep));
  lua_State* state = lua_newstate(allocate, context.get());
  if (state == nullptr) return nullptr;
  lua_atpanic(state, panic);
  lua_pushcfunction(state, build_environment);
  if (lua_pcall(state, 0, 0, 0) != LUA_OK) {
    lua_close(state);
    return nullptr;
  }
  // Rules leave short-lived garbage only: the generational collector's case.
  lua_gc(state, LUA_GCGEN, 0, 0);
  return std::unique_ptr<Sandbox>(new Sandbox(std::move(context), state));
}

RunOutcome Sandbox::run(std::uint64_t rule_id, std::string_view chunk, const RuleFacts& facts) {
  SandboxContext& context = *context_;
  RunJob job{static_cast<lua_Integer>(rule_id), chunk.data(), chunk.size(), LUA_OK};
  context.instructions_left = context.limits.instructions;
  context.pattern_steps_left = static_cast<double>(context.limits.pattern_steps);
  context.stopped_for = RunOutcome::Kind::yielded;
  lua_sethook(state_, count_hook, LUA_MASKCOUNT, context.hook_step);
  set_current_facts(state_, &facts);
  context.cap = context.used + context.limits.memory_bytes;
  lua_pushcfunction(state_, run_protected);
  lua_pushlightuserdata(state_, &job);
  const int status = lua_pcall(state_, 1, 1, 0);
  context.cap = std::numeric_limits<std::size_t>::max();
  set_current_facts(state_, nullptr);

  RunOutcome outcome;
  const int type = lua_type(state_, -1);
  if (status == LUA_OK && type == LUA_TBOOLEAN) {
    outcome.kind = RunOutcome::Kind::yielded;
    outcome.value = lua_toboolean(state_, -1) != 0;
  } else if (status == LUA_OK) {
    outcome.kind = RunOutcome::Kind::not_boolean;
    outcome.message = lua_typename(state_, type);
  } else if (status == LUA_ERRMEM || job.load_status == LUA_ERRMEM) {
    outcome.kind = RunOutcome::Kind::memory_budget;
    context.spent = true;
  } else if (context.stopped_for != RunOutcome::Kind::yielded) {
    outcome.kind = context.stopped_for;
  } else if (status == LUA_ERRERR) {  // Lua's own stack overflow while handling one
    outcome.kind = RunOutcome::Kind::stack_overflow;
  } else {
    outcome.message =
        type == LUA_TSTRING ? lua_tostring(state_, -1) : "error object is not a string";
    outcome.kind = job.load_status != LUA_OK ? RunOutcome::Kind::syntax_error
                   : outcome.message.find("stack overflow") != std::string::npos
                       ? RunOutcome::Kind::stack_overflow
                       : RunOutcome::Kind::runtime_error;
  }
  lua_settop(state_, 0);
  return outcome;
}

std::string Sandbox::load_error(std::string_view chunk) {
  SandboxContext& context = *context_;
  context.cap = context.used + context.limits.memory_bytes;
  const int status = luaL_loadbufferx(state_, chunk.data(), chunk.size(), "=expression", "t");
  context.cap = std::numeric_limits<std::size_t>::max();
  std::string message;
  if (status != LUA_OK) message = lua_tostring(state_, -1);
  lua_settop(state_, 0);
  return message;
}

bool Sandbox::spent() const { return context_->spent; }

std::size_t Sandbox::memory_in_use() const { return context_->used; }

}  // namespace depot::rules
