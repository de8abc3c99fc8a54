#pragma once
// The rule engine port (SPEC SHP-2): a merchant's rules are expressions over an order, its address
// and its customer's history, compiled once per rule version and evaluated for every order that is
// verified. A sandboxed interpreter implements it (src/rules/lua/); only the composition root
// names it.
//
// Thread safety: compile() and evaluate() may be called from any thread at once. A CompiledRule is
// immutable and may be shared between threads and kept as long as its rule version lives.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "domain/order.h"
#include "domain/result.h"

namespace depot {

// What a rule may ask about beyond the order itself. Both callbacks are cheap enough to call a few
// times per evaluation; they are only called when the expression asks.
struct RuleFacts {
  const Order& order;
  // How many of the merchant's orders with the customer's phone were created within the last
  // `minutes` minutes before the order's creation, the order itself included.
  std::function<std::int64_t(std::int64_t minutes)> orders_within_minutes;
  // Whether `value` is on the merchant's blacklist named `list`: "phone", "address" or "name".
  std::function<bool(std::string_view list, std::string_view value)> blacklisted;
};

class CompiledRule {
 public:
  virtual ~CompiledRule() = default;
};

class RuleEngine {
 public:
  virtual ~RuleEngine() = default;

  // Compiles and type-checks an expression (it must yield a boolean, and name only facts that
  // exist). Otherwise an `invalid` Error whose one field is "expression" and whose message gives
  // the position ("line 1, column 14: …").
  virtual Result<std::shared_ptr<const CompiledRule>> compile(std::string_view expression) = 0;

  // Whether the rule matches the order. An expression that fails at run time, or exceeds its
  // instruction or memory budget, answers an `invalid` Error saying so; the engine stays usable.
  virtual Result<bool> evaluate(const CompiledRule& rule, const RuleFacts& facts) = 0;
};

}  // namespace depot
