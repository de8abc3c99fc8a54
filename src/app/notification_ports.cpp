#include "app/notification_ports.h"

#include <array>
#include <utility>

namespace depot {

namespace {

constexpr std::array<std::pair<Audience, std::string_view>, 3> kAudiences = {{
    {Audience::customer, "customer"},
    {Audience::merchant, "merchant"},
    {Audience::staff, "staff"},
}};

constexpr std::array<std::pair<TicketStatus, std::string_view>, 4> kTicketStatuses = {{
    {TicketStatus::open, "open"},
    {TicketStatus::in_progress, "in_progress"},
    {TicketStatus::resolved, "resolved"},
    {TicketStatus::closed, "closed"},
}};

template <class T, std::size_t N>
std::string_view name_of(const std::array<std::pair<T, std::string_view>, N>& names, T value) {
  for (const auto& [known, name] : names) {
    if (known == value) return name;
  }
  return "unknown";
}

template <class T, std::size_t N>
std::optional<T> value_of(const std::array<std::pair<T, std::string_view>, N>& names,
                          std::string_view text) {
  for (const auto& [known, name] : names) {
    if (name == text) return known;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Audience audience) { return name_of(kAudiences, audience); }
std::optional<Audience> parse_audience(std::string_view text) { return value_of(kAudiences, text); }
std::string_view to_string(TicketStatus status) { return name_of(kTicketStatuses, status); }
std::optional<TicketStatus> parse_ticket_status(std::string_view text) {
  return value_of(kTicketStatuses, text);
}

}  // namespace depot
