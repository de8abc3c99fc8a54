#include "app/rule_book.h"

#include <chrono>

namespace depot {

Result<std::shared_ptr<const CompiledRule>> RuleBook::compiled(const Rule& rule) {
  {
    MutexLock lock(mutex_);
    auto found = entries_.find(rule.id);
    if (found != entries_.end() && found->second.version == rule.version) {
      return found->second.compiled;
    }
  }
  Result<std::shared_ptr<const CompiledRule>> fresh = engine_.compile(rule.expression);
  if (!fresh.ok()) return fresh;
  MutexLock lock(mutex_);
  entries_[rule.id] = Entry{rule.version, *fresh, {}};
  return fresh;
}

Result<std::shared_ptr<const CompiledRule>> RuleBook::compile(std::string_view expression) {
  return engine_.compile(expression);
}

RuleVerdict RuleBook::evaluate(ReadTx& tx, const Order& order, const Rule& rule,
                               const CompiledRule& compiled) {
  RuleFacts facts{
      order,
      [&tx, &order](std::int64_t minutes) {
        if (order.customer.phone.empty() || minutes < 0) return std::int64_t{0};
        return tx.count_orders_by_phone(order.customer.phone,
                                        order.created_at - std::chrono::minutes(minutes),
                                        order.created_at);
      },
      [&tx](std::string_view list, std::string_view value) {
        std::string key = blacklist_key(list, value);
        return !key.empty() && tx.on_blacklist(std::string(list), key);
      },
  };
  Result<bool> matched = engine_.evaluate(compiled, facts);
  RuleVerdict verdict{&rule, matched.ok() && *matched, {}};
  if (!matched.ok()) {
    verdict.error = matched.error().message;
    MutexLock lock(mutex_);
    auto found = entries_.find(rule.id);
    if (found != entries_.end() && found->second.version == rule.version) {
      found->second.last_error = verdict.error;
    }
  }
  return verdict;
}

std::vector<HoldReason> RuleBook::matches(ReadTx& tx, const Order& order) {
  std::vector<HoldReason> reasons;
  for (const Rule& rule : tx.rules()) {
    if (!rule.enabled) continue;
    Result<std::shared_ptr<const CompiledRule>> ready = compiled(rule);
    // A stored rule compiled when it was saved; one that no longer does (an engine upgrade)
    // cannot hold orders.
    if (!ready.ok()) continue;
    RuleVerdict verdict = evaluate(tx, order, rule, **ready);
    if (verdict.matched) {
      reasons.push_back(HoldReason{"rule.matched", rule.message, {}, rule.id});
    }
  }
  return reasons;
}

std::string RuleBook::last_error(std::int64_t rule_id, std::int64_t version) {
  MutexLock lock(mutex_);
  auto found = entries_.find(rule_id);
  if (found == entries_.end() || found->second.version != version) return {};
  return found->second.last_error;
}

}  // namespace depot
