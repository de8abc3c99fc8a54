#pragma once
// Mainland China's administrative divisions (province → city → county, GB/T 2260 codes), compiled
// into the binary from an npm data package at build time (docs/divisions.md), and the check that
// an address's province, city and district exist and belong together. Pure: no I/O. Thread-safe:
// the lookup tables are built once, on first use, and only read afterwards.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace depot {

// The data's package, version and date ("china-division 2.7.0 (NBS division codes 2023, as of
// 2023-06-30)").
extern const std::string_view kDivisionsSource;

// Where an address lies, in the data's full names and six-digit codes. A municipality's city is
// the municipality itself (上海市) with the code of its city level (310100). A city without
// counties (东莞市, or 仙桃市 and other county-level units administered by the province directly)
// is its own district: district = city, and the codes are those of that unit in the tree.
struct DivisionMatch {
  std::string province, city, district;
  std::string province_code, city_code, district_code;

  bool operator==(const DivisionMatch&) const = default;
};

// Why an address does not match: a stable code, the field at fault ("shipping_address.city") and
// a message for people naming the places involved.
//   address.province_missing | address.province_unknown                   shipping_address.province
//   address.city_missing | address.city_unknown | address.city_not_in_province
//   shipping_address.city address.district_missing | address.district_unknown |
//   address.district_not_in_city
//                                                                           shipping_address.district
// A short form that fits two divisions of the city (or province) is reported as unknown, with
// both names in the message.
struct DivisionProblem {
  std::string code;
  std::string field;
  std::string message;

  bool operator==(const DivisionProblem&) const = default;
};

// Finds the division an address names. Each part is trimmed and may be the full name or a short
// form: without its type suffix (上海, 广东, 杭州, 浦东, 朝阳) or, for autonomous divisions, the
// place name before the ethnic groups (新疆, 广西, 恩施州). A short form is resolved within the
// province or city above it; the full name wins over a short form. A municipality's city may be
// written as the municipality (上海市, 上海) or as its city level (市辖区). Cities without
// counties accept any district text (a town, the city repeated, or nothing), because town-level
// data is not compiled in; only the full name of a county elsewhere is refused there.
// Hong Kong, Macau and Taiwan are outside the data: province_unknown.
std::variant<DivisionMatch, DivisionProblem> match_division(std::string_view province,
                                                            std::string_view city,
                                                            std::string_view district);

// One choice of an address picker (province → city → district): the code to ask for the next
// level with, the name an order's address takes, and whether the choice completes the address.
struct DivisionChoice {
  std::string code;
  std::string name;
  bool leaf = false;

  bool operator==(const DivisionChoice&) const = default;
};

// The choices under `parent_code` ("" for the provinces), each of which match_division accepts
// at its level: a municipality offers itself as its one city (its 市辖区 and 县 levels merged),
// and the counties a province administers directly (仙桃市) and cities without counties (东莞市)
// are leaves among the cities, their own district. Nothing when no division has that code.
std::optional<std::vector<DivisionChoice>> division_choices(std::string_view parent_code);

// An address as printed on a parcel: the divisions run together and then the street, with a
// municipality named once ("上海市浦东新区 世纪大道 1 号", not "上海市上海市…").
std::string printed_address(std::string_view province, std::string_view city,
                            std::string_view district, std::string_view detail);

}  // namespace depot
