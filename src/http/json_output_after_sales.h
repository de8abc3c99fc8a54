#pragma once
// After-sales values as the JSON the API documents (docs/openapi.json): returns and exchanges,
// refunds, delivery feedback and its summaries.

#include <boost/json.hpp>

#include "app/after_sales_ports.h"
#include "domain/after_sales.h"

namespace depot::http {

boost::json::object to_json(const ReturnRequest& request);
boost::json::object to_json(const Refund& refund);
boost::json::object to_json(const Feedback& feedback);
// One carrier's or SKU's summary, keyed "carrier" or "sku" after `by`.
boost::json::object to_json(const FeedbackSummary& summary, FeedbackGrouping by);

}  // namespace depot::http
