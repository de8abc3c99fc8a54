#pragma once
// Notifications, channel accounts, templates, tickets and the sandbox inbox as the JSON the API
// documents (docs/notifications.md, docs/openapi.json). Recipients are masked (SEC-3).

#include <boost/json.hpp>

#include <string>

#include "app/channel_accounts.h"
#include "app/notification_service.h"
#include "app/ticket_service.h"

namespace depot::http {

boost::json::object to_json(const Notification& notification);
boost::json::object to_json(const NotificationDetail& detail);
boost::json::object to_json(const ChannelAccountView& view);
boost::json::object to_json(const StoredTemplate& stored);
boost::json::object to_json(const Ticket& ticket);
boost::json::object to_json(const SandboxMessage& message);
boost::json::object to_json(const TemplatePreview& preview);

// The body a merchant's webhook receives for an event: {type, timestamp, data} as the Standard
// Webhooks specification recommends, `data` being the event as GET /api/v1/events shows it.
std::string webhook_payload(const EventRecord& record);

}  // namespace depot::http
