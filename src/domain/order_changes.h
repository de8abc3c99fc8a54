#pragma once
// What a write changed in an order, field by field, as the audit log shows it (SEC-3): statuses
// by name, money as yuan, lines as "SKU×qty@price" text, the customer and the address per field.
// The version, timestamps and history are left out: the audit entry itself says when and by whom.

#include <string>
#include <vector>

#include "domain/field_change.h"
#include "domain/order.h"

namespace depot {

std::vector<FieldChange> order_changes(const Order& before, const Order& after);

// "MUG-RED×2@12.50, TEA×1@8.00"; "" for no lines.
std::string lines_text(const std::vector<OrderLine>& lines);

// What the creation of an order records: its number, status and total (not every field; the order
// itself holds them), kept small because creation is the hot path.
std::vector<FieldChange> order_created_changes(const Order& order);

}  // namespace depot
