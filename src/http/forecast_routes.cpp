// Demand forecasts and the replenishment list (RPT-3), repurchase predictions, and shipping advice
// (RPT-4). Every route reads; numbers are rounded for people (demand and hours to 0.01, errors
// and confidences to 0.001), and a figure that cannot be had is null.
#include <boost/asio/awaitable.hpp>

#include "domain/carriers.h"
#include "domain/dashboard.h"
#include "domain/rounding.h"
#include "http/blocking.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::value rounded_or_null(const std::optional<double>& value, double scale) {
  if (!value) return nullptr;
  return rounded(*value, scale);
}

json::object to_json(const ForecastError& error) {
  return {{"mase", rounded_or_null(error.mase, 1000)},
          {"smape", rounded_or_null(error.smape, 1000)}};
}

json::array to_json(const std::vector<DailyDemand>& days) {
  json::array out;
  for (const DailyDemand& d : days) {
    out.push_back(json::object{{"date", d.date}, {"demand", rounded(d.demand, 100)}});
  }
  return out;
}

// The reorder figures shared by a forecast and a line of the replenishment list.
void add_reorder(json::object& out, std::int64_t available, const ReorderPolicy& policy,
                 const ReorderAdvice& advice) {
  out["available"] = available;
  out["lead_days"] = policy.lead_days;
  out["review_days"] = policy.review_days;
  out["service_level"] = policy.service_level;
  out["mean_daily_demand"] = rounded(advice.mean_daily_demand, 100);
  out["lead_time_demand"] = rounded(advice.lead_time_demand, 100);
  out["safety_stock"] = rounded(advice.safety_stock, 100);
  out["reorder_point"] = rounded(advice.reorder_point, 100);
  out["suggested_quantity"] = advice.suggested_quantity;
  out["days_of_cover"] = rounded_or_null(advice.days_of_cover, 100);
  out["reorder_now"] = advice.reorder_now;
}

json::object to_json(const SkuForecast& f) {
  json::object out{{"sku", f.sku},
                   {"daily", to_json(f.daily)},
                   {"history", to_json(f.history)},
                   {"model", to_string(f.forecast.model)},
                   {"error", to_json(f.forecast.error)},
                   {"baseline_error", to_json(f.forecast.baseline_error)},
                   {"daily_sigma", rounded(f.forecast.daily_sigma, 100)},
                   {"history_days", f.forecast.history_days},
                   {"zero_share", rounded(f.forecast.zero_share, 1000)}};
  add_reorder(out, f.available, f.policy, f.advice);
  return out;
}

json::object to_json(const ReplenishmentLine& line) {
  json::object out{{"sku", line.sku}, {"name", line.name}, {"model", to_string(line.model)}};
  add_reorder(out, line.available, line.policy, line.advice);
  return out;
}

json::object to_json(const RepurchasePrediction& p) {
  return {{"purchases", p.purchases},
          {"interval_days", rounded(p.interval_days, 100)},
          {"last_purchase_at", format_day(p.last_purchase)},
          {"expected_at", format_day(p.expected)},
          {"confidence", rounded(p.confidence, 1000)}};
}

json::object to_json(const CarrierAdvice& c) {
  const Carrier* carrier = find_carrier(c.carrier);
  return {{"carrier", c.carrier},
          {"name", carrier != nullptr ? std::string(carrier->name_zh) : c.carrier},
          {"basis", to_string(c.basis)},
          {"samples", c.samples},
          {"median_hours", rounded(c.median_hours, 100)},
          {"p80_hours", rounded(c.p80_hours, 100)},
          {"expected_at", format_instant(c.expected_at)},
          {"late_at", format_instant(c.late_at)},
          {"latest_ship_at", instant_or_null(c.latest_ship_at)},
          {"meets_promise", c.meets_promise}};
}

// ship_at (an instant) and deliver_by (an instant, or a date: the end of that day of the
// merchant's) of the shipping advice's query.
Result<ShippingAdviceQuery> read_advice_query(const Request& req) {
  ShippingAdviceQuery query;
  query.province = query_text(req, "province");
  query.origin = query_text(req, "origin");
  std::vector<FieldError> errors;
  if (std::string text = query_text(req, "ship_at"); !text.empty()) {
    query.ship_at = parse_instant(text);
    if (!query.ship_at || text.size() == 10) {
      errors.push_back({"ship_at", "must be an RFC 3339 time such as 2026-05-01T09:00:00Z"});
    }
  }
  if (std::string text = query_text(req, "deliver_by"); !text.empty()) {
    if (text.size() == 10) {
      query.deliver_on = parse_day(text);
    } else {
      query.deliver_by = parse_instant(text);
    }
    if (!query.deliver_on && !query.deliver_by) {
      errors.push_back({"deliver_by", "must be a date (YYYY-MM-DD) or an RFC 3339 time"});
    }
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return query;
}

}  // namespace

void add_forecast_routes(Router& router, ForecastService& forecasts, asio::thread_pool& pool) {
  router.add(Method::get, "/api/v1/forecast/{sku}",
             [&forecasts, &pool](Request& req) -> asio::awaitable<Response> {
               Result<SkuForecast> found = co_await run_blocking<SkuForecast>(
                   pool, [&] { return forecasts.forecast(req.actor, req.params.at("sku")); });
               if (!found.ok()) co_return problem(found.error());
               co_return json_response(200, to_json(*found));
             });

  router.add(Method::get, "/api/v1/replenishment",
             [&forecasts, &pool](Request& req) -> asio::awaitable<Response> {
               Result<std::vector<ReplenishmentLine>> lines =
                   co_await run_blocking<std::vector<ReplenishmentLine>>(
                       pool, [&] { return forecasts.replenishment(req.actor); });
               if (!lines.ok()) co_return problem(lines.error());
               json::array items;
               for (const ReplenishmentLine& line : *lines) items.push_back(to_json(line));
               co_return json_response(200, json::object{{"items", std::move(items)}});
             });

  router.add(Method::get, "/api/v1/customers/repurchase-due",
             [&forecasts, &pool](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> within =
                   query_integer(req, "within_days", 7, INT32_MIN, INT32_MAX);
               if (!within.ok()) co_return problem(within.error());
               Result<std::int64_t> limit = query_integer(req, "limit", 100, INT32_MIN, INT32_MAX);
               if (!limit.ok()) co_return problem(limit.error());
               Result<RepurchaseDueList> due = co_await run_blocking<RepurchaseDueList>(pool, [&] {
                 return forecasts.repurchase_due(req.actor, static_cast<int>(*within),
                                                 static_cast<int>(*limit));
               });
               if (!due.ok()) co_return problem(due.error());
               Disclosure contact = contact_disclosure(req.actor.role, ContactView::list);
               json::array items;
               for (const RepurchaseDue& item : due->items) {
                 json::object out = to_json(item.prediction);
                 out["phone"] = disclose_phone(item.phone, contact);
                 out["sku"] = item.sku;
                 items.push_back(std::move(out));
               }
               co_return json_response(
                   200, json::object{{"items", std::move(items)}, {"total", due->total}});
             });

  router.add(Method::get, "/api/v1/customers/{phone}/repurchase",
             [&forecasts](Request& req) -> asio::awaitable<Response> {
               const std::string& phone = req.params.at("phone");
               Result<std::vector<RepurchaseDue>> found = forecasts.repurchase_of(req.actor, phone);
               if (!found.ok()) co_return problem(found.error());
               json::array items;
               for (const RepurchaseDue& item : *found) {
                 json::object out = to_json(item.prediction);
                 out["sku"] = item.sku;
                 items.push_back(std::move(out));
               }
               Disclosure contact = contact_disclosure(req.actor.role, ContactView::record);
               co_return json_response(200, json::object{{"phone", disclose_phone(phone, contact)},
                                                         {"items", std::move(items)}});
             });

  router.add(Method::get, "/api/v1/shipping/advice",
             [&forecasts](Request& req) -> asio::awaitable<Response> {
               Result<ShippingAdviceQuery> query = read_advice_query(req);
               if (!query.ok()) co_return problem(query.error());
               Result<ShippingAdviceAnswer> advice = forecasts.shipping_advice(req.actor, *query);
               if (!advice.ok()) co_return problem(advice.error());
               json::array carriers;
               for (const CarrierAdvice& c : advice->advice.carriers)
                 carriers.push_back(to_json(c));
               co_return json_response(
                   200, json::object{{"province", query->province},
                                     {"origin", text_or_null(advice->origin)},
                                     {"ship_at", format_instant(advice->ship_at)},
                                     {"deliver_by", instant_or_null(advice->deliver_by)},
                                     {"fastest", text_or_null(advice->advice.fastest)},
                                     {"carriers", std::move(carriers)}});
             });
}

}  // namespace depot::http
