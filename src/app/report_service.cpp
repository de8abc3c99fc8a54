#include "app/report_service.h"

namespace depot {

Result<Dashboard> ReportService::dashboard(const Actor& actor, const DashboardQuery& query) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  MerchantSettings settings = store_.read(actor.tenant_id)->settings();
  int offset = settings.reports.utc_offset_minutes;
  Result<DayRange> range = dashboard_range(query.from, query.to, local_today(clock_.now(), offset));
  if (!range.ok()) return range.error();

  Dashboard board;
  board.range = *range;
  board.utc_offset_minutes = offset;
  board.currency = settings.currency;
  std::string from = format_day(range->from), to = format_day(range->to);
  std::unique_ptr<ReportReads> reads = reports_.read_reports(actor.tenant_id);
  board.days = every_day(*range, reads->order_days(from, to), board.totals);
  board.shipping = reads->ship_totals(from, to);
  board.carriers = reads->carrier_totals(from, to);
  board.channels = reads->channel_totals(from, to);
  board.after_sales = reads->after_sales_totals(from, to);
  board.top_skus = reads->top_skus(from, to, kDashboardTopSkus);
  board.stock = reads->stock_summary(kDashboardLowestStock);
  board.low_stock = reads->low_stock(kDashboardLowStockAlerts);
  return board;
}

}  // namespace depot
