#include "domain/field_change.h"

#include <cstdio>

namespace depot {

void add_change(std::vector<FieldChange>& changes, std::string field, std::string before,
                std::string after) {
  if (before == after) return;
  changes.push_back({std::move(field), std::move(before), std::move(after)});
}

void add_secret_change(std::vector<FieldChange>& changes, std::string field,
                       std::string_view before, std::string_view after) {
  if (before == after) return;
  changes.push_back({std::move(field), "", std::string(kChangedSecret)});
}

std::string money_text(std::int64_t minor) {
  // The magnitude in unsigned arithmetic, so the most negative value does not overflow.
  unsigned long long magnitude = minor < 0 ? 0ULL - static_cast<unsigned long long>(minor)
                                           : static_cast<unsigned long long>(minor);
  char text[32];
  std::snprintf(text, sizeof text, "%s%llu.%02llu", minor < 0 ? "-" : "", magnitude / 100,
                magnitude % 100);
  return text;
}

}  // namespace depot
