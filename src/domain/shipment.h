#pragma once
// Shipments (SPEC SHP-3): a parcel with a carrier and tracking number holding some of an order's
// units. An order may leave in several parcels; what a parcel may hold is what is still unshipped.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/order.h"
#include "domain/result.h"

namespace depot {

struct ShipmentLine {
  std::string sku;
  std::int64_t quantity = 0;

  bool operator==(const ShipmentLine&) const = default;
};

struct Shipment {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::string carrier;  // depot's carrier code ("SF"), whatever code the caller used
  std::string tracking_no;
  std::vector<ShipmentLine> lines;
  Instant shipped_at;
  Instant created_at;
  std::string actor;
};

// Units already shipped, per SKU.
using ShippedUnits = std::map<std::string, std::int64_t>;

ShippedUnits shipped_units(const std::vector<Shipment>& shipments);

// What is left to ship of each SKU of the order, in the order's SKU order (zeros omitted).
std::vector<ShipmentLine> unshipped_lines(const Order& order, const ShippedUnits& shipped);

// The lines of a new parcel: `requested` (merged by SKU), or everything still unshipped when it is
// empty. Refuses, naming "lines[i].sku" or "lines[i].quantity", a SKU that is not on the order or
// more units than are left to ship.
Result<std::vector<ShipmentLine>> plan_parcel(const Order& order, const ShippedUnits& shipped,
                                              const std::vector<ShipmentLine>& requested);

// Whether every unit of the order has shipped once `parcel` has.
bool ships_everything(const Order& order, const ShippedUnits& shipped,
                      const std::vector<ShipmentLine>& parcel);

// Whether the order's status lets a parcel leave: paid and not held. Refusals are `invalid` errors
// naming "status", so a shipment request answers 422 with every failed check together.
std::vector<FieldError> shipping_blockers(const Order& order);

}  // namespace depot
