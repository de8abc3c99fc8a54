#include "http/rule_input.h"

#include "http/json_input.h"

namespace depot::http {

namespace json = boost::json;

Rule read_rule_draft(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"name", "expression", "message", "enabled"});
  Rule rule;
  rule.name = f.text("name", true, 400).value_or("");
  rule.expression = f.text("expression", true, kMaxRuleExpressionBytes * 2).value_or("");
  rule.message = f.text("message", true, 2000).value_or("");
  rule.enabled = f.boolean("enabled").value_or(true);
  return rule;
}

RulePatch read_rule_patch(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"name", "expression", "message", "enabled"});
  RulePatch patch;
  patch.name = f.text("name", false, 400);
  patch.expression = f.text("expression", false, kMaxRuleExpressionBytes * 2);
  patch.message = f.text("message", false, 2000);
  patch.enabled = f.boolean("enabled");
  if (body.empty()) errors.push_back({"body", "names nothing to change"});
  return patch;
}

DryRunInput read_dry_run(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"expression", "limit"});
  DryRunInput input;
  input.expression = f.text("expression", true, kMaxRuleExpressionBytes * 2).value_or("");
  input.limit = f.integer("limit").value_or(200);
  return input;
}

BlacklistEntry read_blacklist_entry(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"list", "value", "note"});
  BlacklistEntry entry;
  entry.list = f.text("list", true, 16).value_or("");
  entry.value = f.text("value", true, 800).value_or("");
  entry.note = f.text("note", false, 800).value_or("");
  return entry;
}

GeocoderConfig read_geocoder_config(const json::object& body, std::vector<FieldError>& errors) {
  Fields f(body, "", errors);
  f.reject_unknown({"url", "key"});
  GeocoderConfig config;
  config.url = f.text("url", true, 500).value_or("");
  config.key = f.text("key", true, 200).value_or("");
  return config;
}

}  // namespace depot::http
