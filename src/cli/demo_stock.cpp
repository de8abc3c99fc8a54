#include "cli/demo_stock.h"

#include <algorithm>
#include <stdexcept>

namespace depot::cli {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

// The unpaid timeout of a new merchant (MerchantSettings::unpaid_timeout_seconds).
constexpr minutes kUnpaidTimeout{30};
constexpr std::int64_t kCase = 10;  // suppliers deliver in cases of ten

// What one SKU's days take from and give back to the shelves, in the order the history records
// them: first the orders placed that day (some before the morning's delivery), then what the
// day's other steps change (exchanges' replacements taken; cancellations and returns put back),
// then the unpaid orders the day's sweep cancels (put back).
struct SkuDays {
  explicit SkuDays(int days)
      : placed(static_cast<std::size_t>(days)),
        taken_later(static_cast<std::size_t>(days)),
        given_back(static_cast<std::size_t>(days)) {}
  std::vector<std::int64_t> placed, taken_later, given_back;
};

class StockPlanner {
 public:
  StockPlanner(const DemoWindow& window, DemoPlan& plan) : window_(window), plan_(plan) {
    for (const DemoProduct& product : demo_catalogue()) {
      skus_.emplace(std::string(product.sku), SkuDays(window.days));
    }
  }

  void read_steps() {
    std::vector<bool> paid(plan_.orders.size(), false);
    std::map<int, const RequestReturn*> returns;
    for (const PlannedStep& planned : plan_.steps) {
      if (const auto* pay = std::get_if<PayOrder>(&planned.step)) paid[order(pay->order)] = true;
      if (const auto* request = std::get_if<RequestReturn>(&planned.step)) {
        returns[request->order] = request;
      }
    }
    for (const PlannedStep& planned : plan_.steps) {
      std::size_t d = index_of(local_day(planned.at));
      if (const auto* create = std::get_if<CreateOrder>(&planned.step)) {
        for (const OrderLine& line : lines_of(create->order)) {
          skus_.at(line.sku).placed[d] += line.quantity;
        }
      } else if (const auto* cancel = std::get_if<CancelOrder>(&planned.step)) {
        for (const OrderLine& line : lines_of(cancel->order)) {
          skus_.at(line.sku).given_back[d] += line.quantity;
        }
      } else if (const auto* receive = std::get_if<ReceiveReturn>(&planned.step)) {
        const RequestReturn& request = *returns.at(receive->order);
        if (receive->restock) {
          for (const ReturnLine& line : request.lines) {
            skus_.at(line.sku).given_back[d] += line.quantity;
          }
        }
        if (request.kind == ReturnKind::exchange) {
          const auto& replaced =
              request.replacement_lines.empty() ? request.lines : request.replacement_lines;
          for (const ReturnLine& line : replaced) {
            skus_.at(line.sku).taken_later[d] += line.quantity;
          }
        }
      }
    }
    for (std::size_t i = 0; i < plan_.orders.size(); ++i) {
      if (!paid[i]) cancel_when_swept(plan_.orders[i]);
    }
  }

  void plan_receipts() {
    for (const DemoProduct& product : demo_catalogue()) {
      std::string sku(product.sku);
      const SkuDays& moves = skus_.at(sku);
      std::int64_t available = 0;
      for (int d = 0; d < window_.days; ++d) {
        std::size_t day = static_cast<std::size_t>(d);
        std::int64_t wanted = restock(product, moves, d, available);
        if (d == 0) {
          // The opening stock, taken in when the shop was set up.
          plan_.opening_stock[sku] = wanted;
          available += wanted;
        }
        // The night's orders come before the morning's delivery.
        check(available - moves.placed[day], sku, d);
        if (d > 0 && wanted > 0) {
          Instant at = local_time(window_.first_day + days(d), hours(8) + minutes(30));
          plan_.steps.push_back({at, ReceiveStock{sku, wanted}});
          available += wanted;
        }
        available -= moves.placed[day] + moves.taken_later[day];
        check(available, sku, d);
        available += moves.given_back[day];
      }
      plan_.closing_available[sku] = available;
    }
  }

 private:
  std::size_t order(int index) const { return static_cast<std::size_t>(index); }
  const std::vector<OrderLine>& lines_of(int index) const {
    return plan_.orders[order(index)].lines;
  }
  std::size_t index_of(Day day) const {
    return static_cast<std::size_t>((day - window_.first_day).count());
  }

  // The unpaid timeout cancels the order at the first sweep after it; the units come back after
  // the next day's orders (see sweep_time), or at the very end.
  void cancel_when_swept(const PlannedOrder& unpaid) {
    Instant overdue = unpaid.created_at + kUnpaidTimeout;
    std::size_t placed = index_of(local_day(unpaid.created_at));
    std::size_t last = static_cast<std::size_t>(window_.days) - 1;
    for (std::size_t d = placed; d <= std::min(placed + 1, last); ++d) {
      if (overdue <= sweep_time(window_, window_.first_day + days(d))) {
        std::size_t back = std::min(d + 1, last);
        for (const OrderLine& line : unpaid.lines) {
          skus_.at(line.sku).given_back[back] += line.quantity;
        }
        return;
      }
    }
  }

  // Units the SKU takes over `count` days from day `from`. The days after the history are
  // expected to take what its last four weeks took: the shop restocks for the weeks ahead whether
  // or not the history reaches them, so its shelves are not bare when the live orders come.
  std::int64_t need(const SkuDays& moves, int from, int count) const {
    std::int64_t units = 0;
    for (int d = from; d < std::min(window_.days, from + count); ++d) {
      units += taken(moves, d);
    }
    int beyond = from + count - std::max(from, window_.days);
    if (beyond > 0) {
      int recent = std::min(28, window_.days);
      std::int64_t last_weeks = 0;
      for (int d = window_.days - recent; d < window_.days; ++d) last_weeks += taken(moves, d);
      units += (last_weeks * beyond + recent - 1) / recent;
    }
    return units;
  }
  static std::int64_t taken(const SkuDays& moves, int d) {
    return moves.placed[static_cast<std::size_t>(d)] +
           moves.taken_later[static_cast<std::size_t>(d)];
  }

  // What must be available on the morning of day `from` for the SKU never to run short until the
  // end, counting what comes back on the way.
  std::int64_t need_until_end(const SkuDays& moves, int from) const {
    std::int64_t running = 0;
    std::int64_t most = 0;
    for (int d = from; d < window_.days; ++d) {
      running += taken(moves, d);
      most = std::max(most, running);
      running -= moves.given_back[static_cast<std::size_t>(d)];
    }
    return most;
  }

  // The delivery to take in on the morning of day `d`, or 0.
  std::int64_t restock(const DemoProduct& product, const SkuDays& moves, int d,
                       std::int64_t available) const {
    std::int64_t threshold = product.low_stock_threshold;
    if (d > 0 && available >= need(moves, d, 7) + threshold) return 0;
    std::int64_t wanted = need(moves, d, 21) + 2 * threshold - available;
    wanted = (wanted + kCase - 1) / kCase * kCase;
    if (product.ends_low) {
      std::int64_t remainder = std::max<std::int64_t>(1, threshold / 4);
      wanted = std::min(wanted, need_until_end(moves, d) + remainder - available);
    }
    return std::max<std::int64_t>(0, wanted);
  }

  void check(std::int64_t available, const std::string& sku, int d) const {
    if (available < 0) {
      throw std::logic_error("demo plan: " + sku + " runs short on day " + std::to_string(d));
    }
  }

  const DemoWindow& window_;
  DemoPlan& plan_;
  std::map<std::string, SkuDays> skus_;
};

}  // namespace

void plan_stock(const DemoWindow& window, DemoPlan& plan) {
  StockPlanner planner(window, plan);
  planner.read_steps();
  planner.plan_receipts();
}

}  // namespace depot::cli
