// Reports: the dashboard (RPT-1), every figure of a range of the merchant's days in one answer.
#include <boost/asio/awaitable.hpp>

#include "app/report_service.h"
#include "http/blocking.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::value number_or_null(const std::optional<double>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object status_counts(const OrderDay& totals) {
  json::object counts;
  for (std::size_t i = 0; i < totals.by_status.size(); ++i) {
    counts[to_string(kAllOrderStatuses[i])] = totals.by_status[i];
  }
  return counts;
}

json::object to_json(const Dashboard& board) {
  json::array per_day;
  for (const OrderDay& day : board.days) {
    per_day.push_back(json::object{{"date", day.day},
                                   {"orders", day.orders},
                                   {"gmv", day.gmv},
                                   {"refunded", day.refunded},
                                   {"cancelled", day.with_status(OrderStatus::cancelled)}});
  }
  const OrderDay& totals = board.totals;
  const ShipTotals& shipping = board.shipping;
  json::array carriers;
  for (const CarrierTotals& c : board.carriers) {
    carriers.push_back(json::object{
        {"carrier", c.carrier},
        {"delivered", c.delivered},
        {"average_transit_hours", number_or_null(average_hours(c.transit_seconds, c.delivered))}});
  }
  json::array channels;
  for (const ChannelTotals& c : board.channels) {
    channels.push_back(
        json::object{{"channel", c.channel},
                     {"succeeded", c.succeeded},
                     {"failed", c.failed},
                     {"success_rate", number_or_null(share(c.succeeded, c.succeeded + c.failed))}});
  }
  const AfterSalesTotals& after_sales = board.after_sales;
  json::array top_skus;
  for (const SkuTotals& s : board.top_skus) {
    top_skus.push_back(json::object{
        {"sku", s.sku}, {"units", s.units}, {"revenue", s.revenue}, {"orders", s.orders}});
  }
  json::array lowest;
  for (const SkuStock& s : board.stock.lowest) {
    lowest.push_back(json::object{{"sku", s.sku},
                                  {"name", s.name},
                                  {"on_hand", s.on_hand},
                                  {"reserved", s.reserved},
                                  {"available", s.available()},
                                  {"low_stock_threshold", s.low_stock_threshold}});
  }
  json::array low_stock;
  for (const LowStock& s : board.low_stock) {
    low_stock.push_back(json::object{{"sku", s.sku},
                                     {"available", s.available},
                                     {"threshold", s.threshold},
                                     {"since", format_instant(s.since)}});
  }
  return json::object{
      {"from", format_day(board.range.from)},
      {"to", format_day(board.range.to)},
      {"utc_offset_minutes", board.utc_offset_minutes},
      {"currency", board.currency},
      {"orders_per_day", std::move(per_day)},
      {"totals",
       json::object{{"orders", totals.orders},
                    {"gmv", totals.gmv},
                    {"refunded", totals.refunded},
                    {"cancelled", totals.with_status(OrderStatus::cancelled)},
                    {"average_order_value", number_or_null(average(totals.gmv, totals.orders))}}},
      {"status_counts", status_counts(totals)},
      {"on_time_ship_rate", number_or_null(board.on_time_ship_rate())},
      {"average_hours_to_ship", number_or_null(board.average_hours_to_ship())},
      {"shipping", json::object{{"shipped", shipping.shipped},
                                {"promised", shipping.promised},
                                {"on_time", shipping.on_time}}},
      {"carriers", std::move(carriers)},
      {"notifications", std::move(channels)},
      {"after_sales", json::object{{"returns", after_sales.returns},
                                   {"exchanges", after_sales.exchanges},
                                   {"complaints", after_sales.complaints},
                                   {"feedback", after_sales.feedback},
                                   {"average_rating", number_or_null(board.average_rating())},
                                   {"damaged", after_sales.damaged},
                                   {"return_rate", number_or_null(board.return_rate())},
                                   {"complaint_rate", number_or_null(board.complaint_rate())}}},
      {"top_skus", std::move(top_skus)},
      {"stock", json::object{{"skus", board.stock.skus},
                             {"on_hand", board.stock.on_hand},
                             {"reserved", board.stock.reserved},
                             {"available", board.stock.on_hand - board.stock.reserved},
                             {"lowest", std::move(lowest)}}},
      {"low_stock", std::move(low_stock)},
  };
}

}  // namespace

void add_report_routes(Router& router, ReportService& reports, asio::thread_pool& pool) {
  router.add(Method::get, "/api/v1/reports/dashboard", Permission::read,
             [&reports, &pool](Request& req) -> asio::awaitable<Response> {
               DashboardQuery query{query_text(req, "from"), query_text(req, "to")};
               Result<Dashboard> board = co_await run_blocking<Dashboard>(
                   pool, [&] { return reports.dashboard(req.actor, query); });
               if (!board.ok()) co_return problem(board.error());
               co_return json_response(200, to_json(*board));
             });
}

}  // namespace depot::http
