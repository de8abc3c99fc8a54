#pragma once
// The names a rule expression may use (SPEC SHP-2): the facts about an order and the parts of Lua's
// libraries the sandbox keeps. The sandbox builds its environment from these lists and the
// compiler checks names against them, so the two cannot drift apart. docs/rules.md describes them
// for merchants.
//
// Thread safety: constants only.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace depot::rules::vocabulary {

// Each field list is in the order of its enum: the bindings switch on the index.
enum class OrderField { total, currency, platform, quantity, line_count };
inline constexpr std::string_view kOrderFields[] = {"total", "currency", "platform", "quantity",
                                                    "line_count"};

enum class AddressField { province, city, district, detail, postcode };
inline constexpr std::string_view kAddressFields[] = {"province", "city", "district", "detail",
                                                      "postcode"};

enum class CustomerField { name, phone, email, orders_within_minutes };
inline constexpr std::string_view kCustomerFields[] = {"name", "phone", "email",
                                                       "orders_within_minutes"};

// Also the names RuleFacts::blacklisted is asked about.
inline constexpr std::string_view kBlacklists[] = {"phone", "address", "name"};

enum class LineField { quantity, unit_price };
inline constexpr std::string_view kLineFields[] = {"quantity", "unit_price"};

// What the sandbox keeps of Lua's libraries: nothing that reaches files, the clock, randomness,
// other code (string.dump) or metatables.
inline constexpr std::string_view kStringFunctions[] = {
    "byte",  "char",  "find", "format",  "gmatch", "gsub", "len",
    "lower", "match", "rep",  "reverse", "sub",    "upper"};
inline constexpr std::string_view kMathFunctions[] = {
    "abs",  "acos", "asin", "atan", "ceil",       "cos",  "deg",        "exp",  "floor",
    "fmod", "huge", "log",  "max",  "maxinteger", "min",  "mininteger", "modf", "pi",
    "rad",  "sin",  "sqrt", "tan",  "tointeger",  "type", "ult"};
inline constexpr std::string_view kUtf8Functions[] = {"char",  "charpattern", "codepoint",
                                                      "codes", "len",         "offset"};
inline constexpr std::string_view kBaseFunctions[] = {"tonumber", "tostring", "type"};

// A global table a rule reads fields of, with every field it has.
struct Table {
  std::string_view name;
  std::span<const std::string_view> members;
  bool library;  // Lua's own (string, math, utf8) rather than facts
};
inline constexpr Table kTables[] = {
    {"order", kOrderFields, false},       {"address", kAddressFields, false},
    {"customer", kCustomerFields, false}, {"blacklist", kBlacklists, false},
    {"string", kStringFunctions, true},   {"math", kMathFunctions, true},
    {"utf8", kUtf8Functions, true},
};

// The global function that reads an order line by SKU.
inline constexpr std::string_view kLineFunction = "line";

inline std::optional<std::size_t> index_of(std::span<const std::string_view> names,
                                           std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

inline const Table* find_table(std::string_view name) {
  for (const Table& table : kTables) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

inline bool is_global(std::string_view name) {
  return find_table(name) != nullptr || name == kLineFunction ||
         index_of(kBaseFunctions, name).has_value();
}

}  // namespace depot::rules::vocabulary
