#pragma once
// A merchant's rules, compiled once per rule version and evaluated against orders (SPEC SHP-2).
// Live verification and the dry run both evaluate through here, so a dry run answers exactly what
// live evaluation would hold. A rule that fails at run time (over its budget, a type error on odd
// data) does not hold the order; its last failure is kept for the merchant to see.
//
// Thread-safe: compiled rules and failures are kept under a mutex; evaluation runs unlocked.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/ports.h"
#include "app/rule_engine.h"
#include "concurrency/mutex.h"

namespace depot {

struct RuleVerdict {
  const Rule* rule = nullptr;
  bool matched = false;
  std::string error;  // set when the rule could not be evaluated
};

class RuleBook {
 public:
  explicit RuleBook(RuleEngine& engine) : engine_(engine) {}

  // Compiles (or finds compiled) the rule's expression at its version.
  Result<std::shared_ptr<const CompiledRule>> compiled(const Rule& rule);
  // Compiles an expression that is not (yet) a stored rule: saving and the dry run.
  Result<std::shared_ptr<const CompiledRule>> compile(std::string_view expression);

  // Evaluates `rule` for `order`, with the customer-history facts read through `tx`.
  RuleVerdict evaluate(ReadTx& tx, const Order& order, const Rule& rule,
                       const CompiledRule& compiled);

  // The hold reasons of every enabled rule that matches the order.
  std::vector<HoldReason> matches(ReadTx& tx, const Order& order);

  // The last run-time failure of a rule, if it has failed since it last changed.
  std::string last_error(std::int64_t rule_id, std::int64_t version);

 private:
  struct Entry {
    std::int64_t version = 0;
    std::shared_ptr<const CompiledRule> compiled;
    std::string last_error;
  };

  RuleEngine& engine_;
  Mutex mutex_;
  std::map<std::int64_t, Entry> entries_ GUARDED_BY(mutex_);  // by rule id
};

}  // namespace depot
