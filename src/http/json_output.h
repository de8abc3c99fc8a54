#pragma once
// Domain values as the JSON the API documents (docs/api.md, docs/openapi.json).

#include <boost/json.hpp>

#include <optional>
#include <string>

#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/order_service.h"
#include "app/rule_service.h"
#include "app/shipment_imports.h"
#include "http/message.h"

namespace depot::http {

// The order with its customer and address as `contact` allows (app/actor.h, contact_disclosure).
boost::json::object to_json(const Order& order, bool with_history, Disclosure contact);
boost::json::array to_json(const std::vector<HoldReason>& reasons);
boost::json::array to_json(const std::vector<std::string>& texts);
boost::json::object to_json(const Shipment& shipment);
boost::json::object to_json(const Rule& rule, const std::string& last_error);
boost::json::object to_json(const BlacklistEntry& entry);
boost::json::object to_json(const ImportReport& report);
boost::json::object to_json(const Product& product);
boost::json::object to_json(const ProductImage& image);
boost::json::object to_json(const StockLevel& stock);
boost::json::object to_json(const LedgerEntry& entry);
boost::json::object to_json(const Alert& alert);
boost::json::object to_json(const Warehouse& warehouse);
boost::json::object to_json(const EventRecord& record);
boost::json::object to_json(const MerchantSettings& settings);

// Optional values: null when empty or absent.
boost::json::value text_or_null(const std::string& text);
boost::json::value instant_or_null(const std::optional<Instant>& at);
boost::json::value id_or_null(std::int64_t id);  // null for 0

// {"items": [...], "next_cursor": "…" | null}
boost::json::object page(boost::json::array items, const std::string& next_cursor);

Response json_response(int status, const boost::json::value& body);

}  // namespace depot::http
