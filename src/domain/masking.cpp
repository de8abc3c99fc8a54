#include "domain/masking.h"

#include <cctype>

#include "domain/text.h"

namespace depot {

namespace {

// The part of a field path after its last '.': "customer.phone" → "phone".
std::string_view last_segment(std::string_view field) {
  auto dot = field.rfind('.');
  return dot == std::string_view::npos ? field : field.substr(dot + 1);
}

std::string mask_identifier(std::string_view identifier) {
  if (identifier.empty()) return {};
  if (utf8_length(identifier) <= 8) return "***";
  return std::string(utf8_prefix(identifier, 4)) + "…";
}

using Masker = std::string (*)(std::string_view);

std::string mask_person_name(std::string_view name) { return name.empty() ? "" : mask_name(name); }

// The masking of a field holding personal data, or nothing for any other field.
Masker masker_for(std::string_view field) {
  std::string_view last = last_segment(field);
  if (last == "phone") return mask_phone;
  if (last == "email") return mask_email;
  if (last == "detail" || field == "shipping_address") return mask_address_detail;
  if (last == "wechat_openid" || last == "device_token") return mask_identifier;
  if (field == "customer.name") return mask_person_name;
  return nullptr;
}

}  // namespace

std::string mask_phone(std::string_view phone) {
  if (trimmed(phone).empty()) return {};
  std::string digits;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  // China's country code is kept apart: "+86 138****8000" still tells the reader the country.
  std::string prefix;
  if (digits.size() == 13 && digits.starts_with("861")) {
    prefix = "+86 ";
    digits.erase(0, 2);
  } else if (digits.size() == 15 && digits.starts_with("00861")) {
    prefix = "+86 ";
    digits.erase(0, 4);
  }
  if (digits.size() < 7) return "***";
  return prefix + digits.substr(0, 3) + "****" + digits.substr(digits.size() - 4);
}

std::string mask_email(std::string_view email) {
  if (trimmed(email).empty()) return {};
  auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(utf8_prefix(email, 1)) + "***" + std::string(email.substr(at));
}

std::string mask_address_detail(std::string_view detail) {
  return trimmed(detail).empty() ? "" : "***";
}

Address mask_address(Address address) {
  address.detail = mask_address_detail(address.detail);
  return address;
}

Customer mask_customer(Customer customer) {
  customer.name = mask_person_name(customer.name);
  customer.phone = mask_phone(customer.phone);
  customer.email = mask_email(customer.email);
  customer.wechat_openid = mask_identifier(customer.wechat_openid);
  customer.device_token = mask_identifier(customer.device_token);
  return customer;
}

std::string disclose_phone(std::string_view phone, Disclosure disclosure) {
  return disclosure == Disclosure::full ? std::string(phone) : mask_phone(phone);
}

std::string disclose_email(std::string_view email, Disclosure disclosure) {
  return disclosure == Disclosure::full ? std::string(email) : mask_email(email);
}

Address disclose_address(Address address, Disclosure disclosure) {
  return disclosure == Disclosure::full ? address : mask_address(std::move(address));
}

Customer disclose_customer(Customer customer, Disclosure disclosure) {
  return disclosure == Disclosure::full ? customer : mask_customer(std::move(customer));
}

FieldChange disclose_change(FieldChange change, Disclosure disclosure) {
  if (disclosure == Disclosure::full) return change;
  if (Masker mask = masker_for(change.field)) {
    change.before = mask(change.before);
    change.after = mask(change.after);
  }
  return change;
}

}  // namespace depot
