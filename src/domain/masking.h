#pragma once
// Masking of a customer's personal data (SEC-3): what a reader who may not see a customer's
// contact details is shown instead. Who may see what is the app's rule (app/actor.h,
// contact_disclosure); these functions only say what "masked" looks like. An empty value stays
// empty, so a masked record still shows which details are missing.

#include <string>
#include <string_view>

#include "domain/field_change.h"
#include "domain/order.h"

namespace depot {

// Whether a reader is shown a customer's contact details as they are or masked.
enum class Disclosure { full, masked };

// "13800138000" → "138****8000"; "+86 138 0013 8000" → "+86 138****8000"; a number of fewer than
// seven digits (or none) → "***". Digits only count: spaces and dashes are dropped.
std::string mask_phone(std::string_view phone);
// "zhang@example.com" → "z***@example.com" (the first character, UTF-8 aware); no "@" → "***".
std::string mask_email(std::string_view email);
// The street and house part of an address: "***" whatever its length.
std::string mask_address_detail(std::string_view detail);
// The address with its divisions and postcode kept and its detail masked.
Address mask_address(Address address);
// The customer with name (mask_name), phone, email and the channel identifiers (WeChat openid,
// push token: their first four characters) masked; locale and preferred channels kept.
Customer mask_customer(Customer customer);

// The value as the disclosure allows it.
std::string disclose_phone(std::string_view phone, Disclosure disclosure);
std::string disclose_email(std::string_view email, Disclosure disclosure);
Address disclose_address(Address address, Disclosure disclosure);
Customer disclose_customer(Customer customer, Disclosure disclosure);

// An audit change whose field holds personal data, masked on both sides: a path ending in
// "phone", "email", "detail", "wechat_openid" or "device_token", or "customer.name", or
// "shipping_address" (an address as one text). Any other change as it is.
FieldChange disclose_change(FieldChange change, Disclosure disclosure);

}  // namespace depot
