#include "http/json_output.h"

#include "http/json_input.h"

namespace depot::http {

namespace json = boost::json;

json::value text_or_null(const std::string& text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

json::value id_or_null(std::int64_t id) { return id == 0 ? json::value(nullptr) : json::value(id); }

json::value instant_or_null(const std::optional<Instant>& at) {
  return at ? json::value(format_instant(*at)) : json::value(nullptr);
}

namespace {

json::object to_json(const Customer& c) {
  json::array channels;
  for (const std::string& channel : c.preferred_channels) channels.emplace_back(channel);
  return {{"name", c.name},
          {"phone", c.phone},
          {"email", text_or_null(c.email)},
          {"wechat_openid", text_or_null(c.wechat_openid)},
          {"device_token", text_or_null(c.device_token)},
          {"preferred_channels", std::move(channels)},
          {"locale", c.locale}};
}

json::object to_json(const Address& a) {
  return {{"province", a.province},
          {"city", a.city},
          {"district", a.district},
          {"detail", a.detail},
          {"postcode", text_or_null(a.postcode)},
          {"province_code", text_or_null(a.province_code)},
          {"city_code", text_or_null(a.city_code)},
          {"district_code", text_or_null(a.district_code)}};
}

}  // namespace

json::array to_json(const std::vector<HoldReason>& reasons) {
  json::array out;
  for (const HoldReason& r : reasons) {
    json::object reason{{"code", r.code}, {"message", r.message}};
    if (!r.field.empty()) reason["field"] = r.field;
    if (r.rule_id != 0) reason["rule_id"] = r.rule_id;
    out.push_back(std::move(reason));
  }
  return out;
}

json::array to_json(const std::vector<std::string>& texts) {
  json::array out;
  for (const std::string& text : texts) out.emplace_back(text);
  return out;
}

json::object to_json(const Order& o, bool with_history, Disclosure contact) {
  json::array lines;
  for (const OrderLine& line : o.lines) {
    lines.push_back(json::object{
        {"sku", line.sku}, {"quantity", line.quantity}, {"unit_price", line.unit_price}});
  }
  json::object out{{"id", o.id},
                   {"order_no", o.order_no},
                   {"status", to_string(o.status)},
                   {"version", o.version},
                   {"currency", o.currency},
                   {"total", o.total},
                   {"paid_amount", o.paid_amount},
                   {"refund_due", o.refund_due},
                   {"refunded_amount", o.refunded_amount},
                   {"lines", std::move(lines)},
                   {"customer", to_json(disclose_customer(o.customer, contact))},
                   {"shipping_address", to_json(disclose_address(o.shipping_address, contact))},
                   {"platform", text_or_null(o.platform)},
                   {"external_no", text_or_null(o.external_no)},
                   {"notes", o.notes},
                   {"hold_reasons", to_json(o.hold_reasons)},
                   {"overrides", to_json(o.overrides)},
                   {"ship_due_at", o.ship_due_at ? json::value(format_instant(*o.ship_due_at))
                                                 : json::value(nullptr)},
                   {"created_at", format_instant(o.created_at)},
                   {"updated_at", format_instant(o.updated_at)}};
  if (with_history) {
    json::array history;
    for (const HistoryEntry& h : o.history) {
      history.push_back(
          json::object{{"from", h.from ? json::value(to_string(*h.from)) : json::value(nullptr)},
                       {"to", to_string(h.to)},
                       {"actor", h.actor},
                       {"reason", h.reason},
                       {"at", format_instant(h.at)}});
    }
    out["history"] = std::move(history);
  }
  return out;
}

json::object to_json(const ProductImage& image) {
  return {{"id", image.id},
          {"url", "/media/" + image.file_name},
          {"content_type", image.content_type},
          {"size", image.size}};
}

json::object to_json(const Product& p) {
  json::object attributes;
  for (const auto& [key, value] : p.attributes) attributes[key] = value;
  json::array images;
  for (const ProductImage& image : p.images) images.push_back(to_json(image));
  return {{"sku", p.sku},
          {"name", p.name},
          {"price", p.price},
          {"currency", p.currency},
          {"barcode", text_or_null(p.barcode)},
          {"attributes", std::move(attributes)},
          {"weight_grams", p.weight_grams},
          {"low_stock_threshold", p.low_stock_threshold},
          {"images", std::move(images)},
          {"version", p.version},
          {"created_at", format_instant(p.created_at)},
          {"updated_at", format_instant(p.updated_at)}};
}

json::object to_json(const StockLevel& stock) {
  json::array locations;
  for (const StockRow& row : stock.locations) {
    locations.push_back(json::object{{"location", row.location.to_string()},
                                     {"on_hand", row.balance.on_hand},
                                     {"reserved", row.balance.reserved},
                                     {"available", row.balance.available()}});
  }
  StockBalance total = stock.total();
  return {{"sku", stock.sku},
          {"on_hand", total.on_hand},
          {"reserved", total.reserved},
          {"available", total.available()},
          {"low_stock_threshold", stock.low_stock_threshold},
          {"locations", std::move(locations)}};
}

json::object to_json(const LedgerEntry& e) {
  return {{"id", e.id},
          {"kind", to_string(e.movement.kind)},
          {"sku", e.sku},
          {"location", e.location},
          {"on_hand_delta", e.movement.on_hand_delta},
          {"reserved_delta", e.movement.reserved_delta},
          {"reason", e.reason},
          {"actor", e.actor},
          {"order_id", e.order_id == 0 ? json::value(nullptr) : json::value(e.order_id)},
          {"at", format_instant(e.at)}};
}

json::object to_json(const Alert& a) {
  return {{"id", a.id},
          {"kind", a.kind},
          {"sku", text_or_null(a.sku)},
          {"order_id", a.order_id ? json::value(a.order_id) : json::value(nullptr)},
          {"message", text_or_null(a.message)},
          {"available", a.available},
          {"threshold", a.threshold},
          {"opened_at", format_instant(a.opened_at)}};
}

json::object to_json(const Warehouse& w) {
  json::array locations;
  for (const std::string& code : w.locations) locations.emplace_back(code);
  json::object out{{"code", w.code}, {"name", w.name}, {"locations", std::move(locations)}};
  if (w.sender) {
    out["sender"] = json::object{{"name", w.sender->name},         {"phone", w.sender->phone},
                                 {"province", w.sender->province}, {"city", w.sender->city},
                                 {"district", w.sender->district}, {"detail", w.sender->detail}};
  } else {
    out["sender"] = nullptr;
  }
  return out;
}

json::object to_json(const EventRecord& r) {
  json::object data;
  for (const auto& [key, value] : r.event.data) {
    std::visit([&, &k = key](const auto& v) { data[k] = v; }, value);
  }
  json::object out{{"id", r.id}, {"type", to_string(r.event.type)}, {"at", format_instant(r.at)}};
  if (r.event.order_id != 0) out["order_id"] = r.event.order_id;
  if (!r.event.sku.empty()) out["sku"] = r.event.sku;
  out["data"] = std::move(data);
  return out;
}

json::object to_json(const MerchantSettings& s) {
  json::object by_platform;
  for (const auto& [platform, hours] : s.ship.sla_hours_by_platform) by_platform[platform] = hours;
  json::object stall_by_carrier;
  for (const auto& [carrier, hours] : s.tracking.stall_hours_by_carrier) {
    stall_by_carrier[carrier] = hours;
  }
  json::array channels;
  for (ChannelKind channel : s.notify.default_channels) channels.emplace_back(to_string(channel));
  json::array notify_events;
  for (EventType event : s.notify.customer_events) notify_events.emplace_back(to_string(event));
  json::array contacts;
  for (const AlertContact& contact : s.notify.alert_contacts) {
    contacts.push_back(
        json::object{{"channel", to_string(contact.channel)}, {"recipient", contact.recipient}});
  }
  json::object lead_by_sku;
  for (const auto& [sku, days] : s.reports.lead_days_by_sku) lead_by_sku[sku] = days;
  return {{"edit_window_seconds", s.edit_window_seconds},
          {"unpaid_timeout_seconds", s.unpaid_timeout_seconds},
          {"currency", s.currency},
          {"ship_sla_hours", s.ship.sla_hours},
          {"ship_sla_hours_by_platform", std::move(by_platform)},
          {"ship_due_soon_hours", s.ship.due_soon_hours},
          {"ship_escalate_hours", s.ship.escalate_hours},
          {"notification_retry_base_ms", s.notify.retry_base_ms},
          {"default_channels", std::move(channels)},
          {"notify_events", std::move(notify_events)},
          {"alert_contacts", std::move(contacts)},
          {"public_url", s.notify.public_url},
          {"tracking_stall_hours", s.tracking.stall_hours},
          {"tracking_stall_hours_by_carrier", std::move(stall_by_carrier)},
          {"reports", json::object{{"utc_offset_minutes", s.reports.utc_offset_minutes},
                                   {"lead_days", s.reports.lead_days},
                                   {"lead_days_by_sku", std::move(lead_by_sku)},
                                   {"service_level", s.reports.service_level},
                                   {"review_days", s.reports.review_days}}}};
}

json::object page(json::array items, const std::string& next_cursor) {
  return {{"items", std::move(items)}, {"next_cursor", text_or_null(next_cursor)}};
}

Response json_response(int status, const json::value& body) {
  return Response{status, "application/json", json::serialize(body), {}};
}

}  // namespace depot::http
