#pragma once
// What each export shows (RPT-2): its columns, and one row per order, stock movement or
// notification delivery, with times on the merchant's wall clock and a customer's contact details
// as the reader's role may see them in a list (SEC-3, app/actor.h). Pure functions.

#include <string>
#include <vector>

#include "app/notification_ports.h"
#include "app/ports.h"
#include "app/table_writer.h"
#include "domain/dashboard.h"
#include "domain/masking.h"

namespace depot {

struct ExportView {
  int utc_offset_minutes = 480;
  Disclosure contacts = Disclosure::masked;
};

// The instant on a wall clock `utc_offset_minutes` ahead of UTC, to the second.
LocalTime local_time(Instant at, int utc_offset_minutes);

std::vector<Column> order_columns();
std::vector<Cell> order_row(const Order& order, const ExportView& view);

std::vector<Column> movement_columns();
std::vector<Cell> movement_row(const LedgerEntry& entry, const ExportView& view);

std::vector<Column> notification_columns();
std::vector<Cell> notification_row(const Notification& delivery, const ExportView& view);

// The dashboard's table of days (RPT-1): orders, GMV and refunds of the orders created each day,
// and those orders by their status now.
std::vector<Column> dashboard_columns();
std::vector<Cell> dashboard_row(const OrderDay& day);

}  // namespace depot
