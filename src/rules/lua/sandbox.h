#pragma once
// One Lua 5.4 state for rule expressions (SPEC SHP-2): an environment holding only the facts and a
// safe part of Lua's libraries (rules/lua/vocabulary.h), budgets for every run (instructions, call
// depth, pattern matching, memory growth), and the rules it has loaded, by id, so that a rule is
// parsed once per state. Lua raises errors with longjmp (Debian builds it as C), so every call into
// Lua that may raise runs under lua_pcall, and nothing Lua calls back raises past a C++ destructor.
//
// Thread safety: none; one thread at a time uses a Sandbox (the engine's pool hands them out).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "app/rule_engine.h"

struct lua_State;

namespace depot::rules {

struct SandboxLimits {
  std::int64_t instructions = 0;   // Lua VM instructions per run
  std::size_t memory_bytes = 0;    // growth of the state per run (or per load)
  int call_depth = 0;              // nested calls
  std::int64_t pattern_steps = 0;  // worst-case pattern matching per run (rules/lua/pattern_cost.h)
};

struct RunOutcome {
  enum class Kind {
    yielded,
    not_boolean,
    syntax_error,
    runtime_error,
    instruction_budget,
    pattern_budget,
    memory_budget,
    stack_overflow,
  };
  Kind kind = Kind::runtime_error;
  bool value = false;   // what the rule yielded
  std::string message;  // Lua's error message; for not_boolean the type yielded ("number")
};

struct SandboxContext;

class Sandbox {
 public:
  // A new state, or nullptr when Lua cannot build it (out of memory).
  static std::unique_ptr<Sandbox> open(const SandboxLimits& limits);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Runs rule `rule_id`, whose text is `chunk` (ExpressionText::chunk()), against `facts`. The
  // first run of an id in this state loads the chunk; later runs reuse it, so an id must always
  // come with the same chunk.
  RunOutcome run(std::uint64_t rule_id, std::string_view chunk, const RuleFacts& facts);
  // Lua's message for loading `chunk`, or "" when it loads. Keeps nothing.
  std::string load_error(std::string_view chunk);

  // Whether the state should be closed rather than reused: a run exceeded its memory budget.
  // Lua survives that, but closing is the sure way to give back all the state holds.
  bool spent() const;
  std::size_t memory_in_use() const;

 private:
  Sandbox(std::unique_ptr<SandboxContext> context, lua_State* state);

  std::unique_ptr<SandboxContext> context_;  // the allocator's and hook's; outlives state_
  lua_State* state_;
};

}  // namespace depot::rules
