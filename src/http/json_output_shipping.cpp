// Shipping values as the JSON the API documents: shipments, rules, blacklists and imports.
#include "http/json_input.h"
#include "http/json_output.h"

namespace depot::http {

namespace json = boost::json;

json::object to_json(const Shipment& s) {
  json::array lines;
  for (const ShipmentLine& line : s.lines) {
    lines.push_back(json::object{{"sku", line.sku}, {"quantity", line.quantity}});
  }
  return {{"id", s.id},
          {"order_id", s.order_id},
          {"carrier", s.carrier},
          {"tracking_no", s.tracking_no},
          {"lines", std::move(lines)},
          {"shipped_at", format_instant(s.shipped_at)},
          {"created_at", format_instant(s.created_at)}};
}

json::object to_json(const Rule& r, const std::string& last_error) {
  return {{"id", r.id},
          {"name", r.name},
          {"expression", r.expression},
          {"message", r.message},
          {"enabled", r.enabled},
          {"version", r.version},
          {"last_error", last_error.empty() ? json::value(nullptr) : json::value(last_error)},
          {"created_at", format_instant(r.created_at)},
          {"updated_at", format_instant(r.updated_at)}};
}

json::object to_json(const BlacklistEntry& e) {
  return {{"list", e.list},
          {"value", e.value},
          {"note", e.note},
          {"created_at", format_instant(e.created_at)}};
}

json::object to_json(const ImportReport& report) {
  const ImportJob& job = report.job;
  json::array errors;
  for (const ImportError& row : report.errors) {
    json::object error{{"row", row.line}, {"message", row.message}};
    if (!row.column.empty()) error["column"] = row.column;
    errors.push_back(std::move(error));
  }
  return {{"id", job.id},
          {"kind", to_string(job.kind)},
          {"status", to_string(job.status)},
          {"total", job.total},
          {"applied", job.applied},
          {"unchanged", job.unchanged},
          {"failed", job.failed},
          {"errors", std::move(errors)},
          {"created_at", format_instant(job.created_at)},
          {"finished_at",
           job.finished_at ? json::value(format_instant(*job.finished_at)) : json::value(nullptr)}};
}

}  // namespace depot::http
