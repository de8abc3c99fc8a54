#include "app/waybill_accounts.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <utility>

#include "app/audit.h"
#include "domain/carriers.h"
#include "domain/field_change.h"
#include "domain/text.h"

namespace depot {

namespace {

using CarrierFields = std::map<std::string, std::map<std::string, std::string>>;

bool is_secret_field(std::string_view field) {
  return std::find(std::begin(kWaybillSecretFields), std::end(kWaybillSecretFields), field) !=
         std::end(kWaybillSecretFields);
}

// The aggregator names its fields in ASCII camelCase ("partnerId", "tbNet").
bool is_field_name(std::string_view name) {
  return !name.empty() && name.size() <= WaybillAccounts::kMaxFieldName &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_';
         });
}

// The carriers as given, by depot code, with each field checked; secrets left empty are dropped
// here and filled from the stored account in the write.
Result<CarrierFields> read_carriers(const CarrierFields& given) {
  std::vector<FieldError> errors;
  CarrierFields carriers;
  std::map<std::string, std::string> named_as;  // depot code → the code the request used
  for (const auto& [code, fields] : given) {
    std::string at = "accounts." + code;
    const Carrier* carrier = find_carrier(code);
    if (carrier == nullptr) {
      errors.push_back({at, "is not a carrier depot knows (GET /api/v1/carriers lists them)"});
      continue;
    }
    std::string depot_code(carrier->code);
    if (auto [earlier, fresh] = named_as.emplace(depot_code, code); !fresh) {
      errors.push_back({at, "is the same carrier as accounts." + earlier->second});
      continue;
    }
    std::map<std::string, std::string>& kept = carriers[depot_code];
    for (const auto& [name, value] : fields) {
      std::string field_at = at + "." + name;
      if (!is_field_name(name)) {
        errors.push_back({field_at, "is not a field name (letters, digits and '_', at most " +
                                        std::to_string(WaybillAccounts::kMaxFieldName) + ")"});
      } else if (is_waybill_parcel_field(name)) {
        errors.push_back({field_at, "is set by depot for each parcel"});
      } else if (value.size() > WaybillAccounts::kMaxFieldValue) {
        errors.push_back(
            {field_at,
             "must be at most " + std::to_string(WaybillAccounts::kMaxFieldValue) + " bytes"});
      } else if (value.empty() && !is_secret_field(name)) {
        errors.push_back({field_at, "must not be empty"});
      } else if (!value.empty()) {
        kept[name] = value;
      }
    }
    auto partner = fields.find("partnerId");
    if (partner == fields.end() || trimmed(partner->second).empty()) {
      errors.push_back({at + ".partnerId", "is required: the carrier account the waybills bill"});
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return carriers;
}

// The stored secrets a save omitted, kept for carriers it names again.
void keep_secrets(CarrierFields& carriers, const CarrierFields& stored) {
  for (auto& [code, fields] : carriers) {
    auto before = stored.find(code);
    if (before == stored.end()) continue;
    for (std::string_view secret : kWaybillSecretFields) {
      std::string name(secret);
      auto kept = before->second.find(name);
      if (!fields.contains(name) && kept != before->second.end()) fields[name] = kept->second;
    }
  }
}

std::vector<FieldChange> account_changes(const WaybillAccount& before,
                                         const WaybillAccount& after) {
  std::vector<FieldChange> changes;
  add_change(changes, "url", before.url, after.url);
  add_secret_change(changes, "key", before.key, after.key);
  add_secret_change(changes, "secret", before.secret, after.secret);
  std::set<std::string> codes;
  for (const auto& [code, fields] : before.carriers) codes.insert(code);
  for (const auto& [code, fields] : after.carriers) codes.insert(code);
  static const std::map<std::string, std::string> kNone;
  for (const std::string& code : codes) {
    auto was_found = before.carriers.find(code);
    auto is_found = after.carriers.find(code);
    const auto& was = was_found == before.carriers.end() ? kNone : was_found->second;
    const auto& is = is_found == after.carriers.end() ? kNone : is_found->second;
    std::set<std::string> names;
    for (const auto& [name, value] : was) names.insert(name);
    for (const auto& [name, value] : is) names.insert(name);
    for (const std::string& name : names) {
      auto old_value = was.find(name);
      auto new_value = is.find(name);
      std::string from = old_value == was.end() ? "" : old_value->second;
      std::string to = new_value == is.end() ? "" : new_value->second;
      std::string field = "accounts." + code + "." + name;
      if (is_secret_field(name)) {
        add_secret_change(changes, std::move(field), from, to);
      } else {
        add_change(changes, std::move(field), std::move(from), std::move(to));
      }
    }
  }
  return changes;
}

}  // namespace

bool is_waybill_parcel_field(std::string_view field) {
  return std::find(std::begin(kWaybillParcelFields), std::end(kWaybillParcelFields), field) !=
         std::end(kWaybillParcelFields);
}

WaybillAccountView view_of(const WaybillAccount& account) {
  WaybillAccountView view;
  view.url = account.url;
  view.key_set = !account.key.empty();
  view.secret_set = !account.secret.empty();
  view.updated_at = account.updated_at;
  for (const auto& [code, fields] : account.carriers) {
    WaybillCarrierView& shown = view.carriers[code];
    for (std::string_view secret : kWaybillSecretFields) {
      shown.secrets_set[std::string(secret)] = false;
    }
    for (const auto& [name, value] : fields) {
      if (is_secret_field(name)) {
        shown.secrets_set[name] = !value.empty();
      } else {
        shown.fields[name] = value;
      }
    }
  }
  return view;
}

Result<WaybillAccountView> WaybillAccounts::get(const Actor& actor) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  std::optional<WaybillAccount> stored = store_.read(actor.tenant_id)->waybill_account();
  if (!stored) {
    return error(ErrorCode::not_found,
                 "no waybill account yet: PUT /api/v1/carriers/kuaidi100/waybill sets one up");
  }
  return view_of(*stored);
}

void WaybillAccounts::save(const Actor& actor, WaybillAccountInput input,
                           Callback<WaybillAccountView> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  std::string_view url = trimmed(input.url);
  while (url.ends_with('/')) url.remove_suffix(1);
  input.url = std::string(url);
  std::vector<FieldError> errors;
  if (!is_http_url(input.url)) {
    errors.push_back({"url", "must be the aggregator's http:// or https:// address"});
  }
  std::optional<CarrierFields> carriers;
  if (input.accounts) {
    Result<CarrierFields> read = read_carriers(*input.accounts);
    if (read.ok()) {
      carriers = std::move(*read);
    } else {
      errors.insert(errors.end(), read.error().fields.begin(), read.error().fields.end());
    }
  }
  if (!errors.empty()) return done(invalid_fields(std::move(errors)));
  run_write<WaybillAccountView>(
      store_, actor.tenant_id,
      [this, actor, input = std::move(input),
       carriers = std::move(carriers)](WriteTx& tx) mutable -> Result<WaybillAccountView> {
        std::optional<WaybillAccount> before = tx.waybill_account();
        WaybillAccount account;
        account.url = input.url;
        account.key = !input.key.empty() ? input.key : before ? before->key : std::string();
        account.secret = !input.secret.empty() ? input.secret
                         : before              ? before->secret
                                               : std::string();
        std::vector<FieldError> missing;
        if (account.key.empty()) missing.push_back({"key", "is required"});
        if (account.secret.empty()) missing.push_back({"secret", "is required"});
        if (!missing.empty()) return invalid_fields(std::move(missing));
        if (carriers) {
          if (before) keep_secrets(*carriers, before->carriers);
          account.carriers = std::move(*carriers);
        } else if (before) {
          account.carriers = before->carriers;
        }
        account.updated_at = clock_.now();
        tx.save_waybill_account(account);
        record_audit(tx, actor.name, before ? "waybill_account.update" : "waybill_account.create",
                     audit_object("waybill_account", "kuaidi100"),
                     account_changes(before.value_or(WaybillAccount{}), account),
                     account.updated_at);
        WaybillAccountView view = view_of(account);
        view.created = !before;
        return view;
      },
      std::move(done));
}

}  // namespace depot
