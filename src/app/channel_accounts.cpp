#include "app/channel_accounts.h"

#include <algorithm>
#include <array>

#include "app/access_service.h"
#include "app/audit.h"
#include "domain/notification.h"
#include "domain/order_rules.h"
#include "domain/text.h"

namespace depot {

namespace {

constexpr std::array kEmailFields = {
    ChannelField{"host", FieldKind::text, true, false},
    ChannelField{"port", FieldKind::port, true, false},
    ChannelField{"from", FieldKind::mailbox, true, false},
    ChannelField{"username", FieldKind::text, false, false},
    ChannelField{"password", FieldKind::text, false, true},
    ChannelField{"starttls", FieldKind::boolean, false, false},
    // false accepts a server certificate no authority vouches for (an internal relay).
    ChannelField{"tls_verify", FieldKind::boolean, false, false},
};
constexpr std::array kSmsFields = {
    ChannelField{"url", FieldKind::url, true, false},
    ChannelField{"access_key_id", FieldKind::text, true, false},
    ChannelField{"access_key_secret", FieldKind::text, true, true},
    ChannelField{"sign_name", FieldKind::text, true, false},
};
constexpr std::array kWechatFields = {
    ChannelField{"url", FieldKind::url, true, false},
    ChannelField{"appid", FieldKind::text, true, false},
    ChannelField{"secret", FieldKind::text, true, true},
};
constexpr std::array kPushFields = {
    ChannelField{"url", FieldKind::url, true, false},
    ChannelField{"app_key", FieldKind::text, true, false},
    ChannelField{"master_secret", FieldKind::text, true, true},
};
constexpr std::array kWebhookFields = {
    ChannelField{"url", FieldKind::url, true, false},
    ChannelField{"secret", FieldKind::text, true, true},
};

// The token in an SMS account's report path: not a field the merchant sets.
constexpr const char* kReportToken = "report_token";

std::optional<std::string> field_problem(const ChannelField& field, const std::string& value) {
  switch (field.kind) {
    case FieldKind::url:
      if (!is_http_url(value)) return "must be an http:// or https:// URL";
      break;
    case FieldKind::mailbox:
      if (!is_valid_mailbox(value)) {
        return "must be an email address, alone or after a name: 店名 <shop@example.com>";
      }
      break;
    case FieldKind::port: {
      bool digits =
          !value.empty() && value.size() <= 5 &&
          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || std::stoi(value) < 1 || std::stoi(value) > 65535) {
        return "must be a port number from 1 to 65535";
      }
      break;
    }
    case FieldKind::boolean:
      if (value != "true" && value != "false") return "must be true or false";
      break;
    case FieldKind::text:
      if (value.empty()) return "must not be empty";
      break;
  }
  if (value.size() > 2048) return "must be at most 2048 bytes";
  return std::nullopt;
}

// The account `input` describes, on top of what is stored (whose secrets it may keep).
Result<ChannelAccount> account_from(ChannelKind channel, ChannelAccountInput input,
                                    const std::optional<ChannelAccount>& stored) {
  std::vector<FieldError> errors;
  ChannelAccount account;
  account.kind = channel;
  account.sandbox = input.sandbox;
  for (const ChannelField& field : channel_fields(channel)) {
    std::string name(field.name);
    auto given = input.fields.find(name);
    if (given != input.fields.end()) {
      if (std::optional<std::string> problem = field_problem(field, given->second)) {
        errors.push_back({name, *problem});
      } else {
        account.settings[name] = given->second;
      }
      continue;
    }
    if (field.secret && stored && !stored->setting(name).empty()) {
      account.settings[name] = stored->setting(name);
    } else if (field.required && !input.sandbox) {
      errors.push_back({name, "is required"});
    }
  }
  if (input.templates) {
    for (const auto& [event, code] : *input.templates) {
      if (!parse_event_type(event)) {
        errors.push_back({"templates." + event, "is not an event depot emits"});
      } else if (code.empty() || code.size() > 128) {
        errors.push_back({"templates." + event, "must be 1-128 characters"});
      }
    }
    account.templates = std::move(*input.templates);
  } else if (stored) {
    account.templates = stored->templates;
  }
  std::string secret = account.setting("secret");
  if (channel == ChannelKind::webhook && secret.starts_with("whsec_") &&
      !is_base64(std::string_view(secret).substr(6))) {
    errors.push_back({"secret", "must be base64 after \"whsec_\" (Standard Webhooks)"});
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));

  if (channel == ChannelKind::email) {
    account.url = account.settings.empty()
                      ? std::string()
                      : "smtp://" + account.setting("host") + ":" + account.setting("port");
  } else {
    account.url = account.setting("url");
    account.settings.erase("url");
  }
  if (channel == ChannelKind::sms) {
    std::string token = stored ? stored->setting(kReportToken) : std::string();
    account.settings[kReportToken] = token.empty() ? random_token(24) : token;
  }
  return account;
}

// What a change of the account shows in the audit log: the provider URL by its host only (a
// webhook's path or query may carry a token), settings by name with secrets as "(changed)", and
// the template mapping per event.
std::vector<FieldChange> account_changes(ChannelKind channel,
                                         const std::optional<ChannelAccount>& before,
                                         const std::optional<ChannelAccount>& after) {
  static const ChannelAccount kNone;
  const ChannelAccount& old_account = before ? *before : kNone;
  const ChannelAccount& new_account = after ? *after : kNone;
  std::vector<FieldChange> changes;
  add_change(changes, "url", mask_recipient(ChannelKind::webhook, old_account.url),
             mask_recipient(ChannelKind::webhook, new_account.url));
  for (const ChannelField& field : channel_fields(channel)) {
    std::string name(field.name);
    if (field.secret) {
      add_secret_change(changes, name, old_account.setting(name), new_account.setting(name));
    } else if (name != "url") {
      add_change(changes, name, old_account.setting(name), new_account.setting(name));
    }
  }
  std::map<std::string, std::string> events = old_account.templates;
  events.insert(new_account.templates.begin(), new_account.templates.end());
  for (const auto& [event, code] : events) {
    auto was = old_account.templates.find(event);
    auto is = new_account.templates.find(event);
    add_change(changes, "templates." + event, was == old_account.templates.end() ? "" : was->second,
               is == new_account.templates.end() ? "" : is->second);
  }
  add_change(changes, "sandbox", old_account.sandbox ? "true" : "false",
             new_account.sandbox ? "true" : "false");
  return changes;
}

std::string account_object(ChannelKind channel) {
  return audit_object("channel_account", to_string(channel));
}

}  // namespace

std::span<const ChannelField> channel_fields(ChannelKind channel) {
  switch (channel) {
    case ChannelKind::email:
      return kEmailFields;
    case ChannelKind::sms:
      return kSmsFields;
    case ChannelKind::wechat:
      return kWechatFields;
    case ChannelKind::push:
      return kPushFields;
    case ChannelKind::webhook:
      return kWebhookFields;
    case ChannelKind::platform:  // its account is the order's connection
      return {};
  }
  return {};
}

bool uses_provider_templates(ChannelKind channel) {
  return channel == ChannelKind::sms || channel == ChannelKind::wechat;
}

std::string ChannelAccounts::report_path(TenantId tenant, const std::string& token) {
  return "/api/v1/hooks/sms/" + std::to_string(tenant) + "/" + token;
}

ChannelAccountView view_of(TenantId tenant, const ChannelAccount& account) {
  ChannelAccountView view;
  view.account = account;
  for (const ChannelField& field : channel_fields(account.kind)) {
    std::string name(field.name);
    if (field.secret && view.account.settings.erase(name) > 0) view.secrets_set.push_back(name);
  }
  auto token = view.account.settings.find(kReportToken);
  if (token != view.account.settings.end()) {
    view.report_path = ChannelAccounts::report_path(tenant, token->second);
    view.account.settings.erase(token);
  }
  return view;
}

Result<std::vector<ChannelAccountView>> ChannelAccounts::list(const Actor& actor) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  std::vector<ChannelAccountView> views;
  for (const ChannelAccount& account : store_.read(actor.tenant_id)->channel_accounts()) {
    views.push_back(view_of(actor.tenant_id, account));
  }
  return views;
}

void ChannelAccounts::put(const Actor& actor, ChannelKind channel, ChannelAccountInput input,
                          Callback<std::pair<ChannelAccountView, bool>> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    done(allowed.error());
    return;
  }
  Instant now = clock_.now();
  TenantId tenant = actor.tenant_id;
  run_write<std::pair<ChannelAccountView, bool>>(
      store_, tenant,
      [channel, input = std::move(input), now, tenant,
       actor](WriteTx& tx) mutable -> Result<std::pair<ChannelAccountView, bool>> {
        std::optional<ChannelAccount> stored = tx.find_channel_account(channel);
        Result<ChannelAccount> account = account_from(channel, std::move(input), stored);
        if (!account.ok()) return account.error();
        tx.save_channel_account(*account, now);
        record_audit(tx, actor.name, stored ? "channel_account.update" : "channel_account.create",
                     account_object(channel), account_changes(channel, stored, *account), now);
        return std::pair{view_of(tenant, *account), !stored.has_value()};
      },
      std::move(done));
}

void ChannelAccounts::remove(const Actor& actor, ChannelKind channel, Callback<bool> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    done(allowed.error());
    return;
  }
  run_write<bool>(
      store_, actor.tenant_id,
      [this, actor, channel](WriteTx& tx) -> Result<bool> {
        std::optional<ChannelAccount> stored = tx.find_channel_account(channel);
        if (!stored || !tx.delete_channel_account(channel)) {
          return error(ErrorCode::not_found,
                       "no " + std::string(to_string(channel)) + " channel is set up");
        }
        record_audit(tx, actor.name, "channel_account.delete", account_object(channel),
                     account_changes(channel, stored, std::nullopt), clock_.now());
        return true;
      },
      std::move(done));
}

}  // namespace depot
