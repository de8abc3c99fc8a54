#include "domain/verification.h"

#include <algorithm>
#include <array>

#include "domain/divisions.h"
#include "domain/order_state_machine.h"
#include "domain/text.h"

namespace depot {

namespace {

constexpr std::array kChecks = {
    CheckInfo{"payment.incomplete", "the order is not paid in full"},
    CheckInfo{"address.province_missing", "the address names no province"},
    CheckInfo{"address.city_missing", "the address names no city"},
    CheckInfo{"address.district_missing", "the address names no district"},
    CheckInfo{"address.province_unknown", "the province is not a mainland province"},
    CheckInfo{"address.city_unknown", "no such city"},
    CheckInfo{"address.city_not_in_province", "the city is in another province"},
    CheckInfo{"address.district_unknown", "no such district"},
    CheckInfo{"address.district_not_in_city", "the district is in another city"},
    CheckInfo{"address.detail_missing", "the street address is missing"},
    CheckInfo{"address.postcode_invalid", "the postcode is not a mainland postcode"},
    CheckInfo{"address.not_found", "the geocoder cannot find the street address"},
    CheckInfo{"address.geocode_mismatch", "the geocoder places the address in another district"},
    CheckInfo{"customer.phone_missing", "the customer has no phone number"},
    CheckInfo{"customer.phone_invalid", "the phone is no mainland mobile or landline number"},
    CheckInfo{"stock.not_reserved", "stock is not reserved for every unit still to ship"},
    CheckInfo{"rule.matched", "one of the merchant's rules matched"},
};

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void check_address(const Address& address, std::vector<HoldReason>& reasons) {
  bool complete = true;
  for (auto [value, code, field, name] :
       {std::tuple{&address.province, "address.province_missing", "shipping_address.province",
                   "province"},
        std::tuple{&address.city, "address.city_missing", "shipping_address.city", "city"},
        std::tuple{&address.district, "address.district_missing", "shipping_address.district",
                   "district"}}) {
    if (trimmed(*value).empty()) {
      reasons.push_back({code, std::string("the address names no ") + name, field});
      complete = false;
    }
  }
  if (complete) {
    auto found = match_division(address.province, address.city, address.district);
    if (const auto* problem = std::get_if<DivisionProblem>(&found)) {
      reasons.push_back({problem->code, problem->message, problem->field});
    }
  }
  if (trimmed(address.detail).empty()) {
    reasons.push_back(
        {"address.detail_missing", "the street address is missing", "shipping_address.detail"});
  }
  if (!address.postcode.empty() && !is_plausible_postcode(address.postcode)) {
    reasons.push_back({"address.postcode_invalid",
                       "postcode " + address.postcode + " is not a mainland postcode",
                       "shipping_address.postcode"});
  }
}

void check_geocode(const Address& address, const GeocodeAnswer& answer,
                   std::vector<HoldReason>& reasons) {
  if (!answer.found) {
    reasons.push_back({"address.not_found", "the geocoder cannot find this street address",
                       "shipping_address.detail"});
    return;
  }
  // A place without districts (东莞市) is coded at the city; otherwise the district must match.
  const std::string& written =
      address.district_code.empty() ? address.city_code : address.district_code;
  if (!written.empty() && answer.adcode != written) {
    reasons.push_back({"address.geocode_mismatch",
                       "the geocoder places this address in " + answer.formatted_address + " (" +
                           answer.adcode + "), not in " + address.district,
                       "shipping_address.district"});
  }
}

void check_phone(const Customer& customer, std::vector<HoldReason>& reasons) {
  if (trimmed(customer.phone).empty()) {
    reasons.push_back(
        {"customer.phone_missing", "the customer has no phone number", "customer.phone"});
  } else if (!is_mainland_phone(customer.phone)) {
    reasons.push_back({"customer.phone_invalid",
                       customer.phone + " is no mainland mobile or landline number",
                       "customer.phone"});
  }
}

void check_stock(const Order& order, const VerificationFacts& facts,
                 std::vector<HoldReason>& reasons) {
  for (const ShipmentLine& line : unshipped_lines(order, facts.shipped)) {
    auto held = facts.reserved.find(line.sku);
    std::int64_t reserved = held == facts.reserved.end() ? 0 : held->second;
    if (reserved < line.quantity) {
      reasons.push_back({"stock.not_reserved",
                         std::to_string(line.quantity) + " of " + line.sku + " to ship but only " +
                             std::to_string(reserved) + " reserved",
                         "lines"});
    }
  }
}

}  // namespace

std::span<const CheckInfo> verification_checks() { return kChecks; }

std::vector<HoldReason> verify_order(const Order& order, const VerificationFacts& facts) {
  std::vector<HoldReason> reasons;
  if (order.paid_amount < order.total) {
    reasons.push_back(
        {"payment.incomplete",
         "paid " + std::to_string(order.paid_amount) + " of " + std::to_string(order.total),
         "paid_amount"});
  }
  check_address(order.shipping_address, reasons);
  if (facts.geocode) check_geocode(order.shipping_address, *facts.geocode, reasons);
  check_phone(order.customer, reasons);
  check_stock(order, facts, reasons);
  for (const HoldReason& match : facts.rule_matches) reasons.push_back(match);
  std::erase_if(reasons, [&](const HoldReason& reason) {
    return std::find(order.overrides.begin(), order.overrides.end(), reason.code) !=
           order.overrides.end();
  });
  return reasons;
}

void normalise_address(Address& address) {
  auto found = match_division(address.province, address.city, address.district);
  if (const auto* match = std::get_if<DivisionMatch>(&found)) {
    address.province = match->province;
    address.city = match->city;
    address.district = match->district;
    address.province_code = match->province_code;
    address.city_code = match->city_code;
    address.district_code = match->district_code;
  } else {
    address.province_code.clear();
    address.city_code.clear();
    address.district_code.clear();
  }
}

bool is_mainland_phone(std::string_view phone) {
  phone = trimmed(phone);
  if (phone.starts_with("+86")) {
    phone.remove_prefix(3);
    if (phone.starts_with('-') || phone.starts_with(' ')) phone.remove_prefix(1);
  }
  if (phone.size() == 11 && all_digits(phone) && phone[0] == '1') {
    return phone[1] >= '3' && phone[1] <= '9';
  }
  // Landline: 0 + area code (2 or 3 more digits), then a 7–8 digit local number that does not
  // start with 0 or 1, with '-' or a space between them, and perhaps an extension after "-",
  // "转" or "#".
  for (std::string_view mark : {std::string_view("转"), std::string_view("#")}) {
    auto at = phone.find(mark);
    if (at == std::string_view::npos) continue;
    std::string_view extension = phone.substr(at + mark.size());
    if (!all_digits(extension) || extension.size() > 6) return false;
    phone = phone.substr(0, at);
  }
  std::vector<std::string_view> groups;
  while (!phone.empty()) {
    auto cut = phone.find_first_of("- ");
    if (cut != 0) groups.push_back(phone.substr(0, cut));
    if (cut == std::string_view::npos) break;
    phone.remove_prefix(cut + 1);
  }
  auto is_area = [](std::string_view g) { return (g.size() == 3 || g.size() == 4) && g[0] == '0'; };
  std::string digits;
  std::string_view extension;
  if (groups.size() == 1) {
    digits = groups[0];
  } else if (groups.size() == 2 && is_area(groups[0])) {
    digits = std::string(groups[0]) + std::string(groups[1]);
  } else if (groups.size() == 2) {
    digits = groups[0];
    extension = groups[1];
  } else if (groups.size() == 3 && is_area(groups[0])) {
    digits = std::string(groups[0]) + std::string(groups[1]);
    extension = groups[2];
  } else {
    return false;
  }
  if (!extension.empty() && (!all_digits(extension) || extension.size() > 6)) return false;
  if (!all_digits(digits) || digits[0] != '0') return false;
  // Two-digit areas (010 Beijing, 02x big cities) take 8-digit numbers; the others 7 or 8.
  bool short_area = digits.size() > 1 && (digits[1] == '1' || digits[1] == '2');
  std::size_t area = short_area ? 3 : 4;
  if (digits.size() <= area) return false;
  std::size_t local = digits.size() - area;
  if (digits[area] == '0' || digits[area] == '1') return false;
  return short_area ? local == 8 : (local == 7 || local == 8);
}

bool is_plausible_postcode(std::string_view postcode) {
  return postcode.size() == 6 && all_digits(postcode) && postcode[0] != '9' && postcode != "000000";
}

HoldChange settle_verification(Order& order, std::vector<HoldReason> reasons, bool may_release,
                               const ShippedUnits& shipped, const std::string& actor, Instant now) {
  bool held = order.status == OrderStatus::on_hold;
  bool verifiable = held || order.status == OrderStatus::awaiting_shipment ||
                    order.status == OrderStatus::partially_shipped;
  if (!verifiable) return HoldChange::none;
  if (!reasons.empty()) {
    bool changed = !held || reasons != order.hold_reasons;
    std::string why = "verification: ";
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      why += (i ? ", " : "") + reasons[i].code;
    }
    order.hold_reasons = std::move(reasons);
    if (!held) {
      (void)transition(order, OrderStatus::on_hold, actor, why, now);
    } else if (changed) {
      note(order, actor, why, now);
    }
    return changed ? HoldChange::held : HoldChange::none;
  }
  if (!held || !may_release) return HoldChange::none;
  order.hold_reasons.clear();
  OrderStatus back =
      shipped.empty() ? OrderStatus::awaiting_shipment : OrderStatus::partially_shipped;
  (void)transition(order, back, actor, "verification passed", now);
  return HoldChange::released;
}

}  // namespace depot
