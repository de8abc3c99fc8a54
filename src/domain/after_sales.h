#pragma once
// After-sales rules (SPEC AFS-1 … AFS-3): returns and exchanges and the states they pass through,
// what of an order may still come back, the replacement an exchange sends out, refunds against
// what was paid, and delivery feedback with its aggregates. Pure: callers pass the order, its
// parcels, the earlier requests and the time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/order.h"
#include "domain/result.h"
#include "domain/shipment.h"
#include "domain/stock.h"

namespace depot {

enum class ReturnKind { return_goods, exchange };  // "return", "exchange"
std::string_view to_string(ReturnKind kind);
std::optional<ReturnKind> parse_return_kind(std::string_view text);

// requested -> approved | rejected; approved -> received. Rejected and received are final.
enum class ReturnStatus { requested, approved, rejected, received };
std::string_view to_string(ReturnStatus status);
std::optional<ReturnStatus> parse_return_status(std::string_view text);

struct ReturnLine {
  std::string sku;
  std::int64_t quantity = 0;

  bool operator==(const ReturnLine&) const = default;
};

struct ReturnRequest {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  ReturnKind kind = ReturnKind::return_goods;
  ReturnStatus status = ReturnStatus::requested;
  std::string reason;
  std::vector<ReturnLine> lines;  // what comes back, merged by SKU
  // What an exchange sends out instead; empty means the same SKUs and quantities as `lines`.
  std::vector<ReturnLine> replacement_lines;
  std::vector<std::string> photos;  // URLs of the customer's pictures
  std::string decision_note;        // why it was rejected, or a note on its approval
  // The parcel coming back (depot's carrier code, upper-case number), once the customer sent it.
  std::string carrier;
  std::string tracking_no;
  std::string inspection_note;
  std::optional<bool> restocked;          // once received: back on the shelf, or written off
  std::string location;                   // where restocked units went ("main/default")
  std::int64_t replacement_order_id = 0;  // the exchange's replacement order, once created
  std::string created_by;
  Instant created_at;
  Instant updated_at;
  std::optional<Instant> received_at;
};

inline constexpr std::size_t kMaxReturnLines = 200;
inline constexpr std::size_t kMaxReturnPhotos = 9;
inline constexpr std::size_t kMaxPhotoUrlBytes = 500;
inline constexpr std::size_t kMaxAfterSalesTextBytes = 1000;  // reasons and notes
inline constexpr std::size_t kMaxFeedbackCommentChars = 1000;

// Field errors of a new request that need no stored state: the reason (1–1000 bytes), the lines
// (1–200, each a SKU and a positive quantity), replacement lines (exchanges only) and photos (at
// most 9 http(s) URLs). Each names its path ("lines[1].quantity").
std::vector<FieldError> validate_return_request(const ReturnRequest& request);

// Units of each SKU that may still come back: what shipped, less what earlier requests claim
// (every request but a rejected one).
ShippedUnits returnable_units(const std::vector<Shipment>& shipments,
                              const std::vector<ReturnRequest>& earlier);

// The lines of a new request, merged by SKU. Refuses with `conflict` when nothing of the order has
// shipped, and names lines[i].sku (never shipped) or lines[i].quantity (more than may still come
// back) otherwise.
Result<std::vector<ReturnLine>> plan_return(const Order& order,
                                            const std::vector<Shipment>& shipments,
                                            const std::vector<ReturnRequest>& earlier,
                                            const std::vector<ReturnLine>& requested);

// The state machine. Each refuses with `conflict`, naming the status, when the request is not in
// a state the step may follow, and changes nothing then.
Status approve_return(ReturnRequest& request, std::string note, Instant now);
Status reject_return(ReturnRequest& request, std::string reason, Instant now);
// Records the parcel the customer sent back (while requested or approved; a later number
// replaces an earlier one). Names `carrier` when depot has no such carrier and `tracking_no` when
// the number is not that carrier's shape; the number is stored upper-case.
Status record_return_parcel(ReturnRequest& request, std::string_view carrier,
                            std::string_view tracking_no, Instant now);
// The goods arrived and were inspected: restocked at `location`, or written off.
Status receive_return(ReturnRequest& request, bool restock, std::string location,
                      std::string inspection_note, Instant now);

// A returned unit back on the shelf: on hand rises by `quantity`; nothing is reserved.
Result<Movement> restock_returned(const StockBalance& balance, std::int64_t quantity);

// The replacement order an exchange sends out: the original's customer and address, the
// replacement lines (or the returned ones) free of charge, in the original's currency.
OrderDraft replacement_draft(const Order& original, const ReturnRequest& exchange);

enum class RefundStatus { pending, completed };
std::string_view to_string(RefundStatus status);
std::optional<RefundStatus> parse_refund_status(std::string_view text);

struct Refund {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::int64_t return_id = 0;  // the return it pays for, 0 for none
  std::int64_t amount = 0;     // minor units of the order's currency
  std::string reason;
  RefundStatus status = RefundStatus::pending;
  std::string reference;  // the payment provider's reference, given on completion
  std::string created_by;
  Instant created_at;
  std::optional<Instant> completed_at;
};

// What may still be refunded: the paid amount less every refund recorded, pending or completed.
std::int64_t refundable_amount(const Order& order, const std::vector<Refund>& earlier);

// Whether a refund of `amount` may be recorded: more than 0, no more than is still refundable
// (naming `amount`), with a reason of 1–1000 bytes (naming `reason`).
Status check_refund(const Order& order, const std::vector<Refund>& earlier, std::int64_t amount,
                    const std::string& reason);

// The money went back: the refund completes and the order's refunded amount rises by it (what a
// cancelled or shrunk order still owed back falls by as much).
Status complete_refund(Refund& refund, Order& order, std::string reference, Instant now);

// Delivery feedback (发货反馈), one per order.
struct Feedback {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  bool intact = true;       // the goods arrived undamaged
  std::int64_t rating = 0;  // 1–5
  std::string comment;
  std::string actor;  // "customer" from the tracking page, else the member of staff
  Instant created_at;
};

// Names `rating` outside 1–5 and `comment` over 1000 characters.
std::vector<FieldError> validate_feedback(const Feedback& feedback);

// Feedback is taken once something of the order has shipped; `conflict` before that.
Status check_feedback_allowed(const Order& order, const std::vector<Shipment>& shipments);

// Feedback summed over one carrier or SKU, as the store counts it.
struct FeedbackTally {
  std::string key;  // the carrier code or the SKU
  std::int64_t count = 0;
  std::int64_t rating_sum = 0;
  std::int64_t intact_count = 0;
};

struct FeedbackSummary {
  std::string key;
  std::int64_t count = 0;
  double average_rating = 0;  // rounded to two decimals
  double intact_share = 0;    // 0–1, rounded to three decimals
};

FeedbackSummary summarise(const FeedbackTally& tally);

// Complaints (投诉, AFS-4) become tickets: the text (1–4000 bytes, naming `text`) is the ticket's
// first comment, and its first line, cut to 60 characters, the subject.
inline constexpr std::size_t kMaxComplaintBytes = 4000;
Status check_complaint(const std::string& text);
std::string complaint_subject(std::string_view text);

}  // namespace depot
