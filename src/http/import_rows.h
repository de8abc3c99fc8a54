#pragma once
// Rows of the bulk CSV imports of shipments (SPEC SHP-5) and of tracking checkpoints, read from
// parsed records (http/csv.h). What a row cannot hold is kept as a failed row naming its column,
// so a file is answered row by row. Pure; thread-safe.

#include <vector>

#include "app/shipping_ports.h"
#include "app/tracking_service.h"
#include "http/csv.h"

namespace depot::http {

// Rows of a bulk shipment file: order_no,carrier,tracking_no[,sku,quantity], with or without that
// header line.
std::vector<ImportRow> read_import_rows(const std::vector<CsvRow>& records);

// Rows of a tracking file: tracking_no,status,text,at[,location], with or without that header.
// `at` is RFC 3339 or as spreadsheets write it, "2026-11-23 14:05[:06]", which is China time.
std::vector<CheckpointRow> read_checkpoint_rows(const std::vector<CsvRow>& records);

}  // namespace depot::http
