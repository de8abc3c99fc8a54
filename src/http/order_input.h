#pragma once
// Reading depot's own order input: the body of POST /api/v1/orders, of PATCH /api/v1/orders/{id},
// and of a generic platform's webhook (http/platform_orders.h). Unknown fields are refused, and
// every fault is named by its path ("lines[0].quantity", "customer.name").

#include <boost/json.hpp>

#include <vector>

#include "app/order_service.h"
#include "domain/result.h"
#include "http/json_input.h"

namespace depot::http {

OrderDraft read_order_draft(const boost::json::object& body, std::vector<FieldError>& errors);
OrderPatch read_order_patch(const boost::json::object& body, std::vector<FieldError>& errors);

// Adds the domain's own checks on the fields that did read to the type errors found while
// reading, leaving out fields already named: one answer names every bad field at once.
void add_rule_errors(std::vector<FieldError>& errors, std::vector<FieldError> rule_errors);

}  // namespace depot::http
