#include "domain/order_changes.h"

namespace depot {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    if (!text.empty()) text += ", ";
    text += item;
  }
  return text;
}

std::string hold_codes(const std::vector<HoldReason>& reasons) {
  std::vector<std::string> codes;
  for (const HoldReason& reason : reasons) codes.push_back(reason.code);
  return joined(codes);
}

void add_customer_changes(std::vector<FieldChange>& changes, const Customer& before,
                          const Customer& after) {
  add_change(changes, "customer.name", before.name, after.name);
  add_change(changes, "customer.phone", before.phone, after.phone);
  add_change(changes, "customer.email", before.email, after.email);
  add_change(changes, "customer.wechat_openid", before.wechat_openid, after.wechat_openid);
  add_change(changes, "customer.device_token", before.device_token, after.device_token);
  add_change(changes, "customer.preferred_channels", joined(before.preferred_channels),
             joined(after.preferred_channels));
  add_change(changes, "customer.locale", before.locale, after.locale);
}

void add_address_changes(std::vector<FieldChange>& changes, const Address& before,
                         const Address& after) {
  add_change(changes, "shipping_address.province", before.province, after.province);
  add_change(changes, "shipping_address.city", before.city, after.city);
  add_change(changes, "shipping_address.district", before.district, after.district);
  add_change(changes, "shipping_address.detail", before.detail, after.detail);
  add_change(changes, "shipping_address.postcode", before.postcode, after.postcode);
}

}  // namespace

std::string lines_text(const std::vector<OrderLine>& lines) {
  std::vector<std::string> items;
  for (const OrderLine& line : lines) {
    items.push_back(line.sku + "×" + std::to_string(line.quantity) + "@" +
                    money_text(line.unit_price));
  }
  return joined(items);
}

std::vector<FieldChange> order_changes(const Order& before, const Order& after) {
  std::vector<FieldChange> changes;
  add_change(changes, "status", std::string(to_string(before.status)),
             std::string(to_string(after.status)));
  add_change(changes, "lines", lines_text(before.lines), lines_text(after.lines));
  add_change(changes, "currency", before.currency, after.currency);
  add_change(changes, "total", money_text(before.total), money_text(after.total));
  add_change(changes, "paid_amount", money_text(before.paid_amount), money_text(after.paid_amount));
  add_change(changes, "refund_due", money_text(before.refund_due), money_text(after.refund_due));
  add_change(changes, "refunded_amount", money_text(before.refunded_amount),
             money_text(after.refunded_amount));
  add_customer_changes(changes, before.customer, after.customer);
  add_address_changes(changes, before.shipping_address, after.shipping_address);
  add_change(changes, "platform", before.platform, after.platform);
  add_change(changes, "external_no", before.external_no, after.external_no);
  add_change(changes, "notes", before.notes, after.notes);
  add_change(changes, "hold_reasons", hold_codes(before.hold_reasons),
             hold_codes(after.hold_reasons));
  add_change(changes, "overrides", joined(before.overrides), joined(after.overrides));
  add_change(changes, "reminder", std::string(to_string(before.reminder)),
             std::string(to_string(after.reminder)));
  return changes;
}

std::vector<FieldChange> order_created_changes(const Order& order) {
  return {{"order_no", "", order.order_no},
          {"status", "", std::string(to_string(order.status))},
          {"total", "", money_text(order.total)}};
}

}  // namespace depot
