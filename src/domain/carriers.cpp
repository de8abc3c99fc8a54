#include "domain/carriers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

#include "domain/text.h"

namespace depot {

namespace {

// The longest number any carrier below issues is 22 characters (FedEx); anything much longer is
// garbage and is refused before it is copied.
constexpr std::size_t kMaxTrackingLength = 40;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

bool digits_between(std::string_view number, std::size_t min, std::size_t max) {
  return number.size() >= min && number.size() <= max && all_digits(number);
}

// `prefix` followed by min..max digits and nothing else.
bool prefix_then_digits(std::string_view number, std::string_view prefix, std::size_t min,
                        std::size_t max) {
  return number.starts_with(prefix) && digits_between(number.substr(prefix.size()), min, max);
}

bool starts_with_any(std::string_view number, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [number](std::string_view prefix) { return number.starts_with(prefix); });
}

// UPU S10 (international postal items, also used by China Post and EMS): two service letters, an
// eight-digit serial, a check digit, two country letters ("EA123456785CN"). The check digit
// weighs the serial 8,6,4,2,3,5,9,7 and takes 11 minus the sum modulo 11, with 10 -> 0, 11 -> 5.
bool is_s10(std::string_view number) {
  if (number.size() != 13) return false;
  if (!is_upper(number[0]) || !is_upper(number[1]) || !is_upper(number[11]) ||
      !is_upper(number[12])) {
    return false;
  }
  if (!all_digits(number.substr(2, 9))) return false;
  static constexpr std::array<int, 8> kWeights = {8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (number[2 + i] - '0') * kWeights[i];
  int check = 11 - sum % 11;
  if (check == 10) check = 0;
  if (check == 11) check = 5;
  return number[10] - '0' == check;
}

// SF: "SF" + 13 digits since SF moved to prefixed numbers (2019); the 12-digit numeric waybills
// printed before that are still tracked, so they pass on length alone.
bool matches_sf(std::string_view number) {
  return prefix_then_digits(number, "SF", 13, 13) || digits_between(number, 12, 12);
}

// ZTO: digits only; current numbers are 14–15 digits in the 7 series (73…, 75…, 78…), older
// ones 12–13 digits from the 2, 3 and 5 series. No check digit is published.
bool matches_zto(std::string_view number) {
  return digits_between(number, 12, 15) && starts_with_any(number, {"2", "3", "5", "7"});
}

// YTO: "YT" + 13–16 digits (e-commerce waybills, the length grew over the years); very old
// waybills were 10 or 12 plain digits.
bool matches_yto(std::string_view number) {
  return prefix_then_digits(number, "YT", 13, 16) || digits_between(number, 10, 10) ||
         digits_between(number, 12, 12);
}

// STO: 12–15 digits; the series STO issues start with a doubled digit (773…, 88…, 66…, 55…) or
// the x68 blocks (268…, 368…, … 968…). Other starts are not STO's.
bool matches_sto(std::string_view number) {
  return digits_between(number, 12, 15) &&
         starts_with_any(number, {"11", "22", "33", "44", "55", "66", "77", "88", "99", "268",
                                  "368", "468", "568", "668", "768", "868", "968"});
}

// Yunda: 15 digits in the 3 and 4 series (31…, 43…, 46…) today; 13 digits (10…, 12…, 31…)
// before 2019.
bool matches_yunda(std::string_view number) {
  return (digits_between(number, 15, 15) && starts_with_any(number, {"3", "4"})) ||
         (digits_between(number, 13, 13) && starts_with_any(number, {"1", "3"}));
}

// JD Logistics: always 15 characters starting "JD": "JD" + 13 digits, or a service letter or two
// after "JD" and digits for the rest ("JDX012345678901", "JDVA11408814483").
bool matches_jd(std::string_view number) {
  if (number.size() != 15 || !number.starts_with("JD")) return false;
  std::size_t letters = 0;
  while (letters < 2 && is_upper(number[2 + letters])) ++letters;
  return all_digits(number.substr(2 + letters));
}

// EMS: international items are S10 numbers of the E service series ("EA123456785CN");
// domestic standard-express numbers are 13 digits from the 1, 5 and 9 series (10…, 11…, 50…,
// 98…), which carry no check digit.
bool matches_ems(std::string_view number) {
  return (is_s10(number) && number[0] == 'E') ||
         (digits_between(number, 13, 13) && starts_with_any(number, {"1", "5", "9"}));
}

// China Post parcels (快递包裹): S10 numbers of any service series (registered letters R…,
// parcels C…, e-packets L…), or 13-digit domestic numbers from the 1 and 9 series (11…, 98…).
bool matches_china_post(std::string_view number) {
  return is_s10(number) || (digits_between(number, 13, 13) && starts_with_any(number, {"1", "9"}));
}

// J&T (极兔): "JT" + 13 digits.
bool matches_jt(std::string_view number) { return prefix_then_digits(number, "JT", 13, 13); }

// Deppon: express parcels are "DPK" + 12 digits; freight waybills are 8–10 plain digits.
bool matches_deppon(std::string_view number) {
  return prefix_then_digits(number, "DPK", 12, 12) || digits_between(number, 8, 10);
}

// ZJS (宅急送): "ZJS" + 12 digits or "A" + 12 digits today; older waybills are 10 digits.
bool matches_zjs(std::string_view number) {
  return prefix_then_digits(number, "ZJS", 12, 12) || prefix_then_digits(number, "A", 12, 12) ||
         digits_between(number, 10, 10);
}

// UPS: "1Z", six shipper characters, two service characters, seven package characters, a check
// digit. The check digit is mod 10 over the fifteen characters after "1Z", letters counted as
// (letter - 'A' + 2) mod 10 and every second character doubled (tracking_number_data's "mod10").
bool matches_ups(std::string_view number) {
  if (number.size() != 18 || !number.starts_with("1Z") || !is_digit(number[17])) return false;
  int sum = 0;
  for (std::size_t i = 2; i < 17; ++i) {
    char c = number[i];
    int value = 0;
    if (is_digit(c)) {
      value = c - '0';
    } else if (is_upper(c)) {
      value = (c - 'A' + 2) % 10;
    } else {
      return false;
    }
    if (i % 2 == 1) value *= 2;
    sum += value;
  }
  return number[17] - '0' == (10 - sum % 10) % 10;
}

// FedEx: 12 digits (Express) carry a check digit: the first eleven weighted 3,1,7,3,1,7,… and
// summed, modulo 11, modulo 10. 15 (Ground), 20 (SmartPost) and 22 digits (Ground "96") use other
// schemes per service, so only their length is checked.
bool matches_fedex(std::string_view number) {
  if (!all_digits(number)) return false;
  if (number.size() == 12) {
    static constexpr std::array<int, 3> kWeights = {3, 1, 7};
    int sum = 0;
    for (std::size_t i = 0; i < 11; ++i) sum += (number[i] - '0') * kWeights[i % 3];
    return number[11] - '0' == sum % 11 % 10;
  }
  return number.size() == 15 || number.size() == 20 || number.size() == 22;
}

// DHL Express: an air waybill of 10 digits (rarely 11) whose last digit is the rest modulo 7; or
// a piece ID, "J" + two or three letters + digits ("JJD0099999999", "JVGL0999999990").
bool matches_dhl(std::string_view number) {
  if (digits_between(number, 10, 11)) {
    int remainder = 0;
    for (char c : number.substr(0, number.size() - 1)) remainder = (remainder * 10 + c - '0') % 7;
    return number.back() - '0' == remainder;
  }
  if (number.size() < 3 || number[0] != 'J') return false;
  std::size_t letters = 0;
  while (1 + letters < number.size() && letters < 3 && is_upper(number[1 + letters])) ++letters;
  return letters >= 2 && digits_between(number.substr(1 + letters), 9, 18);
}

// Best Express (百世) is not listed: J&T took over its China parcel network in 2021 and its new
// parcels carry J&T numbers. TTK (天天) stopped taking parcels in 2020.
constexpr std::array<Carrier, 14> kCarriers = {{
    {"SF", "shunfeng", "顺丰速运", "SF Express", "SF + 13 digits, or 12 digits", matches_sf},
    {"ZTO", "zhongtong", "中通快递", "ZTO Express", "12–15 digits starting 2, 3, 5 or 7",
     matches_zto},
    {"YTO", "yuantong", "圆通速递", "YTO Express", "YT + 13–16 digits, or 10 or 12 digits",
     matches_yto},
    {"STO", "shentong", "申通快递", "STO Express",
     "12–15 digits starting 11–99 (a doubled digit) or 268–968", matches_sto},
    {"YD", "yunda", "韵达快递", "Yunda Express",
     "15 digits starting 3 or 4, or 13 digits starting 1 or 3", matches_yunda},
    {"JD", "jd", "京东物流", "JD Logistics", "JD + 13 characters (up to two letters, then digits)",
     matches_jd},
    {"JT", "jtexpress", "极兔速递", "J&T Express", "JT + 13 digits", matches_jt},
    {"EMS", "ems", "EMS", "China EMS",
     "E + letter + 9 digits + 2 letters, or 13 digits starting 1, 5 or 9", matches_ems},
    {"YZPY", "youzhengguonei", "邮政快递包裹", "China Post",
     "2 letters + 9 digits + 2 letters, or 13 digits starting 1 or 9", matches_china_post},
    {"DBL", "debangwuliu", "德邦快递", "Deppon Express", "DPK + 12 digits, or 8–10 digits",
     matches_deppon},
    {"ZJS", "zhaijisong", "宅急送", "ZJS Express", "ZJS or A + 12 digits, or 10 digits",
     matches_zjs},
    {"UPS", "ups", "UPS", "UPS", "1Z + 16 letters or digits", matches_ups},
    {"FEDEX", "fedex", "联邦快递", "FedEx", "12, 15, 20 or 22 digits", matches_fedex},
    {"DHL", "dhl", "DHL", "DHL Express", "10 or 11 digits, or J + 2–3 letters + digits",
     matches_dhl},
}};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

std::span<const Carrier> all_carriers() { return kCarriers; }

const Carrier* find_carrier(std::string_view code) {
  code = trimmed(code);
  for (const Carrier& carrier : kCarriers) {
    if (equals_ignoring_case(code, carrier.code) || equals_ignoring_case(code, carrier.kuaidi100)) {
      return &carrier;
    }
  }
  return nullptr;
}

std::string normalized_tracking_no(std::string_view tracking_no) {
  std::string number(trimmed(tracking_no));
  std::transform(number.begin(), number.end(), number.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return number;
}

bool is_valid_tracking_no(const Carrier& carrier, std::string_view tracking_no) {
  tracking_no = trimmed(tracking_no);
  if (tracking_no.empty() || tracking_no.size() > kMaxTrackingLength) return false;
  std::array<char, kMaxTrackingLength> upper{};
  std::transform(tracking_no.begin(), tracking_no.end(), upper.begin(), [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  });
  return carrier.matches(std::string_view(upper.data(), tracking_no.size()));
}

}  // namespace depot
