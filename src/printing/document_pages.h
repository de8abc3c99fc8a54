#pragma once
// depot's own documents laid out on a PageCanvas, each on as many pages as its lines need.
//
// Packing slip (发货单): the merchant, the title, the order number as Code 128 with the number
// under it, the order's date, the recipient, phone and address, the carrier and tracking number
// once shipped; then a table of the lines (SKU, name, location, quantity), their total and the
// notes. Later pages repeat the order number and the table's header.
//
// Pick list (拣货单): the title, the batch, the date and a summary (locations, SKUs, units,
// orders); then one group per location (its heading repeated when a page breaks inside it) with a
// row per SKU: name, quantity and the orders it is picked for.
//
// Keys are bilingual, Chinese first ("订单号 Order"). Long names and notes wrap and are cut short
// with "…" past a few lines, so every row fits on a page.

#include <string>

#include "app/documents.h"
#include "printing/code128.h"
#include "printing/page_canvas.h"

namespace depot::printing {

// `barcode` is the slip's order number encoded; `date` is the order's date as printed.
void draw_packing_slip(PageCanvas& canvas, const PackingSlip& slip, const Code128& barcode,
                       const std::string& date);
void draw_pick_list(PageCanvas& canvas, const PickList& list, const std::string& date);

}  // namespace depot::printing
