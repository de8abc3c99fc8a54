#include "app/tracking_ports.h"

#include <array>

namespace depot {

namespace {

constexpr std::array<std::pair<Subscription, std::string_view>, 3> kSubscriptionNames = {{
    {Subscription::pending, "pending"},
    {Subscription::subscribed, "subscribed"},
    {Subscription::failed, "failed"},
}};

}  // namespace

std::string_view to_string(Subscription subscription) {
  for (const auto& [value, name] : kSubscriptionNames) {
    if (value == subscription) return name;
  }
  return "pending";
}

std::optional<Subscription> parse_subscription(std::string_view text) {
  for (const auto& [value, name] : kSubscriptionNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace depot
