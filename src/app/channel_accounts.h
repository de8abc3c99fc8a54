#pragma once
// A merchant's provider accounts, one per channel (SPEC NTF-2): what each channel's account holds,
// checking an account before it is saved, and showing one without its secrets. Thread-safe.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/write.h"

namespace depot {

enum class FieldKind { text, url, mailbox, port, boolean };

// One field of a channel's account as the API takes it.
struct ChannelField {
  std::string_view name;
  FieldKind kind;
  bool required;
  bool secret;  // never shown again once saved; omitted on a later save, the stored one is kept
};
std::span<const ChannelField> channel_fields(ChannelKind channel);
// Whether the channel maps events to the provider's own templates (SMS codes, WeChat ids).
bool uses_provider_templates(ChannelKind channel);

// An account as given to the API: the fields by name (already read as text by their kind),
// provider templates by event name, and whether it is depot's sandbox.
struct ChannelAccountInput {
  std::map<std::string, std::string> fields;
  std::optional<std::map<std::string, std::string>> templates;
  bool sandbox = false;
};

// An account as the API shows it: secrets only as "set".
struct ChannelAccountView {
  ChannelAccount account;  // secrets removed
  std::vector<std::string> secrets_set;
  std::string report_path;  // where the provider posts delivery reports (SMS), if any
};

class ChannelAccounts {
 public:
  ChannelAccounts(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  Result<std::vector<ChannelAccountView>> list(const Actor& actor);
  // Saves the channel's account; answers it and whether it was new (201) or replaced (200).
  void put(const Actor& actor, ChannelKind channel, ChannelAccountInput input,
           Callback<std::pair<ChannelAccountView, bool>> done);
  void remove(const Actor& actor, ChannelKind channel, Callback<bool> done);

  // The path the SMS provider posts reports to, for a merchant and its account's token.
  static std::string report_path(TenantId tenant, const std::string& token);

 private:
  Store& store_;
  Clock& clock_;
};

ChannelAccountView view_of(TenantId tenant, const ChannelAccount& account);

}  // namespace depot
