#pragma once
// Merchants' rules for abnormal orders (规则引擎, SPEC SHP-2) and their blacklists, as data. How an
// expression is compiled and evaluated is the rule engine's business (app/rule_engine.h).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"
#include "domain/time.h"

namespace depot {

struct Rule {
  std::int64_t id = 0;
  std::string name;
  std::string expression;
  std::string message;  // the hold reason's message when the rule matches
  bool enabled = true;
  std::int64_t version = 1;  // raised on every change: compiled forms are cached per version
  Instant created_at;
  Instant updated_at;
};

inline constexpr std::size_t kMaxRuleExpressionBytes = 2000;
inline constexpr std::size_t kMaxRulesPerMerchant = 200;

// Field errors of a rule's name, expression and message (not whether the expression compiles).
std::vector<FieldError> validate_rule(const Rule& rule);

// The lists a rule may ask about: blacklist.phone(…), blacklist.address(…), blacklist.name(…).
inline constexpr std::string_view kBlacklists[] = {"phone", "address", "name"};

struct BlacklistEntry {
  std::string list;
  std::string value;
  std::string note;
  Instant created_at;
};

bool is_blacklist(std::string_view list);
// The form a value is stored and compared in: trimmed, and phones without +86, spaces or dashes,
// so "+86 138-0013-8000" and "13800138000" are the same entry.
std::string blacklist_key(std::string_view list, std::string_view value);

}  // namespace depot
