#include "domain/divisions.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "divisions_data.h"
#include "domain/text.h"

namespace depot {
namespace {

using divisions_data::kDivisionCount;
using divisions_data::kDivisions;

constexpr int kProvince = 0;
constexpr int kCity = 1;
constexpr int kCounty = 2;

constexpr std::string_view kProvinceField = "shipping_address.province";
constexpr std::string_view kCityField = "shipping_address.city";
constexpr std::string_view kDistrictField = "shipping_address.district";

// Type words a name ends in, longest first; the name without one is its short form (广东省 →
// 广东, 浦东新区 → 浦东). Never a list of places: those all come from the data.
constexpr std::string_view kProvinceSuffixes[] = {"特别行政区", "自治区", "省", "市"};
constexpr std::string_view kCitySuffixes[] = {"自治州", "地区", "市", "盟"};
constexpr std::string_view kCountySuffixes[] = {"自治县", "自治旗", "新区", "林区", "特区",
                                                "区",     "县",     "市",   "旗"};
// A short form keeps at least two characters: 城区 and 赵县 have none, or 区 alone would match.
constexpr std::size_t kMinFormChars = 2;

// How a written form names a division; a better rank wins over a worse one.
enum class Rank : std::uint8_t { full, short_form, prefix };

// What a division is for matching, read from the data's shape, never from a list of places.
enum class Role : std::uint8_t {
  ordinary,
  municipality,     // a province-level city: 北京市, 天津市, 上海市, 重庆市
  municipal_level,  // a municipality's placeholder city level: 市辖区, 县
  direct_group,     // 省直辖县级行政区划: the counties a province administers directly
  direct_county,    // one of those; orders write it as a city: 仙桃市, 济源市, 石河子市
  countyless_city,  // a city the data lists once more as its only county: 东莞市, 嘉峪关市
};

struct Candidate {
  std::int16_t index;
  Rank rank;
};

int level_of(int index) { return kDivisions[index].level; }
int parent_of(int index) { return kDivisions[index].parent; }
std::string code_of(int index) { return std::to_string(kDivisions[index].code); }

std::string_view name_of(int index) {
  const auto& division = kDivisions[index];
  return {divisions_data::kNames + division.name_offset, division.name_size};
}

int province_of(int index) {
  while (parent_of(index) >= 0) index = parent_of(index);
  return index;
}

// Byte offset of the UTF-8 character after the one starting at `at`.
std::size_t next_char(std::string_view text, std::size_t at) {
  ++at;
  while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  return at;
}

std::string_view without_type_suffix(std::string_view name,
                                     std::span<const std::string_view> suffixes) {
  for (std::string_view suffix : suffixes) {
    if (!name.ends_with(suffix)) continue;
    std::string_view stem = name.substr(0, name.size() - suffix.size());
    if (utf8_length(stem) >= kMinFormChars) return stem;
  }
  return name;
}

std::span<const std::string_view> suffixes_of(int level) {
  if (level == kProvince) return kProvinceSuffixes;
  if (level == kCity) return kCitySuffixes;
  return kCountySuffixes;
}

// Addresses pasted from chat apps carry ideographic spaces (U+3000) as well as ASCII ones.
std::string_view trimmed_all(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\u3000";
  for (;;) {
    std::string_view before = text;
    text = trimmed(text);
    if (text.starts_with(kIdeographicSpace)) text.remove_prefix(kIdeographicSpace.size());
    if (text.ends_with(kIdeographicSpace)) text.remove_suffix(kIdeographicSpace.size());
    if (text.size() == before.size()) return text;
  }
}

// Every written form of every division, built once: one hash lookup per address part.
class Index {
 public:
  Index() : roles_(kDivisionCount, Role::ordinary), children_(kDivisionCount) {
    for (int i = 0; i < static_cast<int>(kDivisionCount); ++i) {
      if (parent_of(i) >= 0) children_[parent_of(i)].push_back(static_cast<std::int16_t>(i));
    }
    for (int i = 0; i < static_cast<int>(kDivisionCount); ++i) roles_[i] = role_from_data(i);
    for (int i = 0; i < static_cast<int>(kDivisionCount); ++i) by_code_[kDivisions[i].code] = i;
    for (int i = 0; i < static_cast<int>(kDivisionCount); ++i) {
      // Placeholder levels (市辖区, 省直辖县级行政区划) are not places: they are matched only
      // where they stand, never found from elsewhere.
      if (roles_[i] != Role::municipal_level && roles_[i] != Role::direct_group) add_forms(i);
    }
    for (std::string_view name : divisions_data::kOutsideMainland) {
      outside_mainland_.push_back(name);
      outside_mainland_.push_back(without_type_suffix(name, kProvinceSuffixes));
    }
  }

  std::span<const Candidate> find(std::string_view form) const {
    auto it = forms_.find(form);
    if (it == forms_.end()) return {};
    return it->second;
  }

  Role role(int index) const { return roles_[index]; }
  int by_code(int code) const {
    auto it = by_code_.find(code);
    return it == by_code_.end() ? -1 : it->second;
  }
  std::span<const std::int16_t> children(int index) const { return children_[index]; }

  bool outside_mainland(std::string_view text) const {
    return std::find(outside_mainland_.begin(), outside_mainland_.end(), text) !=
           outside_mainland_.end();
  }

 private:
  Role role_from_data(int index) const {
    std::string_view name = name_of(index);
    if (level_of(index) == kProvince) {
      return name.ends_with("市") ? Role::municipality : Role::ordinary;
    }
    Role parent_role = roles_[parent_of(index)];
    if (level_of(index) == kCity) {
      if (parent_role == Role::municipality) return Role::municipal_level;
      if (name.find("直辖县级") != std::string_view::npos) return Role::direct_group;
      const auto& kids = children_[index];
      if (kids.size() == 1 && name_of(kids.front()) == name) return Role::countyless_city;
      return Role::ordinary;
    }
    return parent_role == Role::direct_group ? Role::direct_county : Role::ordinary;
  }

  void add_forms(int index) {
    std::string_view name = name_of(index);
    add(name, index, Rank::full);
    add(without_type_suffix(name, suffixes_of(level_of(index))), index, Rank::short_form);
    // Autonomous divisions are known by the place before their ethnic groups (广西壮族自治区 →
    // 广西, 恩施土家族苗族自治州 → 恩施 or 恩施州). The data does not mark where the place ends,
    // so every prefix of two characters or more is a form, ranked below the others.
    std::size_t autonomous = name.find("自治");
    if (autonomous == std::string_view::npos) return;
    // 区, 州, 县 or 旗: the generator admits only CJK names, three bytes a character.
    std::string_view type_char = name.substr(name.size() - 3);
    std::size_t end = next_char(name, 0);
    for (std::size_t chars = 1; chars < kMinFormChars; ++chars) end = next_char(name, end);
    for (; end <= autonomous; end = next_char(name, end)) {
      add(name.substr(0, end), index, Rank::prefix);
      std::string& with_type = owned_.emplace_back(name.substr(0, end));
      with_type += type_char;
      add(with_type, index, Rank::prefix);
    }
  }

  void add(std::string_view form, int index, Rank rank) {
    auto& candidates = forms_[form];
    for (Candidate& candidate : candidates) {
      if (candidate.index == index) {
        candidate.rank = std::min(candidate.rank, rank);
        return;
      }
    }
    candidates.push_back({static_cast<std::int16_t>(index), rank});
  }

  std::vector<Role> roles_;
  std::vector<std::vector<std::int16_t>> children_;
  std::unordered_map<int, int> by_code_;
  std::deque<std::string> owned_;  // forms that are not part of a name; a deque keeps them put
  std::unordered_map<std::string_view, std::vector<Candidate>> forms_;
  std::vector<std::string_view> outside_mainland_;
};

const Index& index() {
  static const Index kIndex;
  return kIndex;
}

// The division `candidates` name among those `fits` accepts, at the best rank there is; a second
// one at that rank makes the form ambiguous.
struct Found {
  int index = -1;
  int other = -1;
  Rank rank = Rank::prefix;
};

template <class Fits>
Found find_best(std::span<const Candidate> candidates, Fits fits) {
  Found found;
  for (const Candidate& candidate : candidates) {
    if (!fits(candidate.index)) continue;
    if (found.index < 0 || candidate.rank < found.rank) {
      found = {candidate.index, -1, candidate.rank};
    } else if (candidate.rank == found.rank && found.other < 0) {
      found.other = candidate.index;
    }
  }
  return found;
}

// Messages are built by appending: GCC 12 misreports `"literal" + std::string` (-Wrestrict).
std::string join(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (std::string_view part : parts) text += part;
  return text;
}

DivisionProblem problem(std::string_view code, std::string_view field, std::string message) {
  return {std::string(code), std::string(field), std::move(message)};
}

// The name people give the city a county belongs to: the municipality for 市辖区, the province
// for a county it administers directly or for a city that is its own county.
std::string_view city_label(int county) {
  Role role = index().role(parent_of(county));
  if (role == Role::municipal_level || role == Role::direct_group ||
      role == Role::countyless_city) {
    return name_of(province_of(county));
  }
  return name_of(parent_of(county));
}

// "南京市 (江苏省), …": where a form leads among those `fits` accepts, for messages.
template <class Fits>
std::string elsewhere(std::span<const Candidate> candidates, Fits fits) {
  constexpr int kMaxPlaces = 3;
  Found best = find_best(candidates, fits);
  std::string places;
  if (best.index < 0) return places;
  int listed = 0;
  for (const Candidate& candidate : candidates) {
    if (candidate.rank != best.rank || !fits(candidate.index)) continue;
    if (listed++ == kMaxPlaces) {
      places += ", …";
      break;
    }
    int i = candidate.index;
    std::string_view within = level_of(i) == kProvince ? "a municipality"
                              : level_of(i) == kCity   ? name_of(parent_of(i))
                                                       : city_label(i);
    places += join({places.empty() ? "" : ", ", name_of(i), " (", within, ")"});
  }
  return places;
}

std::string ambiguity(std::string_view text, Found found) {
  return join({"\"", text, "\" could be ", name_of(found.index), " or ", name_of(found.other),
               "; write the full name"});
}

std::variant<int, DivisionProblem> resolve_province(std::string_view text) {
  if (text.empty()) return problem("address.province_missing", kProvinceField, "province is empty");
  Found found = find_best(index().find(text), [](int i) { return level_of(i) == kProvince; });
  if (found.index >= 0) return found.index;
  if (index().outside_mainland(text)) {
    return problem(
        "address.province_unknown", kProvinceField,
        join({"\"", text, "\" is outside mainland China; the divisions cover the mainland only"}));
  }
  return problem("address.province_unknown", kProvinceField,
                 join({"no province named \"", text, "\" in mainland China"}));
}

// The city level an address names, as far as the district still has to be looked up.
struct CityScope {
  enum Kind {
    ordinary,      // a city with counties: the district is one of them
    municipality,  // `index` is the province: the district is any county of it
    direct_group,  // `index` is a 省直辖县级行政区划: the district names which of its counties
    own_district,  // `index` is a city without counties or a direct county: it is the district
  };
  Kind kind;
  int index;
};

std::variant<CityScope, DivisionProblem> resolve_city(int province, std::string_view text) {
  if (text.empty()) return problem("address.city_missing", kCityField, "city is empty");
  const Index& idx = index();
  std::span<const Candidate> candidates = idx.find(text);

  if (idx.role(province) == Role::municipality) {
    // Orders write a municipality's city as the municipality again, or as the data's city level.
    bool itself = find_best(candidates, [&](int i) { return i == province; }).index >= 0;
    for (int child : idx.children(province)) itself = itself || name_of(child) == text;
    if (itself) return CityScope{CityScope::municipality, province};
  }

  Found city = find_best(candidates,
                         [&](int i) { return level_of(i) == kCity && parent_of(i) == province; });
  if (city.other >= 0) return problem("address.city_unknown", kCityField, ambiguity(text, city));
  if (city.index >= 0) {
    bool countyless = idx.role(city.index) == Role::countyless_city;
    return CityScope{countyless ? CityScope::own_district : CityScope::ordinary, city.index};
  }

  // A county the province administers directly stands where a city would.
  Found direct = find_best(candidates, [&](int i) {
    return idx.role(i) == Role::direct_county && province_of(i) == province;
  });
  if (direct.other >= 0) {
    return problem("address.city_unknown", kCityField, ambiguity(text, direct));
  }
  if (direct.index >= 0) return CityScope{CityScope::own_district, direct.index};
  for (int child : idx.children(province)) {
    if (idx.role(child) == Role::direct_group && name_of(child) == text) {
      return CityScope{CityScope::direct_group, child};
    }
  }

  std::string places = elsewhere(candidates, [&](int i) {
    Role role = idx.role(i);
    return (level_of(i) == kCity || role == Role::direct_county || role == Role::municipality) &&
           province_of(i) != province;
  });
  if (!places.empty()) {
    return problem(
        "address.city_not_in_province", kCityField,
        join({"\"", text, "\" is not a city of ", name_of(province), " (found: ", places, ")"}));
  }
  Found county = find_best(
      candidates, [&](int i) { return level_of(i) == kCounty && province_of(i) == province; });
  if (county.index >= 0) {
    std::string_view its_city = city_label(county.index);
    return problem("address.city_unknown", kCityField,
                   join({"\"", text, "\" is a district of ", its_city,
                         ": give it as the district and ", its_city, " as the city"}));
  }
  return problem("address.city_unknown", kCityField,
                 join({"no city named \"", text, "\" in ", name_of(province)}));
}

DivisionMatch match_of(int province, std::string_view city_name, int city_level, int county) {
  return DivisionMatch{std::string(name_of(province)),
                       std::string(city_name),
                       std::string(name_of(county)),
                       code_of(province),
                       code_of(city_level),
                       code_of(county)};
}

// A city without counties, or a county the province administers directly: the district text is
// not needed, and town-level data is not compiled in, so any text is taken as the town the order
// names, unless it is the full name of a county somewhere else.
std::variant<DivisionMatch, DivisionProblem> resolve_own_district(int province, int unit,
                                                                  std::string_view text) {
  std::span<const Candidate> candidates = index().find(text);
  bool is_city = level_of(unit) == kCity;
  auto other_county = [&](int i) {
    return level_of(i) == kCounty && i != unit && !(is_city && parent_of(i) == unit);
  };
  bool names_other_county = std::any_of(candidates.begin(), candidates.end(), [&](Candidate c) {
    return c.rank == Rank::full && other_county(c.index);
  });
  if (names_other_county) {
    return problem("address.district_not_in_city", kDistrictField,
                   join({"\"", text, "\" is not in ", name_of(unit),
                         " (found: ", elsewhere(candidates, other_county), ")"}));
  }
  // GB/T 2260 gives such a city no county level: the city is its own district (441900).
  if (is_city) return match_of(province, name_of(unit), unit, unit);
  return match_of(province, name_of(unit), parent_of(unit), unit);
}

std::variant<DivisionMatch, DivisionProblem> resolve_district(int province, CityScope scope,
                                                              std::string_view text) {
  if (scope.kind == CityScope::own_district) {
    return resolve_own_district(province, scope.index, text);
  }
  if (text.empty()) return problem("address.district_missing", kDistrictField, "district is empty");

  std::span<const Candidate> candidates = index().find(text);
  Found county = find_best(candidates, [&](int i) {
    if (level_of(i) != kCounty) return false;
    if (scope.kind == CityScope::municipality) return province_of(i) == province;
    return parent_of(i) == scope.index;
  });
  if (county.other >= 0) {
    return problem("address.district_unknown", kDistrictField, ambiguity(text, county));
  }
  if (county.index >= 0) {
    std::string_view city_name = name_of(province);                                // 上海市
    if (scope.kind == CityScope::ordinary) city_name = name_of(scope.index);       // 杭州市
    if (scope.kind == CityScope::direct_group) city_name = name_of(county.index);  // 仙桃市
    return match_of(province, city_name, parent_of(county.index), county.index);
  }

  std::string scope_name(name_of(scope.kind == CityScope::ordinary ? scope.index : province));
  if (scope.kind == CityScope::direct_group) scope_name += join({" ", name_of(scope.index)});
  std::string places = elsewhere(candidates, [](int i) { return level_of(i) == kCounty; });
  if (!places.empty()) {
    return problem("address.district_not_in_city", kDistrictField,
                   join({"\"", text, "\" is not in ", scope_name, " (found: ", places, ")"}));
  }
  return problem("address.district_unknown", kDistrictField,
                 join({"no district named \"", text, "\" in ", scope_name}));
}

}  // namespace

std::variant<DivisionMatch, DivisionProblem> match_division(std::string_view province,
                                                            std::string_view city,
                                                            std::string_view district) {
  auto found_province = resolve_province(trimmed_all(province));
  if (auto* bad = std::get_if<DivisionProblem>(&found_province)) return std::move(*bad);
  int province_index = std::get<int>(found_province);

  auto scope = resolve_city(province_index, trimmed_all(city));
  if (auto* bad = std::get_if<DivisionProblem>(&scope)) return std::move(*bad);

  return resolve_district(province_index, std::get<CityScope>(scope), trimmed_all(district));
}

std::string printed_address(std::string_view province, std::string_view city,
                            std::string_view district, std::string_view detail) {
  std::string printed(province);
  if (city != province) printed += city;
  printed += district;
  if (!detail.empty()) {
    if (!printed.empty()) printed += ' ';
    printed += detail;
  }
  return printed;
}

namespace {

DivisionChoice choice(int index, bool leaf) {
  return {code_of(index), std::string(name_of(index)), leaf};
}

// A province's cities as a picker offers them.
std::vector<DivisionChoice> city_choices(int province) {
  const Index& idx = index();
  std::vector<DivisionChoice> choices;
  bool municipality_offered = false;
  for (int city : idx.children(province)) {
    switch (idx.role(city)) {
      case Role::municipal_level:
        if (!municipality_offered)
          choices.push_back({code_of(city), std::string(name_of(province)), false});
        municipality_offered = true;
        break;
      case Role::direct_group:
        for (int county : idx.children(city)) choices.push_back(choice(county, true));
        break;
      case Role::countyless_city:
        choices.push_back(choice(city, true));
        break;
      default:
        choices.push_back(choice(city, false));
    }
  }
  return choices;
}

}  // namespace

std::optional<std::vector<DivisionChoice>> division_choices(std::string_view parent_code) {
  const Index& idx = index();
  std::vector<DivisionChoice> choices;
  if (parent_code.empty()) {
    for (int i = 0; i < static_cast<int>(kDivisionCount); ++i) {
      if (level_of(i) == kProvince) choices.push_back(choice(i, false));
    }
    return choices;
  }
  int code = 0;
  for (char c : parent_code) {
    if (c < '0' || c > '9' || code > 99999999) return std::nullopt;
    code = code * 10 + (c - '0');
  }
  int parent = idx.by_code(code);
  if (parent < 0) return std::nullopt;
  if (level_of(parent) == kProvince) return city_choices(parent);
  if (level_of(parent) != kCity) return std::nullopt;
  // A municipality is offered as one city: its counties are those of all its city levels.
  if (idx.role(parent) == Role::municipal_level) {
    for (int level : idx.children(parent_of(parent))) {
      for (int county : idx.children(level)) choices.push_back(choice(county, true));
    }
    return choices;
  }
  for (int county : idx.children(parent)) choices.push_back(choice(county, true));
  return choices;
}

}  // namespace depot
