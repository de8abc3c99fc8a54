#pragma once
// The carriers depot knows, compiled in: depot's short code, the Kuaidi100 company code the
// tracking adapters speak, Chinese and English names, and the shape of each carrier's tracking
// numbers, so a shipment with a mistyped number is refused at the edge instead of polled forever.
// Pure data and functions; safe to use from any thread.

#include <span>
#include <string>
#include <string_view>

namespace depot {

struct Carrier {
  std::string_view code;       // depot's short code, upper-case ("SF")
  std::string_view kuaidi100;  // Kuaidi100 company code, lower-case ("shunfeng")
  std::string_view name_zh;
  std::string_view name_en;
  std::string_view tracking_format;  // the accepted shapes, for people ("SF + 13 digits")
  // Whether a trimmed, upper-cased number has the carrier's shape (and check digit, if any).
  bool (*matches)(std::string_view number);
};

// Every carrier, in a stable order (the major mainland carriers first).
std::span<const Carrier> all_carriers();

// By depot code or Kuaidi100 code, case-insensitive ("SF", "sf", "shunfeng" -> 顺丰); surrounding
// whitespace is ignored. nullptr when no carrier has that code.
const Carrier* find_carrier(std::string_view code);

// Whether `tracking_no` is well-formed for `carrier`: surrounding whitespace is ignored and letters
// may be in either case (every carrier here prints its numbers in upper case); whitespace or
// punctuation inside the number is not accepted.
bool is_valid_tracking_no(const Carrier& carrier, std::string_view tracking_no);

// A tracking number as depot stores it: trimmed, letters upper-cased (carriers print them so), so
// "sf…" and "SF…" are one parcel.
std::string normalized_tracking_no(std::string_view tracking_no);

}  // namespace depot
