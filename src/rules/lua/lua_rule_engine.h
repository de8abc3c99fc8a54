#pragma once
// The rule engine in sandboxed Lua 5.4 (SPEC SHP-2; the port is app/rule_engine.h, the language
// for merchants docs/rules.md). compile() checks the text (one expression, known names and
// fields), has Lua load it as `return (<expression>)`, and probes it against two sample orders, so
// that unknown facts, run-time errors on ordinary data and results that are not booleans are
// refused when a rule is saved. Every evaluation, probes included, runs under budgets (Lua
// instructions, call depth, pattern matching, memory growth); a rule over one answers an `invalid`
// Error and the engine stays usable.
//
// Lua states are pooled: an evaluation borrows one, and one is created when all are busy, so there
// are as many as evaluations ever ran at once. A state loads a rule on the first evaluation of it
// there and keeps it; a state that went over its memory budget is closed rather than returned.
//
// Thread safety: compile() and evaluate() may be called from any thread at once; a state is used
// by one thread at a time. A CompiledRule from one LuaRuleEngine works with any other.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "app/rule_engine.h"
#include "concurrency/mutex.h"

namespace depot::rules {

class Sandbox;

struct LuaBudgets {
  std::int64_t instructions = 100'000;         // Lua VM instructions per evaluation
  std::size_t memory_bytes = 4 * 1024 * 1024;  // growth of the Lua state per evaluation
  int call_depth = 200;                        // nested function calls
  // Steps of string pattern matching per evaluation, each call counted at its worst case
  // (rules/lua/pattern_cost.h): a few tenths of a second at the very worst, far less in practice.
  std::int64_t pattern_steps = 100'000'000;
};

class LuaRuleEngine final : public RuleEngine {
 public:
  // REQUIRES: every budget is positive.
  explicit LuaRuleEngine(LuaBudgets budgets = {});
  ~LuaRuleEngine() override;
  LuaRuleEngine(const LuaRuleEngine&) = delete;
  LuaRuleEngine& operator=(const LuaRuleEngine&) = delete;

  Result<std::shared_ptr<const CompiledRule>> compile(std::string_view expression) override;
  Result<bool> evaluate(const CompiledRule& rule, const RuleFacts& facts) override;

  // Bytes held by the Lua states that are not lent out right now; for metrics and tests.
  std::size_t idle_memory() const;

 private:
  class Lease;

  std::unique_ptr<Sandbox> acquire();
  void release(std::unique_ptr<Sandbox> sandbox);

  const LuaBudgets budgets_;
  mutable Mutex mutex_;
  std::vector<std::unique_ptr<Sandbox>> idle_ GUARDED_BY(mutex_);  // the last is the warmest
};

}  // namespace depot::rules
