#pragma once
// Rules of the order lifecycle that need no storage: validating a draft, totals, the edit window,
// payments and cancellation (SPEC ORD-1, ORD-4, ORD-5, ORD-6).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/order.h"
#include "domain/result.h"

namespace depot {

inline constexpr std::size_t kMaxOrderLines = 200;
inline constexpr std::int64_t kMaxLineQuantity = 1'000'000;
inline constexpr std::int64_t kMaxUnitPrice = 1'000'000'000'00;       // one billion yuan in fen
inline constexpr std::int64_t kMaxOrderTotal = 1'000'000'000'000'00;  // a trillion yuan in fen

// Field errors of a draft, each named by its path ("lines[1].quantity", "customer.phone").
std::vector<FieldError> validate_lines(const std::vector<OrderLine>& lines);
std::vector<FieldError> validate_customer(const Customer& customer);
std::vector<FieldError> validate_address(const Address& address);
std::vector<FieldError> validate_draft(const OrderDraft& draft);

bool is_valid_email(const std::string& email);
// A mailbox as a mail's From or To shows it: an address alone ("shop@example.com"), or in angle
// brackets after a display name ("深蓝小店 <shop@example.com>", the name optionally in double
// quotes), split into the name (trimmed, quotes taken off; empty when there is none) and the
// address. Nothing when the brackets do not close the text. The parts point into `text`; what an
// address may hold is the caller's rule.
struct MailboxParts {
  std::string_view display_name;
  std::string_view address;
};
std::optional<MailboxParts> split_mailbox(std::string_view text);
// A sender a merchant may set: a mailbox whose address is_valid_email; never a line break.
bool is_valid_mailbox(const std::string& mailbox);

std::int64_t order_total(const std::vector<OrderLine>& lines);

// Lines with the same SKU merged, in first-seen order: a SKU is reserved once per order.
std::vector<OrderLine> merge_lines(const std::vector<OrderLine>& lines);

// A new order from a validated draft: pending payment, totalled, with its creation in the history.
// The draft's currency, or `default_currency` when it names none; its number dated on the
// merchant's calendar, `utc_offset_minutes` from UTC.
Order open_order(std::int64_t id, const OrderDraft& draft, const std::string& default_currency,
                 const std::string& actor, Instant now, int utc_offset_minutes);

// "D" + the merchant's date of creation + zero-padded id: unique per merchant and readable on the
// phone. The date is the one the merchant's reports and exports put the order on.
std::string make_order_no(std::int64_t id, Instant created_at, int utc_offset_minutes);

// Whether the order may still be edited at `now` (ORD-4): not shipped and inside the window.
Status check_editable(const Order& order, Instant now, Seconds edit_window);

// Records a payment (ORD-6). When the order is fully paid it moves to awaiting_shipment.
Status apply_payment(Order& order, std::int64_t amount, const std::string& actor, Instant now);

// Cancels (ORD-5): a paid order owes its payment back; shipped orders refuse.
Status cancel_order(Order& order, const std::string& actor, const std::string& reason, Instant now);

// Whether an unpaid order has outlived the payment timeout.
bool is_payment_overdue(const Order& order, Instant now, Seconds unpaid_timeout);

}  // namespace depot

namespace depot {

// A stable digest of everything a draft asks for, to tell a true repeat of an idempotent create
// from a different request reusing its key.
std::string draft_fingerprint(const OrderDraft& draft);

// Replaces an order's lines (ORD-4). A paid order may shrink (the difference becomes refund due)
// but not grow beyond what was paid.
Status change_lines(Order& order, std::vector<OrderLine> lines, const std::string& actor,
                    Instant now);

}  // namespace depot
