#pragma once
// Pre-shipment verification (信息核对, SPEC SHP-1, SHP-2): a list of named checks over an order and
// the facts the use case gathered for it (reservations, shipments, a geocoder's answer, the
// merchant's matching rules). What fails becomes the order's hold reasons; nothing here refuses an
// order a platform has sold.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/geocode.h"
#include "domain/order.h"
#include "domain/result.h"
#include "domain/shipment.h"

namespace depot {

struct VerificationFacts {
  std::map<std::string, std::int64_t> reserved;  // units reserved for the order, per SKU
  ShippedUnits shipped;
  // The geocoder's answer for the order's current address; none when no geocoder is configured
  // or it could not answer (a service that is down never holds an order).
  std::optional<GeocodeAnswer> geocode;
  // Reasons from the merchant's rules that matched ("rule.matched", one per rule).
  std::vector<HoldReason> rule_matches;
};

struct CheckInfo {
  std::string_view code;
  std::string_view about;
};

// Every hold reason code verification can give, for documentation and the console.
std::span<const CheckInfo> verification_checks();

// Runs every check; the reasons of the failed ones, minus those the order's overrides name.
std::vector<HoldReason> verify_order(const Order& order, const VerificationFacts& facts);

// Replaces the address's names by their full forms and fills its division codes when they are
// found ("上海"/"浦东" -> 上海市/浦东新区, 310115); leaves an address it cannot place as written.
void normalise_address(Address& address);

// A mainland mobile (1[3-9] and nine digits, optionally +86) or landline (area code 0xx or 0xxx
// and a 7–8 digit number, an optional '-' between them and an optional extension).
bool is_mainland_phone(std::string_view phone);
// Six digits, not starting with 9 (no mainland postal zone does), not all zeros.
bool is_plausible_postcode(std::string_view postcode);

// What verification's outcome did to the order.
enum class HoldChange {
  none,      // it passed and was not held, or it is held for the same reasons as before
  held,      // it was put on hold (or held for new reasons)
  released,  // it was held and now passes: back to awaiting (or partially) shipped
};

// Applies verification's reasons to a paid order: holds it when there are any, and, when
// `may_release`, returns a held order that now passes to where it was. Orders before payment or
// after shipment are left alone.
HoldChange settle_verification(Order& order, std::vector<HoldReason> reasons, bool may_release,
                               const ShippedUnits& shipped, const std::string& actor, Instant now);

}  // namespace depot
