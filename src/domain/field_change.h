#pragma once
// What one write changed in one field of an object (SEC-3): the audit log's unit, as text for
// people. Diffs of domain objects (domain/order_changes.h) are lists of these. Secrets never enter
// one: a changed secret is recorded as kChangedSecret.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace depot {

struct FieldChange {
  std::string field;   // a path: "status", "customer.phone", "shipping_address.detail"
  std::string before;  // "" when the field had no value
  std::string after;

  bool operator==(const FieldChange&) const = default;
};

inline constexpr std::string_view kChangedSecret = "(changed)";

// Appends a change when `before` and `after` differ.
void add_change(std::vector<FieldChange>& changes, std::string field, std::string before,
                std::string after);
// Appends {field, "", "(changed)"} when a secret differs, and nothing otherwise: neither value is
// ever shown.
void add_secret_change(std::vector<FieldChange>& changes, std::string field,
                       std::string_view before, std::string_view after);

// Minor units as yuan text: 12050 → "120.50", -5 → "-0.05".
std::string money_text(std::int64_t minor);

}  // namespace depot
