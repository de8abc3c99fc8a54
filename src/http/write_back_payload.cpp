#include "http/write_back_payload.h"

#include <boost/json.hpp>

#include "http/json_input.h"

namespace depot::http {

namespace json = boost::json;

std::string write_back_payload(const WriteBack& parcel) {
  json::array lines;
  for (const ShipmentLine& line : parcel.lines) {
    lines.push_back(json::object{{"sku", line.sku}, {"quantity", line.quantity}});
  }
  json::object body{
      {"event", "shipment.created"},
      {"platform", parcel.platform},
      {"external_no", parcel.external_no},
      {"order_no", parcel.order_no},
      {"carrier", parcel.carrier},
      {"carrier_code", parcel.carrier_kuaidi100},
      {"carrier_name", parcel.carrier_name},
      {"tracking_no", parcel.tracking_no},
      {"shipped_at", format_instant(parcel.shipped_at)},
      {"lines", std::move(lines)},
      {"tracking_url",
       parcel.tracking_url.empty() ? json::value(nullptr) : json::value(parcel.tracking_url)}};
  // Shopify's fulfillment call names the order by its numeric id, not by external_no.
  if (!parcel.platform_order_id.empty()) body["platform_order_id"] = parcel.platform_order_id;
  return json::serialize(body);
}

}  // namespace depot::http
