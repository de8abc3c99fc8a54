#include "domain/shipment.h"

#include <algorithm>

namespace depot {

ShippedUnits shipped_units(const std::vector<Shipment>& shipments) {
  ShippedUnits shipped;
  for (const Shipment& shipment : shipments) {
    for (const ShipmentLine& line : shipment.lines) shipped[line.sku] += line.quantity;
  }
  return shipped;
}

std::vector<ShipmentLine> unshipped_lines(const Order& order, const ShippedUnits& shipped) {
  std::vector<ShipmentLine> left;
  for (const OrderLine& line : order.lines) {
    auto same = std::find_if(left.begin(), left.end(),
                             [&](const ShipmentLine& l) { return l.sku == line.sku; });
    if (same == left.end()) {
      left.push_back({line.sku, line.quantity});
    } else {
      same->quantity += line.quantity;
    }
  }
  for (ShipmentLine& line : left) {
    auto done = shipped.find(line.sku);
    if (done != shipped.end()) line.quantity -= done->second;
  }
  std::erase_if(left, [](const ShipmentLine& l) { return l.quantity <= 0; });
  return left;
}

Result<std::vector<ShipmentLine>> plan_parcel(const Order& order, const ShippedUnits& shipped,
                                              const std::vector<ShipmentLine>& requested) {
  std::vector<ShipmentLine> left = unshipped_lines(order, shipped);
  if (requested.empty()) {
    if (left.empty()) return invalid_field("lines", "every unit of the order has shipped");
    return left;
  }
  std::vector<ShipmentLine> parcel;
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < requested.size(); ++i) {
    const ShipmentLine& line = requested[i];
    std::string path = "lines[" + std::to_string(i) + "]";
    bool ordered = std::any_of(order.lines.begin(), order.lines.end(),
                               [&](const OrderLine& l) { return l.sku == line.sku; });
    if (!ordered) {
      errors.push_back({path + ".sku", line.sku + " is not on the order"});
      continue;
    }
    if (line.quantity <= 0) {
      errors.push_back({path + ".quantity", "must be greater than 0"});
      continue;
    }
    auto in_parcel = std::find_if(parcel.begin(), parcel.end(),
                                  [&](const ShipmentLine& l) { return l.sku == line.sku; });
    std::int64_t already = in_parcel == parcel.end() ? 0 : in_parcel->quantity;
    auto remaining = std::find_if(left.begin(), left.end(),
                                  [&](const ShipmentLine& l) { return l.sku == line.sku; });
    std::int64_t available = remaining == left.end() ? 0 : remaining->quantity;
    if (already + line.quantity > available) {
      errors.push_back({path + ".quantity", "is more than the " + std::to_string(available) +
                                                " of " + line.sku + " left to ship"});
      continue;
    }
    if (in_parcel == parcel.end()) {
      parcel.push_back(line);
    } else {
      in_parcel->quantity += line.quantity;
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return parcel;
}

bool ships_everything(const Order& order, const ShippedUnits& shipped,
                      const std::vector<ShipmentLine>& parcel) {
  ShippedUnits after = shipped;
  for (const ShipmentLine& line : parcel) after[line.sku] += line.quantity;
  return unshipped_lines(order, after).empty();
}

std::vector<FieldError> shipping_blockers(const Order& order) {
  switch (order.status) {
    case OrderStatus::awaiting_shipment:
    case OrderStatus::partially_shipped:
      return {};
    case OrderStatus::pending_payment:
      return {{"status", "the order is not paid yet"}};
    case OrderStatus::on_hold: {
      std::string why;
      for (const HoldReason& reason : order.hold_reasons) {
        why += (why.empty() ? ": " : "; ") + reason.message;
      }
      return {{"status", "the order is on hold" + why}};
    }
    default:
      return {
          {"status", "an order that is " + std::string(to_string(order.status)) + " cannot ship"}};
  }
}

}  // namespace depot
