#include "app/forecast_service.h"

#include <algorithm>
#include <span>

#include "app/paging.h"
#include "app/senders.h"
#include "domain/carriers.h"

namespace depot {

namespace {

Error product_not_found(const std::string& sku) {
  return error(ErrorCode::not_found, "product " + sku + " was not found");
}

ReorderPolicy policy_for(const ReportPolicy& reports, const std::string& sku) {
  return {reports.lead_days_for(sku), reports.review_days, reports.service_level};
}

// The merchant's days of the forecast window: kHistoryDays ending yesterday.
struct Window {
  Day today;
  Day from;
  std::string first() const { return format_day(from); }
  std::string last() const { return format_day(today - std::chrono::days{1}); }
};

Window window_at(Instant now, const ReportPolicy& reports) {
  Day today = local_today(now, reports.utc_offset_minutes);
  return {today, today - std::chrono::days{ForecastService::kHistoryDays}};
}

// One value per day of the window, zero where no row says otherwise.
std::vector<double> series_of(std::span<const DemandDay> rows, const Window& window) {
  std::vector<double> series(ForecastService::kHistoryDays, 0.0);
  for (const DemandDay& row : rows) {
    std::optional<Day> day = parse_day(row.day);
    if (!day) continue;
    auto index = (*day - window.from).count();
    if (index >= 0 && index < ForecastService::kHistoryDays) {
      series[static_cast<std::size_t>(index)] = static_cast<double>(row.units);
    }
  }
  return series;
}

std::int64_t available_of(ReadTx& tx, const std::string& sku) {
  std::int64_t available = 0;
  for (const StockRow& row : tx.stock_of(sku)) available += row.balance.available();
  return available;
}

struct Plan {
  DemandForecast forecast;
  ReorderAdvice advice;
};

Plan plan(std::span<const double> series, std::int64_t available, const ReorderPolicy& policy) {
  Plan p;
  p.forecast = forecast_demand(series, ForecastService::horizon(policy));
  p.advice = advise_reorder(p.forecast.daily, p.forecast.daily_sigma, available, policy);
  return p;
}

// Predictions for each customer and SKU of `rows` (sorted by phone, SKU and day), in that order.
std::vector<RepurchaseDue> predictions_of(const std::vector<PurchaseDay>& rows, Day today) {
  std::vector<RepurchaseDue> predictions;
  std::vector<Day> days;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (std::optional<Day> day = parse_day(rows[i].day)) days.push_back(*day);
    bool group_ends = i + 1 == rows.size() || rows[i + 1].phone != rows[i].phone ||
                      rows[i + 1].sku != rows[i].sku;
    if (!group_ends) continue;
    if (auto prediction = predict_repurchase(days, today)) {
      predictions.push_back({rows[i].phone, rows[i].sku, *prediction});
    }
    days.clear();
  }
  return predictions;
}

bool is_province_code(const std::string& code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int ForecastService::horizon(const ReorderPolicy& policy) {
  return static_cast<int>(
      std::max<std::int64_t>(kMinHorizonDays, policy.lead_days + policy.review_days));
}

Result<SkuForecast> ForecastService::forecast(const Actor& actor, const std::string& sku) {
  auto tx = store_.read(actor.tenant_id);
  if (!tx->low_stock_threshold(sku)) return product_not_found(sku);
  ReportPolicy reports = tx->settings().reports;
  Window window = window_at(clock_.now(), reports);
  std::vector<double> series = series_of(
      reports_.read_reports(actor.tenant_id)->demand_of(sku, window.first(), window.last()),
      window);

  SkuForecast result;
  result.sku = sku;
  result.available = available_of(*tx, sku);
  result.policy = policy_for(reports, sku);
  Plan p = plan(series, result.available, result.policy);
  for (std::size_t i = 0; i < series.size(); ++i) {
    result.history.push_back(
        {format_day(window.from + std::chrono::days{static_cast<int>(i)}), series[i]});
  }
  for (std::size_t i = 0; i < p.forecast.daily.size(); ++i) {
    result.daily.push_back(
        {format_day(window.today + std::chrono::days{static_cast<int>(i)}), p.forecast.daily[i]});
  }
  p.forecast.daily.clear();
  result.forecast = std::move(p.forecast);
  result.advice = p.advice;
  return result;
}

Result<std::vector<ReplenishmentLine>> ForecastService::replenishment(const Actor& actor) {
  auto tx = store_.read(actor.tenant_id);
  ReportPolicy reports = tx->settings().reports;
  Window window = window_at(clock_.now(), reports);
  std::vector<DemandDay> rows =
      reports_.read_reports(actor.tenant_id)->demand_by_sku(window.first(), window.last());

  std::vector<ReplenishmentLine> lines;
  auto begin = rows.begin();
  while (begin != rows.end()) {
    auto end = std::find_if(begin, rows.end(),
                            [&](const DemandDay& row) { return row.sku != begin->sku; });
    const std::string& sku = begin->sku;
    std::optional<Product> product = tx->find_product(sku);
    if (product) {
      ReplenishmentLine line;
      line.sku = sku;
      line.name = product->name;
      line.available = available_of(*tx, sku);
      line.policy = policy_for(reports, sku);
      Plan p = plan(series_of(std::span<const DemandDay>(begin, end), window), line.available,
                    line.policy);
      line.model = p.forecast.model;
      line.advice = p.advice;
      if (line.advice.reorder_now) lines.push_back(std::move(line));
    }
    begin = end;
  }
  // The fewest days of cover first; no cover figure (nothing forecast, only the safety stock)
  // last.
  std::stable_sort(lines.begin(), lines.end(),
                   [](const ReplenishmentLine& a, const ReplenishmentLine& b) {
                     const auto &x = a.advice.days_of_cover, &y = b.advice.days_of_cover;
                     if (x.has_value() != y.has_value()) return x.has_value();
                     return x.has_value() && *x < *y;
                   });
  return lines;
}

Result<RepurchaseDueList> ForecastService::repurchase_due(const Actor& actor, int within_days,
                                                          int limit) {
  if (within_days < 1 || within_days > kMaxWithinDays) {
    return invalid_field("within_days",
                         "must be between 1 and " + std::to_string(kMaxWithinDays) + " days");
  }
  if (Status size = check_page_size(limit); !size.ok()) return size.error();
  ReportPolicy reports = store_.read(actor.tenant_id)->settings().reports;
  Day today = local_today(clock_.now(), reports.utc_offset_minutes);
  std::vector<PurchaseDay> rows =
      reports_.read_reports(actor.tenant_id)
          ->repeat_purchases(format_day(today - std::chrono::days{kPurchaseHistoryDays}),
                             format_day(today));
  RepurchaseDueList due;
  for (RepurchaseDue& item : predictions_of(rows, today)) {
    if (is_due(item.prediction, today, within_days)) due.items.push_back(std::move(item));
  }
  std::stable_sort(due.items.begin(), due.items.end(),
                   [](const RepurchaseDue& a, const RepurchaseDue& b) {
                     if (a.prediction.expected != b.prediction.expected) {
                       return a.prediction.expected < b.prediction.expected;
                     }
                     return a.prediction.confidence > b.prediction.confidence;
                   });
  due.total = static_cast<std::int64_t>(due.items.size());
  if (due.items.size() > static_cast<std::size_t>(limit)) due.items.resize(limit);
  return due;
}

Result<std::vector<RepurchaseDue>> ForecastService::repurchase_of(const Actor& actor,
                                                                  const std::string& phone) {
  ReportPolicy reports = store_.read(actor.tenant_id)->settings().reports;
  Day today = local_today(clock_.now(), reports.utc_offset_minutes);
  std::vector<PurchaseDay> rows =
      reports_.read_reports(actor.tenant_id)
          ->repeat_purchases_of(phone, format_day(today - std::chrono::days{kPurchaseHistoryDays}),
                                format_day(today), reports.utc_offset_minutes);
  return predictions_of(rows, today);
}

Result<ShippingAdviceAnswer> ForecastService::shipping_advice(const Actor& actor,
                                                              const ShippingAdviceQuery& query) {
  std::vector<FieldError> errors;
  if (!is_province_code(query.province)) {
    errors.push_back({"province", "must be a six-digit province code such as 440000"});
  }
  if (!query.origin.empty() && !is_province_code(query.origin)) {
    errors.push_back({"origin", "must be a six-digit province code such as 330000"});
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  auto tx = store_.read(actor.tenant_id);
  Instant now = clock_.now();
  ShippingAdviceAnswer answer;
  answer.ship_at = query.ship_at.value_or(now);
  answer.deliver_by = query.deliver_by;
  if (query.deliver_on) {
    // The end of that day of the merchant's: the next day's midnight, in UTC.
    answer.deliver_by = Instant{*query.deliver_on + std::chrono::days{1}} -
                        std::chrono::minutes{tx->settings().reports.utc_offset_minutes};
  }
  if (answer.deliver_by && *answer.deliver_by <= answer.ship_at) {
    return invalid_field("deliver_by", "must be after the ship time");
  }
  std::shared_ptr<const EtaModel> model = etas_.model_of(actor.tenant_id, *tx, now);
  std::vector<std::string_view> codes;
  for (const Carrier& carrier : all_carriers()) codes.push_back(carrier.code);
  // Without an origin, parcels leave from where the merchant ships them.
  answer.origin = query.origin;
  if (answer.origin.empty()) {
    if (std::optional<SenderAddress> sender = main_sender(*tx)) {
      answer.origin = origin_province(*sender);
    }
  }
  answer.advice = advise_shipping(*model, codes, answer.origin, query.province, answer.ship_at,
                                  answer.deliver_by);
  return answer;
}

}  // namespace depot
