#include "domain/rule.h"

#include <algorithm>

#include "domain/text.h"

namespace depot {

std::vector<FieldError> validate_rule(const Rule& rule) {
  std::vector<FieldError> errors;
  if (trimmed(rule.name).empty()) errors.push_back({"name", "is required"});
  if (utf8_length(rule.name) > 100) errors.push_back({"name", "must be at most 100 characters"});
  if (trimmed(rule.expression).empty()) errors.push_back({"expression", "is required"});
  if (rule.expression.size() > kMaxRuleExpressionBytes) {
    errors.push_back(
        {"expression", "must be at most " + std::to_string(kMaxRuleExpressionBytes) + " bytes"});
  }
  if (trimmed(rule.message).empty()) errors.push_back({"message", "is required"});
  if (utf8_length(rule.message) > 500) {
    errors.push_back({"message", "must be at most 500 characters"});
  }
  return errors;
}

bool is_blacklist(std::string_view list) {
  return std::find(std::begin(kBlacklists), std::end(kBlacklists), list) != std::end(kBlacklists);
}

std::string blacklist_key(std::string_view list, std::string_view value) {
  value = trimmed(value);
  if (list != "phone") return std::string(value);
  if (value.starts_with("+86")) value.remove_prefix(3);
  std::string digits;
  for (char c : value) {
    if (c != ' ' && c != '-') digits += c;
  }
  return digits;
}

}  // namespace depot
