#include "domain/after_sales.h"

#include <algorithm>

#include <cctype>

#include "domain/carriers.h"
#include "domain/enum_names.h"
#include "domain/order_rules.h"
#include "domain/rounding.h"
#include "domain/text.h"

namespace depot {

namespace {

constexpr EnumNames<ReturnKind, 2> kKinds = {{
    {ReturnKind::return_goods, "return"},
    {ReturnKind::exchange, "exchange"},
}};

constexpr EnumNames<ReturnStatus, 4> kReturnStatuses = {{
    {ReturnStatus::requested, "requested"},
    {ReturnStatus::approved, "approved"},
    {ReturnStatus::rejected, "rejected"},
    {ReturnStatus::received, "received"},
}};

constexpr EnumNames<RefundStatus, 2> kRefundStatuses = {{
    {RefundStatus::pending, "pending"},
    {RefundStatus::completed, "completed"},
}};

Error refused_in(const ReturnRequest& request, std::string_view step) {
  return error(ErrorCode::conflict, "a return that is " + std::string(to_string(request.status)) +
                                        " cannot be " + std::string(step));
}

void check_text(std::vector<FieldError>& errors, const std::string& field, const std::string& text,
                bool required) {
  if (required && trimmed(text).empty()) {
    errors.push_back({field, "must not be empty"});
  } else if (text.size() > kMaxAfterSalesTextBytes) {
    errors.push_back(
        {field, "must be at most " + std::to_string(kMaxAfterSalesTextBytes) + " bytes"});
  }
}

void check_lines(std::vector<FieldError>& errors, const std::string& field,
                 const std::vector<ReturnLine>& lines, bool required) {
  if (required && lines.empty()) errors.push_back({field, "must hold at least one line"});
  if (lines.size() > kMaxReturnLines) {
    errors.push_back({field, "must hold at most " + std::to_string(kMaxReturnLines) + " lines"});
    return;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string path = field + "[" + std::to_string(i) + "]";
    if (!is_valid_sku(lines[i].sku)) errors.push_back({path + ".sku", "is not a SKU"});
    if (lines[i].quantity <= 0 || lines[i].quantity > kMaxLineQuantity) {
      errors.push_back({path + ".quantity",
                        "must be a whole number from 1 to " + std::to_string(kMaxLineQuantity)});
    }
  }
}

}  // namespace

std::string_view to_string(ReturnKind kind) { return name_of(kKinds, kind); }
std::optional<ReturnKind> parse_return_kind(std::string_view text) {
  return value_of(kKinds, text);
}
std::string_view to_string(ReturnStatus status) { return name_of(kReturnStatuses, status); }
std::optional<ReturnStatus> parse_return_status(std::string_view text) {
  return value_of(kReturnStatuses, text);
}
std::string_view to_string(RefundStatus status) { return name_of(kRefundStatuses, status); }
std::optional<RefundStatus> parse_refund_status(std::string_view text) {
  return value_of(kRefundStatuses, text);
}

std::vector<FieldError> validate_return_request(const ReturnRequest& request) {
  std::vector<FieldError> errors;
  check_text(errors, "reason", request.reason, true);
  check_lines(errors, "lines", request.lines, true);
  if (request.kind != ReturnKind::exchange && !request.replacement_lines.empty()) {
    errors.push_back({"replacement_lines", "only an exchange sends a replacement"});
  } else {
    check_lines(errors, "replacement_lines", request.replacement_lines, false);
  }
  if (request.photos.size() > kMaxReturnPhotos) {
    errors.push_back({"photos", "must hold at most " + std::to_string(kMaxReturnPhotos) + " URLs"});
  } else {
    for (std::size_t i = 0; i < request.photos.size(); ++i) {
      const std::string& url = request.photos[i];
      if (url.size() > kMaxPhotoUrlBytes || !is_http_url(url)) {
        errors.push_back(
            {"photos[" + std::to_string(i) + "]",
             "must be an http(s) URL of at most " + std::to_string(kMaxPhotoUrlBytes) + " bytes"});
      }
    }
  }
  return errors;
}

ShippedUnits returnable_units(const std::vector<Shipment>& shipments,
                              const std::vector<ReturnRequest>& earlier) {
  ShippedUnits left = shipped_units(shipments);
  for (const ReturnRequest& request : earlier) {
    if (request.status == ReturnStatus::rejected) continue;
    for (const ReturnLine& line : request.lines) left[line.sku] -= line.quantity;
  }
  return left;
}

Result<std::vector<ReturnLine>> plan_return(const Order& order,
                                            const std::vector<Shipment>& shipments,
                                            const std::vector<ReturnRequest>& earlier,
                                            const std::vector<ReturnLine>& requested) {
  if (shipments.empty()) {
    return error(ErrorCode::conflict, "an order that is " + std::string(to_string(order.status)) +
                                          " has shipped nothing that could come back");
  }
  ShippedUnits shipped = shipped_units(shipments);
  ShippedUnits left = returnable_units(shipments, earlier);
  std::vector<ReturnLine> planned;
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < requested.size(); ++i) {
    const ReturnLine& line = requested[i];
    std::string path = "lines[" + std::to_string(i) + "]";
    if (!shipped.contains(line.sku)) {
      errors.push_back({path + ".sku", line.sku + " was not shipped on this order"});
      continue;
    }
    auto same = std::find_if(planned.begin(), planned.end(),
                             [&](const ReturnLine& l) { return l.sku == line.sku; });
    std::int64_t already = same == planned.end() ? 0 : same->quantity;
    std::int64_t may = std::max<std::int64_t>(left[line.sku], 0);
    if (already + line.quantity > may) {
      errors.push_back({path + ".quantity", "is more than the " + std::to_string(may) + " of " +
                                                line.sku + " that may still come back"});
      continue;
    }
    if (same == planned.end()) {
      planned.push_back(line);
    } else {
      same->quantity += line.quantity;
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return planned;
}

Status approve_return(ReturnRequest& request, std::string note, Instant now) {
  if (request.status != ReturnStatus::requested) return refused_in(request, "approved");
  std::vector<FieldError> errors;
  check_text(errors, "note", note, false);
  if (!errors.empty()) return invalid_fields(std::move(errors));
  request.status = ReturnStatus::approved;
  request.decision_note = std::move(note);
  request.updated_at = now;
  return {};
}

Status reject_return(ReturnRequest& request, std::string reason, Instant now) {
  if (request.status != ReturnStatus::requested) return refused_in(request, "rejected");
  std::vector<FieldError> errors;
  check_text(errors, "reason", reason, true);
  if (!errors.empty()) return invalid_fields(std::move(errors));
  request.status = ReturnStatus::rejected;
  request.decision_note = std::move(reason);
  request.updated_at = now;
  return {};
}

Status record_return_parcel(ReturnRequest& request, std::string_view carrier_code,
                            std::string_view tracking_no, Instant now) {
  if (request.status != ReturnStatus::requested && request.status != ReturnStatus::approved) {
    return refused_in(request, "given a parcel");
  }
  const Carrier* carrier = find_carrier(carrier_code);
  if (carrier == nullptr) {
    return invalid_field("carrier", "unknown carrier " + std::string(carrier_code) +
                                        "; GET /api/v1/carriers lists the codes");
  }
  if (!is_valid_tracking_no(*carrier, tracking_no)) {
    return invalid_field("tracking_no",
                         "is not a well-formed " + std::string(carrier->name_en) + " number");
  }
  request.carrier = std::string(carrier->code);
  request.tracking_no = normalized_tracking_no(tracking_no);
  request.updated_at = now;
  return {};
}

Status receive_return(ReturnRequest& request, bool restock, std::string location,
                      std::string inspection_note, Instant now) {
  if (request.status != ReturnStatus::approved) return refused_in(request, "received");
  std::vector<FieldError> errors;
  check_text(errors, "note", inspection_note, false);
  if (!errors.empty()) return invalid_fields(std::move(errors));
  request.status = ReturnStatus::received;
  request.restocked = restock;
  request.location = restock ? std::move(location) : std::string();
  request.inspection_note = std::move(inspection_note);
  request.received_at = now;
  request.updated_at = now;
  return {};
}

Result<Movement> restock_returned(const StockBalance& balance, std::int64_t quantity) {
  if (quantity <= 0) return invalid_field("quantity", "must be greater than 0");
  if (quantity > kMaxStockQuantity - balance.on_hand) {
    return invalid_field("quantity", "must be at most " + std::to_string(kMaxStockQuantity));
  }
  return Movement{MovementKind::return_restock, quantity, 0};
}

OrderDraft replacement_draft(const Order& original, const ReturnRequest& exchange) {
  OrderDraft draft;
  const std::vector<ReturnLine>& lines =
      exchange.replacement_lines.empty() ? exchange.lines : exchange.replacement_lines;
  for (const ReturnLine& line : lines) draft.lines.push_back({line.sku, line.quantity, 0});
  draft.currency = original.currency;
  draft.customer = original.customer;
  draft.shipping_address = original.shipping_address;
  draft.notes =
      "exchange for order " + original.order_no + " (return " + std::to_string(exchange.id) + ")";
  return draft;
}

std::int64_t refundable_amount(const Order& order, const std::vector<Refund>& earlier) {
  std::int64_t left = order.paid_amount;
  for (const Refund& refund : earlier) left -= refund.amount;
  return std::max<std::int64_t>(left, 0);
}

Status check_refund(const Order& order, const std::vector<Refund>& earlier, std::int64_t amount,
                    const std::string& reason) {
  std::vector<FieldError> errors;
  std::int64_t left = refundable_amount(order, earlier);
  if (amount <= 0) {
    errors.push_back({"amount", "must be greater than 0"});
  } else if (amount > left) {
    errors.push_back({"amount", "is more than the " + std::to_string(left) +
                                    " still refundable of the " +
                                    std::to_string(order.paid_amount) + " paid"});
  }
  check_text(errors, "reason", reason, true);
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return {};
}

Status complete_refund(Refund& refund, Order& order, std::string reference, Instant now) {
  if (refund.status != RefundStatus::pending) {
    return error(ErrorCode::conflict, "the refund is already completed");
  }
  if (reference.size() > kMaxAfterSalesTextBytes) {
    return invalid_field("reference",
                         "must be at most " + std::to_string(kMaxAfterSalesTextBytes) + " bytes");
  }
  refund.status = RefundStatus::completed;
  refund.reference = std::move(reference);
  refund.completed_at = now;
  order.refunded_amount += refund.amount;
  order.refund_due = std::max<std::int64_t>(order.refund_due - refund.amount, 0);
  return {};
}

std::vector<FieldError> validate_feedback(const Feedback& feedback) {
  std::vector<FieldError> errors;
  if (feedback.rating < 1 || feedback.rating > 5) {
    errors.push_back({"rating", "must be a whole number from 1 to 5"});
  }
  if (utf8_length(feedback.comment) > kMaxFeedbackCommentChars) {
    errors.push_back(
        {"comment", "must be at most " + std::to_string(kMaxFeedbackCommentChars) + " characters"});
  }
  return errors;
}

Status check_feedback_allowed(const Order& order, const std::vector<Shipment>& shipments) {
  if (!shipments.empty()) return {};
  return error(ErrorCode::conflict, "an order that is " + std::string(to_string(order.status)) +
                                        " has not shipped: there is no delivery to rate yet");
}

FeedbackSummary summarise(const FeedbackTally& tally) {
  FeedbackSummary summary;
  summary.key = tally.key;
  summary.count = tally.count;
  if (tally.count > 0) {
    double count = static_cast<double>(tally.count);
    summary.average_rating = rounded(static_cast<double>(tally.rating_sum) / count, 100);
    summary.intact_share = rounded(static_cast<double>(tally.intact_count) / count, 1000);
  }
  return summary;
}

Status check_complaint(const std::string& text) {
  if (trimmed(text).empty()) return invalid_field("text", "must not be empty");
  if (text.size() > kMaxComplaintBytes) {
    return invalid_field("text",
                         "must be at most " + std::to_string(kMaxComplaintBytes) + " bytes");
  }
  return {};
}

std::string complaint_subject(std::string_view text) {
  constexpr std::size_t kSubjectChars = 60;
  std::string_view first = trimmed(text);
  first = trimmed(first.substr(0, first.find('\n')));
  std::string_view cut = utf8_prefix(first, kSubjectChars);
  return cut.size() < first.size() ? std::string(cut) + "…" : std::string(cut);
}

}  // namespace depot
