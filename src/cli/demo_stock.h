#pragma once
// The demo shop's stock (part of demo_plan.h): the opening stock and the supplier deliveries that
// keep every SKU available through the year whatever the orders take, planned from the orders'
// steps as the history will record them. A SKU is restocked when what is available would not
// cover the next week and its threshold, up to three weeks and twice the threshold; the SKUs that
// end low are never restocked beyond what the rest of the history takes (counting what comes
// back) and a quarter of their threshold, so they end below it.

#include "cli/demo_plan.h"

namespace depot::cli {

// Sets plan.opening_stock and plan.closing_available and adds the ReceiveStock steps (unsorted).
// Throws std::logic_error if the orders' steps would ever find a SKU short: a bug in the plan.
void plan_stock(const DemoWindow& window, DemoPlan& plan);

}  // namespace depot::cli
