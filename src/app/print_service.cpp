#include "app/print_service.h"

#include <map>
#include <set>

#include "app/senders.h"
#include "domain/carriers.h"
#include "domain/divisions.h"
#include "domain/masking.h"

namespace depot {

namespace {

// Where a SKU is picked from: the location its reservation for the order holds, else the first
// location with units on hand, else its first location.
class PickLocations {
 public:
  explicit PickLocations(ReadTx& tx) : tx_(tx) {}

  std::string of(std::int64_t order_id, const std::string& sku) {
    if (order_id != order_id_) {
      order_id_ = order_id;
      reserved_.clear();
      for (const Reservation& r : tx_.reservations_of(order_id)) {
        reserved_.emplace(r.sku, r.location_id);
      }
    }
    auto rows = stock_.find(sku);
    if (rows == stock_.end()) rows = stock_.emplace(sku, tx_.stock_of(sku)).first;
    if (rows->second.empty()) return {};
    if (auto held = reserved_.find(sku); held != reserved_.end()) {
      for (const StockRow& row : rows->second) {
        if (row.location_id == held->second) return row.location.to_string();
      }
    }
    for (const StockRow& row : rows->second) {
      if (row.balance.on_hand > 0) return row.location.to_string();
    }
    return rows->second.front().location.to_string();
  }

 private:
  ReadTx& tx_;
  std::int64_t order_id_ = 0;
  std::map<std::string, std::int64_t> reserved_;
  std::map<std::string, std::vector<StockRow>> stock_;
};

class ProductNames {
 public:
  explicit ProductNames(ReadTx& tx) : tx_(tx) {}

  const std::string& of(const std::string& sku) {
    auto found = names_.find(sku);
    if (found == names_.end()) {
      std::optional<Product> product = tx_.find_product(sku);
      found = names_.emplace(sku, product ? product->name : std::string()).first;
    }
    return found->second;
  }

 private:
  ReadTx& tx_;
  std::map<std::string, std::string> names_;
};

// Who the documents are from: warehouse main's sender name, "" until one is set.
std::string merchant_name(ReadTx& tx) {
  std::optional<SenderAddress> sender = main_sender(tx);
  return sender ? sender->name : std::string();
}

PackingSlip slip_of(const Order& order, const std::string& merchant, const Shipment* shipment,
                    PickLocations& locations, ProductNames& names) {
  PackingSlip slip;
  slip.merchant = merchant;
  slip.order_no = order.order_no;
  slip.created_at = order.created_at;
  slip.customer_name = order.customer.name;
  slip.phone = order.customer.phone;
  const Address& a = order.shipping_address;
  slip.address = printed_address(a.province, a.city, a.district, a.detail);
  slip.notes = order.notes;
  if (shipment != nullptr) {
    const Carrier* carrier = find_carrier(shipment->carrier);
    slip.carrier = carrier != nullptr ? std::string(carrier->name_zh) : shipment->carrier;
    slip.tracking_no = shipment->tracking_no;
  }
  // A parcel's slip lists what it holds; an order not shipped yet lists every line.
  std::vector<ShipmentLine> lines;
  if (shipment != nullptr) {
    lines = shipment->lines;
  } else {
    for (const OrderLine& line : order.lines) lines.push_back({line.sku, line.quantity});
  }
  for (const ShipmentLine& line : lines) {
    slip.lines.push_back(
        {line.sku, names.of(line.sku), locations.of(order.id, line.sku), line.quantity});
  }
  return slip;
}

}  // namespace

Result<std::string> PrintService::packing_slip(const Actor& actor, std::int64_t order_id,
                                               PaperSize size) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<Order> order = tx->find_order(order_id);
  if (!order)
    return error(ErrorCode::not_found, "order " + std::to_string(order_id) + " was not found");
  Disclosure disclosure = contact_disclosure(actor.role, ContactView::record);
  order->customer = disclose_customer(order->customer, disclosure);
  order->shipping_address = disclose_address(order->shipping_address, disclosure);
  std::vector<Shipment> shipments = tx->shipments_of(order_id);
  PickLocations locations(*tx);
  ProductNames names(*tx);
  std::string merchant = merchant_name(*tx);
  std::optional<PackingSlip> slip =
      slip_of(*order, merchant, shipments.empty() ? nullptr : &shipments.back(), locations, names);
  std::string pdf;
  Status rendered = renderer_.render(
      [&]() -> std::optional<Printable> {
        if (!slip) return std::nullopt;
        Printable next = std::move(*slip);
        slip.reset();
        return next;
      },
      size, [&pdf](std::string_view bytes) { pdf.append(bytes); });
  if (!rendered.ok()) return rendered.error();
  return pdf;
}

Result<std::string> PrintService::order_labels(const Actor& actor, std::int64_t order_id) {
  if (Status allowed = require(actor, Permission::ship_orders); !allowed.ok()) {
    return allowed.error();
  }
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<Order> order = tx->find_order(order_id);
  if (!order) {
    return error(ErrorCode::not_found, "order " + std::to_string(order_id) + " was not found");
  }
  std::vector<CarrierLabel> labels;
  for (const Waybill& waybill : tx->waybills_of(order_id)) {
    if (waybill.status != WaybillStatus::issued || waybill.label_format.empty()) continue;
    if (std::optional<WaybillLabel> label = tx->waybill_label(waybill.id)) {
      labels.push_back({order->order_no, waybill.tracking_no, std::move(*label)});
    }
  }
  if (labels.empty()) {
    return error(ErrorCode::not_found,
                 "order " + order->order_no +
                     " has no carrier label: its parcels' waybills "
                     "were not bought through depot, or the aggregator gave none");
  }
  std::size_t next = 0;
  std::string pdf;
  Status rendered = renderer_.render(
      [&]() -> std::optional<Printable> {
        if (next == labels.size()) return std::nullopt;
        return Printable(std::move(labels[next++]));
      },
      PaperSize::label, [&pdf](std::string_view bytes) { pdf.append(bytes); });
  if (!rendered.ok()) return rendered.error();
  return pdf;
}

Status PrintService::batch_documents(TenantId tenant, std::int64_t batch_id, PaperSize size,
                                     const PdfSink& sink) {
  std::unique_ptr<ReadTx> tx = store_.read(tenant);
  std::optional<ShipmentBatch> batch = tx->find_batch(batch_id);
  if (!batch)
    return error(ErrorCode::not_found, "batch " + std::to_string(batch_id) + " was not found");
  std::string merchant = merchant_name(*tx);
  PickLocations locations(*tx);
  ProductNames names(*tx);

  // The parcels the batch shipped: each order's shipment with the batch's tracking number.
  struct Shipped {
    Order order;
    Shipment shipment;
    std::int64_t waybill_id = 0;
  };
  std::vector<Shipped> shipped;
  std::map<std::pair<std::string, std::string>, PickLine> picks;  // (location, sku)
  for (const BatchOrder& entry : tx->batch_orders(batch_id)) {
    if (entry.outcome != BatchOutcome::shipped) continue;
    std::optional<Order> order = tx->find_order(entry.order_id);
    if (!order) continue;
    for (const Shipment& shipment : tx->shipments_of(entry.order_id)) {
      if (shipment.tracking_no != entry.tracking_no) continue;
      std::int64_t waybill_id = 0;
      for (const Waybill& waybill : tx->waybills_of(entry.order_id)) {
        if (waybill.tracking_no == shipment.tracking_no && !waybill.label_format.empty()) {
          waybill_id = waybill.id;
        }
      }
      for (const ShipmentLine& line : shipment.lines) {
        std::string location = locations.of(order->id, line.sku);
        PickLine& pick = picks[{location, line.sku}];
        pick.location = location;
        pick.sku = line.sku;
        pick.name = names.of(line.sku);
        pick.quantity += line.quantity;
        pick.order_nos.push_back(order->order_no);
      }
      shipped.push_back({*order, shipment, waybill_id});
    }
  }

  PickList pick_list;
  pick_list.title = "批次 Batch " + std::to_string(batch_id);
  pick_list.created_at = batch->created_at;
  for (auto& [key, line] : picks) pick_list.lines.push_back(std::move(line));

  // Pick list first, then per parcel its label and its slip.
  std::size_t next = 0;
  bool pick_list_done = false;
  bool label_done = false;
  return renderer_.render(
      [&]() -> std::optional<Printable> {
        if (!pick_list_done) {
          pick_list_done = true;
          return Printable(std::move(pick_list));
        }
        while (next < shipped.size()) {
          const Shipped& parcel = shipped[next];
          if (!label_done) {
            label_done = true;
            if (parcel.waybill_id == 0) continue;
            std::optional<WaybillLabel> label = tx->waybill_label(parcel.waybill_id);
            if (!label) continue;
            return Printable(CarrierLabel{parcel.order.order_no, parcel.shipment.tracking_no,
                                          std::move(*label)});
          }
          label_done = false;
          ++next;
          return Printable(slip_of(parcel.order, merchant, &parcel.shipment, locations, names));
        }
        return std::nullopt;
      },
      size, sink);
}

}  // namespace depot
