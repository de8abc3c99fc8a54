// After-sales values as the JSON the API documents.
#include "http/json_output_after_sales.h"

#include "http/json_input.h"
#include "http/json_output.h"

namespace depot::http {

namespace json = boost::json;

namespace {

json::array to_json(const std::vector<ReturnLine>& lines) {
  json::array out;
  for (const ReturnLine& line : lines) {
    out.push_back(json::object{{"sku", line.sku}, {"quantity", line.quantity}});
  }
  return out;
}

}  // namespace

json::object to_json(const ReturnRequest& r) {
  json::array photos;
  for (const std::string& url : r.photos) photos.emplace_back(url);
  json::value parcel = nullptr;
  if (!r.tracking_no.empty()) {
    parcel = json::object{{"carrier", r.carrier}, {"tracking_no", r.tracking_no}};
  }
  json::value disposition = nullptr;
  if (r.restocked) disposition = *r.restocked ? "restocked" : "written_off";
  return {{"id", r.id},
          {"order_id", r.order_id},
          {"kind", to_string(r.kind)},
          {"status", to_string(r.status)},
          {"reason", r.reason},
          {"lines", to_json(r.lines)},
          {"replacement_lines", to_json(r.replacement_lines)},
          {"photos", std::move(photos)},
          {"decision_note", text_or_null(r.decision_note)},
          {"parcel", std::move(parcel)},
          {"inspection_note", text_or_null(r.inspection_note)},
          {"disposition", std::move(disposition)},
          {"location", text_or_null(r.location)},
          {"replacement_order_id", id_or_null(r.replacement_order_id)},
          {"created_by", r.created_by},
          {"created_at", format_instant(r.created_at)},
          {"updated_at", format_instant(r.updated_at)},
          {"received_at", instant_or_null(r.received_at)}};
}

json::object to_json(const Refund& r) {
  return {{"id", r.id},
          {"order_id", r.order_id},
          {"return_id", id_or_null(r.return_id)},
          {"amount", r.amount},
          {"reason", r.reason},
          {"status", to_string(r.status)},
          {"reference", text_or_null(r.reference)},
          {"created_by", r.created_by},
          {"created_at", format_instant(r.created_at)},
          {"completed_at", instant_or_null(r.completed_at)}};
}

json::object to_json(const Feedback& f) {
  return {{"id", f.id},
          {"order_id", f.order_id},
          {"intact", f.intact},
          {"rating", f.rating},
          {"comment", f.comment},
          {"actor", f.actor},
          {"created_at", format_instant(f.created_at)}};
}

json::object to_json(const FeedbackSummary& s, FeedbackGrouping by) {
  return {{by == FeedbackGrouping::carrier ? "carrier" : "sku", s.key},
          {"count", s.count},
          {"average_rating", s.average_rating},
          {"intact_share", s.intact_share}};
}

}  // namespace depot::http
