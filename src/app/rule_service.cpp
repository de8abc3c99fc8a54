#include "app/rule_service.h"

#include <algorithm>

#include "app/audit.h"
#include "domain/text.h"

namespace depot {

namespace {

Error rule_not_found(std::int64_t id) {
  return error(ErrorCode::not_found, "rule " + std::to_string(id) + " was not found");
}

// Compiles the expression when it changes; a refusal names "expression" with its position.
Status check_expression(RuleBook& book, const std::string& expression) {
  Result<std::shared_ptr<const CompiledRule>> compiled = book.compile(expression);
  if (compiled.ok()) return {};
  return compiled.error();
}

Status check_url(const std::string& url) {
  bool scheme = url.starts_with("http://") || url.starts_with("https://");
  if (!scheme || url.size() > 500 || url.find_first_of(" \t\r\n") != std::string::npos) {
    return invalid_field("url", "must be an http:// or https:// URL");
  }
  return {};
}

std::vector<FieldChange> rule_changes(const Rule& before, const Rule& after) {
  std::vector<FieldChange> changes;
  add_change(changes, "name", before.name, after.name);
  add_change(changes, "expression", before.expression, after.expression);
  add_change(changes, "message", before.message, after.message);
  add_change(changes, "enabled", before.enabled ? "true" : "false",
             after.enabled ? "true" : "false");
  return changes;
}

// A blacklist entry's value under the field the audit log masks it by (domain/masking.h).
std::string blacklist_field(const std::string& list) {
  if (list == "phone") return "customer.phone";
  if (list == "name") return "customer.name";
  return "shipping_address";
}

}  // namespace

void RuleService::create(const Actor& actor, Rule rule, Callback<Rule> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  if (auto errors = validate_rule(rule); !errors.empty()) {
    return done(invalid_fields(std::move(errors)));
  }
  if (Status compiles = check_expression(book_, rule.expression); !compiles.ok()) {
    return done(compiles.error());
  }
  run_write<Rule>(
      store_, actor.tenant_id,
      [this, actor, rule = std::move(rule)](WriteTx& tx) mutable -> Result<Rule> {
        if (tx.rules().size() >= kMaxRulesPerMerchant) {
          return error(ErrorCode::conflict, "a merchant may keep at most " +
                                                std::to_string(kMaxRulesPerMerchant) + " rules");
        }
        rule.version = 1;
        rule.created_at = rule.updated_at = clock_.now();
        rule.id = tx.insert_rule(rule);
        Rule nothing;
        nothing.enabled = !rule.enabled;
        record_audit(tx, actor.name, "rule.create", audit_object("rule", rule.id),
                     rule_changes(nothing, rule), rule.created_at);
        return rule;
      },
      std::move(done));
}

void RuleService::update(const Actor& actor, std::int64_t id, RulePatch patch,
                         Callback<Rule> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  if (patch.expression) {
    if (Status compiles = check_expression(book_, *patch.expression); !compiles.ok()) {
      return done(compiles.error());
    }
  }
  run_write<Rule>(
      store_, actor.tenant_id,
      [this, actor, id, patch = std::move(patch)](WriteTx& tx) -> Result<Rule> {
        std::optional<Rule> rule = tx.find_rule(id);
        if (!rule) return rule_not_found(id);
        Rule before = *rule;
        if (patch.name) rule->name = *patch.name;
        if (patch.expression) rule->expression = *patch.expression;
        if (patch.message) rule->message = *patch.message;
        if (patch.enabled) rule->enabled = *patch.enabled;
        if (auto errors = validate_rule(*rule); !errors.empty()) {
          return invalid_fields(std::move(errors));
        }
        rule->version += 1;
        rule->updated_at = clock_.now();
        tx.update_rule(*rule);
        record_audit(tx, actor.name, "rule.update", audit_object("rule", id),
                     rule_changes(before, *rule), rule->updated_at);
        return *rule;
      },
      std::move(done));
}

void RuleService::remove(const Actor& actor, std::int64_t id, Callback<bool> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  run_write<bool>(
      store_, actor.tenant_id,
      [this, actor, id](WriteTx& tx) -> Result<bool> {
        std::optional<Rule> rule = tx.find_rule(id);
        if (!rule || !tx.delete_rule(id)) return rule_not_found(id);
        Rule gone;
        gone.enabled = rule->enabled;
        record_audit(tx, actor.name, "rule.delete", audit_object("rule", id),
                     rule_changes(*rule, gone), clock_.now());
        return true;
      },
      std::move(done));
}

Result<RuleView> RuleService::get(const Actor& actor, std::int64_t id) {
  std::optional<Rule> rule = store_.read(actor.tenant_id)->find_rule(id);
  if (!rule) return rule_not_found(id);
  std::string failure = book_.last_error(rule->id, rule->version);
  return RuleView{std::move(*rule), std::move(failure)};
}

Result<std::vector<RuleView>> RuleService::list(const Actor& actor) {
  std::vector<RuleView> views;
  for (Rule& rule : store_.read(actor.tenant_id)->rules()) {
    std::string failure = book_.last_error(rule.id, rule.version);
    views.push_back({std::move(rule), std::move(failure)});
  }
  return views;
}

Result<DryRun> RuleService::dry_run(const Actor& actor, const std::string& expression, int limit) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  if (trimmed(expression).empty()) return invalid_field("expression", "is required");
  if (expression.size() > kMaxRuleExpressionBytes) {
    return invalid_field("expression", "is too long");
  }
  if (limit < 1 || limit > kDryRunOrders) {
    return invalid_field("limit", "must be between 1 and " + std::to_string(kDryRunOrders));
  }
  Result<std::shared_ptr<const CompiledRule>> compiled = book_.compile(expression);
  if (!compiled.ok()) return compiled.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  OrderQuery recent;
  recent.limit = limit;
  Rule candidate;
  candidate.expression = expression;
  DryRun run;
  for (Order& order : tx->list_orders(recent)) {
    RuleVerdict verdict = book_.evaluate(*tx, order, candidate, **compiled);
    ++run.evaluated;
    if (!verdict.error.empty()) {
      run.errors.emplace_back(order.id, verdict.error);
    } else if (verdict.matched) {
      run.matches.push_back({std::move(order)});
    }
  }
  return run;
}

void RuleService::add_to_blacklist(const Actor& actor, BlacklistEntry entry,
                                   Callback<BlacklistEntry> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  std::vector<FieldError> errors;
  if (!is_blacklist(entry.list)) errors.push_back({"list", "must be phone, address or name"});
  entry.value = blacklist_key(entry.list, entry.value);
  if (entry.value.empty()) errors.push_back({"value", "is required"});
  if (utf8_length(entry.value) > 200) errors.push_back({"value", "must be at most 200 characters"});
  if (utf8_length(entry.note) > 200) errors.push_back({"note", "must be at most 200 characters"});
  if (!errors.empty()) return done(invalid_fields(std::move(errors)));
  run_write<BlacklistEntry>(
      store_, actor.tenant_id,
      [this, actor, entry = std::move(entry)](WriteTx& tx) mutable -> Result<BlacklistEntry> {
        entry.created_at = clock_.now();
        tx.add_to_blacklist(entry);
        std::vector<FieldChange> changes{{blacklist_field(entry.list), "", entry.value}};
        add_change(changes, "note", "", entry.note);
        record_audit(tx, actor.name, "blacklist.add", audit_object("blacklist", entry.list),
                     std::move(changes), entry.created_at);
        return entry;
      },
      std::move(done));
}

void RuleService::remove_from_blacklist(const Actor& actor, std::string list,
                                        const std::string& value, Callback<bool> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  if (!is_blacklist(list)) return done(invalid_field("list", "must be phone, address or name"));
  std::string key = blacklist_key(list, value);
  run_write<bool>(
      store_, actor.tenant_id,
      [this, actor, list = std::move(list), key = std::move(key)](WriteTx& tx) -> Result<bool> {
        if (!tx.remove_from_blacklist(list, key)) {
          return error(ErrorCode::not_found, key + " is not on the " + list + " blacklist");
        }
        record_audit(tx, actor.name, "blacklist.remove", audit_object("blacklist", list),
                     {{blacklist_field(list), key, ""}}, clock_.now());
        return true;
      },
      std::move(done));
}

Result<std::vector<BlacklistEntry>> RuleService::blacklist(const Actor& actor,
                                                           const std::string& list) {
  if (!list.empty() && !is_blacklist(list)) {
    return invalid_field("list", "must be phone, address or name");
  }
  return store_.read(actor.tenant_id)->blacklist(list);
}

void RuleService::set_geocoder(const Actor& actor, std::optional<GeocoderConfig> config,
                               Callback<std::optional<GeocoderConfig>> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  if (config) {
    std::vector<FieldError> errors;
    if (Status url = check_url(config->url); !url.ok()) errors.push_back(url.error().fields[0]);
    if (trimmed(config->key).empty() || config->key.size() > 200) {
      errors.push_back({"key", "is required (at most 200 bytes)"});
    }
    if (!errors.empty()) return done(invalid_fields(std::move(errors)));
  }
  run_write<std::optional<GeocoderConfig>>(
      store_, actor.tenant_id,
      [this, actor,
       config = std::move(config)](WriteTx& tx) -> Result<std::optional<GeocoderConfig>> {
        std::optional<GeocoderConfig> before = tx.geocoder_config();
        tx.save_geocoder_config(config);
        std::vector<FieldChange> changes;
        add_change(changes, "url", before ? before->url : "", config ? config->url : "");
        add_secret_change(changes, "key", before ? before->key : "", config ? config->key : "");
        record_audit(tx, actor.name, config ? "geocoder.update" : "geocoder.delete", "geocoder",
                     std::move(changes), clock_.now());
        return config;
      },
      std::move(done));
}

Result<std::optional<GeocoderConfig>> RuleService::geocoder(const Actor& actor) {
  return store_.read(actor.tenant_id)->geocoder_config();
}

}  // namespace depot
