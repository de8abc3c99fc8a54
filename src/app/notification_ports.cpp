#include "app/notification_ports.h"

#include "domain/enum_names.h"

namespace depot {

namespace {

constexpr EnumNames<Audience, 3> kAudiences = {{
    {Audience::customer, "customer"},
    {Audience::merchant, "merchant"},
    {Audience::staff, "staff"},
}};

constexpr EnumNames<TicketStatus, 4> kTicketStatuses = {{
    {TicketStatus::open, "open"},
    {TicketStatus::in_progress, "in_progress"},
    {TicketStatus::resolved, "resolved"},
    {TicketStatus::closed, "closed"},
}};

}  // namespace

std::string_view to_string(Audience audience) { return name_of(kAudiences, audience); }
std::optional<Audience> parse_audience(std::string_view text) { return value_of(kAudiences, text); }
std::string_view to_string(TicketStatus status) { return name_of(kTicketStatuses, status); }
std::optional<TicketStatus> parse_ticket_status(std::string_view text) {
  return value_of(kTicketStatuses, text);
}

}  // namespace depot
