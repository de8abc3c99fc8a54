#pragma once
// Reading the bodies of the catalogue and stock routes: products (POST and PATCH
// /api/v1/products), warehouses, their locations and sender address, and the stock commands
// (receipts, adjustments, transfers). Unknown fields are refused and every fault is named by its
// path; the Idempotency-Key of a stock command is the handler's to add, from the header.

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "app/inventory_service.h"
#include "domain/catalog.h"
#include "domain/result.h"

namespace depot::http {

// The body of POST /api/v1/warehouses.
struct WarehouseInput {
  std::string code;
  std::string name;
};

Product read_product_draft(const boost::json::object& body, std::vector<FieldError>& errors);
ProductPatch read_product_patch(const boost::json::object& body, std::vector<FieldError>& errors);
WarehouseInput read_warehouse(const boost::json::object& body, std::vector<FieldError>& errors);
SenderAddress read_sender_address(const boost::json::object& body, std::vector<FieldError>& errors);
// The body of POST /api/v1/warehouses/{code}/locations: the new location's code.
std::string read_location_code(const boost::json::object& body, std::vector<FieldError>& errors);
ReceiveCommand read_receipt(const boost::json::object& body, std::vector<FieldError>& errors);
AdjustCommand read_adjustment(const boost::json::object& body, std::vector<FieldError>& errors);
TransferCommand read_transfer(const boost::json::object& body, std::vector<FieldError>& errors);

}  // namespace depot::http
