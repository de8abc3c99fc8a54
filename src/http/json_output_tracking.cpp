#include "http/json_output_tracking.h"

#include "http/json_input.h"
#include "http/json_output.h"

namespace depot::http {

namespace json = boost::json;

json::object to_json(const CarrierAccountView& a) {
  return {{"provider", "kuaidi100"},
          {"url", a.url},
          {"customer", a.customer},
          {"key_set", a.key_set},
          {"salt_set", a.salt_set},
          {"callback_url", a.callback_url},
          {"updated_at", format_instant(a.updated_at)}};
}

json::object to_json(const ParcelView& view) {
  const Parcel& p = view.parcel;
  json::array events;
  for (const StoredCheckpoint& stored : view.checkpoints) {
    const Checkpoint& c = stored.checkpoint;
    events.push_back(json::object{{"status", to_string(c.status)},
                                  {"text", c.text},
                                  {"at", format_instant(c.at)},
                                  {"location", text_or_null(c.location)},
                                  {"carrier_state", text_or_null(c.raw_state)},
                                  {"source", stored.source}});
  }
  return {{"shipment_id", p.return_id == 0 ? json::value(p.id) : json::value(nullptr)},
          {"parcel_id", p.id},
          {"return_id", id_or_null(p.return_id)},
          {"carrier", p.carrier},
          {"tracking_no", p.tracking_no},
          {"origin", text_or_null(p.origin)},
          {"destination", text_or_null(p.destination)},
          {"status", to_string(p.status)},
          {"shipped_at", format_instant(p.shipped_at)},
          {"last_update_at", format_instant(p.last_update_at)},
          {"delivered_at", instant_or_null(p.delivered_at)},
          {"eta", instant_or_null(view.eta)},
          {"eta_late", instant_or_null(view.eta_late)},
          {"eta_basis", text_or_null(view.eta_basis)},
          {"stalled", p.stalled_at.has_value()},
          {"stalled_at", instant_or_null(p.stalled_at)},
          {"subscription", to_string(p.subscription)},
          {"subscription_error", text_or_null(p.subscribe_error)},
          {"events", std::move(events)}};
}

json::object to_json(const OrderTracking& tracking) {
  json::array parcels;
  for (const ParcelView& parcel : tracking.parcels) parcels.push_back(to_json(parcel));
  return {{"order_id", tracking.order.id},
          {"order_no", tracking.order.order_no},
          {"order_status", to_string(tracking.order.status)},
          {"parcels", std::move(parcels)},
          {"tracking_url", tracking.tracking_url}};
}

json::object to_json(const CheckpointImport& report) {
  json::array failed;
  for (const RowProblem& row : report.failed) {
    failed.push_back(
        json::object{{"line", row.line}, {"column", row.column}, {"message", row.message}});
  }
  return {
      {"applied", report.applied}, {"unchanged", report.unchanged}, {"failed", std::move(failed)}};
}

}  // namespace depot::http
