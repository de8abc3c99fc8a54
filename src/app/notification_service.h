#pragma once
// The notification log, manual resends, provider delivery reports, a merchant's own templates and
// the sandbox inbox (SPEC NTF-4, NTF-6). Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/notification_composer.h"
#include "app/templates.h"
#include "app/write.h"

namespace depot {

struct NotificationDetail {
  Notification notification;
  std::vector<NotificationAttempt> attempts;
};

// A provider's receipt for one message: `key` is the delivery's key (Aliyun's OutId).
struct DeliveryReport {
  std::string key;
  bool delivered = false;
  std::string code;     // the provider's status code ("DELIVERED", "MOBILE_NOT_ON_SERVICE")
  std::string message;  // the provider's words
};

struct TemplatePreview {
  std::string template_source;  // "merchant", "default" or "draft"
  RenderedMessage rendered;
  std::map<std::string, std::string> values;
};

struct PreviewRequest {
  std::int64_t order_id = 0;
  EventType event = EventType::shipment_created;
  ChannelKind channel = ChannelKind::sms;
  std::string locale;                    // empty: the customer's
  std::optional<MessageTemplate> draft;  // a template not yet saved
};

class NotificationService {
 public:
  NotificationService(Store& store, Clock& clock, const NotificationComposer& composer)
      : store_(store), clock_(clock), composer_(composer) {}

  Result<std::vector<Notification>> list(const Actor& actor, const NotificationQuery& query);
  Result<NotificationDetail> find(const Actor& actor, std::int64_t id);
  // A new delivery of the same message to the same recipient, due now, logged as a resend.
  void resend(const Actor& actor, std::int64_t id, Callback<Notification> done);

  // Receipts a provider posted to the merchant's report path, checked against its token. Answers
  // how many matched a delivery; unknown keys are ignored (the provider may report others').
  void record_reports(TenantId tenant, const std::string& token,
                      std::vector<DeliveryReport> reports, Callback<int> done);

  Result<std::vector<StoredTemplate>> templates(const Actor& actor);
  // The template a delivery would use now: the merchant's own ("merchant") or depot's
  // ("default").
  Result<std::pair<StoredTemplate, std::string>> effective_template(const Actor& actor,
                                                                    EventType event,
                                                                    ChannelKind channel,
                                                                    const std::string& locale);
  void save_template(const Actor& actor, StoredTemplate stored, Callback<bool> done);
  void delete_template(const Actor& actor, EventType event, ChannelKind channel,
                       const std::string& locale, Callback<bool> done);
  Result<TemplatePreview> preview(const Actor& actor, const PreviewRequest& request);

  Result<std::vector<SandboxMessage>> sandbox_messages(const Actor& actor, std::int64_t order_id,
                                                       std::int64_t before_id, int limit);

 private:
  Store& store_;
  Clock& clock_;
  const NotificationComposer& composer_;
};

}  // namespace depot
