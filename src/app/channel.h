#pragma once
// The Channel port (SPEC NTF-2): one provider protocol that delivers a rendered message to one
// recipient. Adapters live in src/channels/<name>/ (SMTP, Aliyun SMS, WeChat template messages,
// JPush, signed webhooks); the dispatcher (app/) decides what to send, when and to whom, and
// records every attempt.
//
// Thread safety: send() may be called from any thread at once and must not block on the network;
// `done` runs exactly once, on a thread of the adapter's choosing, and must not block.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "domain/notification.h"

namespace depot {

// A merchant's account with one provider. `settings` holds the channel's fields by name, as the
// API takes them (email: host, port, from, username, password, starttls; sms: access_key_id,
// access_key_secret, sign_name; wechat: appid, secret; push: app_key, master_secret; webhook:
// secret); `templates` maps an event name to the provider's own template (an Aliyun template
// code, a WeChat template id).
struct ChannelAccount {
  ChannelKind kind = ChannelKind::email;
  std::string url;  // the provider's base URL ("smtp://host:port" for email)
  std::map<std::string, std::string> settings;
  std::map<std::string, std::string> templates;
  bool sandbox = false;   // messages land in depot's sandbox inbox, not at a provider
  bool disabled = false;  // a webhook endpoint that answered 410 Gone

  std::string setting(const std::string& name) const {
    auto found = settings.find(name);
    return found == settings.end() ? std::string() : found->second;
  }
};

// What to send: rendered for the recipient's channel and locale.
struct OutgoingMessage {
  std::string key;        // the delivery's dedupe key: webhook-id, Message-ID, OutId
  std::string event;      // "shipment.created"
  std::string recipient;  // a phone, an email address, an openid, a device token, a URL
  std::string subject;    // email subject, push title
  std::string text;       // the plain-text body (the SMS text, the push alert)
  std::string html;       // email only
  std::string link;       // where a WeChat message or a push opens (may be empty)
  // The template's variables by name, for providers that render their own templates (Aliyun
  // TemplateParam, WeChat `data`).
  std::map<std::string, std::string> variables;
  std::string payload;  // webhooks: the JSON body to POST
};

struct SendOutcome {
  enum class Kind {
    sent,         // the provider accepted it
    retry_later,  // down, slow, throttled, 5xx: the same message may succeed later
    permanent,    // refused for good: bad address, unregistered device, a 4xx retrying cannot fix
  };
  Kind kind = Kind::sent;
  // What the provider said, for the notification log: status and body (shortened), or the
  // transport error. Never holds a credential.
  std::string response;
  std::string provider_id;  // the provider's message id (Aliyun BizId, WeChat msgid, …) if any
  std::optional<std::chrono::milliseconds> retry_after;
  bool disable_account = false;  // the endpoint is gone (webhook 410): stop sending to it

  // A refusal for good, without a send: a message or an account the provider could never take.
  static SendOutcome refused(std::string why) {
    SendOutcome outcome;
    outcome.kind = Kind::permanent;
    outcome.response = std::move(why);
    return outcome;
  }
};

// "sent", "retry_later", "permanent": for the notification log and adapters' logs.
inline std::string_view to_string(SendOutcome::Kind kind) {
  switch (kind) {
    case SendOutcome::Kind::sent:
      return "sent";
    case SendOutcome::Kind::retry_later:
      return "retry_later";
    case SendOutcome::Kind::permanent:
      return "permanent";
  }
  return "unknown";
}

class Channel {
 public:
  virtual ~Channel() = default;
  virtual void send(const ChannelAccount& account, const OutgoingMessage& message,
                    std::function<void(SendOutcome)> done) = 0;
};

}  // namespace depot
