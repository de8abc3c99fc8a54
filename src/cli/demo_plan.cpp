#include "cli/demo_plan.h"

#include <algorithm>
#include <array>
#include <set>
#include <stdexcept>

#include "cli/demo_fates.h"
#include "cli/demo_stock.h"

namespace depot::cli {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr DemoProduct kCatalogue[] = {
    {"MUG-RED", "红色马克杯 Red mug", 3900, 20, 0.16, false},
    {"MUG-BLUE", "蓝色马克杯 Blue mug", 3900, 20, 0.10, false},
    {"TEA-LONGJING", "西湖龙井 250g Longjing tea", 16800, 10, 0.08, false},
    {"BAG-CANVAS", "帆布袋 Canvas bag", 5900, 30, 0.14, false},
    {"PEN-GEL", "中性笔 10 支 Gel pens", 1990, 20, 0.12, true},
    {"COFFEE-BEANS", "云南小粒咖啡豆 500g Yunnan coffee beans", 8900, 15, 0.08, false},
    {"TEA-PUER", "普洱茶饼 357g Pu'er tea cake", 12800, 10, 0.05, false},
    {"THERMOS", "保温杯 500ml Vacuum flask", 12900, 15, 0.07, false},
    {"NOTEBOOK", "A5 笔记本 3 本 A5 notebooks", 2990, 25, 0.09, true},
    // Sold now and then: most days see none.
    {"TEAPOT-CLAY", "紫砂壶 Yixing clay teapot", 26800, 2, 0.004, false},
    {"CHOPSTICKS", "乌木筷子 10 双 Ebony chopsticks", 4900, 5, 0.007, false},
};

// One-off orders on an ordinary day at the start of the year.
constexpr double kBaseOrders = 22;
constexpr int kRegulars = 110;

// When people order (local hour), relatively: late mornings and evenings.
constexpr std::array<double, 24> kHourly = {1.2, 0.6, 0.3, 0.2, 0.15, 0.2, 0.4, 0.8,
                                            1.5, 2.5, 3.2, 3.0, 2.6,  2.8, 3.0, 3.0,
                                            2.8, 2.4, 2.3, 3.0, 3.8,  4.2, 3.6, 2.2};

struct Platform {
  std::string_view name;
  double share;
};
constexpr Platform kPlatforms[] = {
    {"taobao", 0.55}, {"douyin", 0.18}, {"jd", 0.12}, {"pinduoduo", 0.08}, {"weixin", 0.07}};

// What regular customers come back for, and how often (days).
struct Habit {
  std::string_view sku;
  std::int64_t shortest;
  std::int64_t longest;
};
constexpr Habit kHabits[] = {{"COFFEE-BEANS", 18, 25},
                             {"TEA-LONGJING", 26, 35},
                             {"PEN-GEL", 30, 45},
                             {"NOTEBOOK", 35, 55},
                             {"TEA-PUER", 40, 60}};

const DemoProduct& product(std::string_view sku) {
  for (const DemoProduct& p : kCatalogue) {
    if (p.sku == sku) return p;
  }
  throw std::invalid_argument("no demo product " + std::string(sku));
}

unsigned month_of(Day day) {
  return static_cast<unsigned>(std::chrono::year_month_day{day}.month());
}

// How a SKU sells this day relative to its share: flasks in winter, new tea in spring, notebooks
// and pens for the school year and on weekdays (offices buy them).
double seasonal(std::string_view sku, Day day) {
  unsigned month = month_of(day);
  bool weekend = std::chrono::weekday{day} == std::chrono::Saturday ||
                 std::chrono::weekday{day} == std::chrono::Sunday;
  if (sku == "THERMOS") return month >= 11 || month <= 2 ? 2.2 : month >= 6 && month <= 8 ? 0.4 : 1;
  if (sku == "TEA-LONGJING") return month >= 3 && month <= 5 ? 2.0 : month == 9 ? 1.5 : 1;
  if (sku == "NOTEBOOK" || sku == "PEN-GEL") {
    return (month == 8 || month == 9 ? 1.8 : 1) * (weekend ? 0.7 : 1.2);
  }
  if (sku == "BAG-CANVAS") return month >= 4 && month <= 9 ? 1.3 : 0.8;
  return 1;
}

std::int64_t unit_price(const DemoProduct& p, Day day) {
  return sale_day(day) ? p.price * 88 / 100 / 10 * 10 : p.price;
}

std::string external_no(std::string_view platform, std::int64_t serial, Day day) {
  auto date = std::chrono::year_month_day{day};
  std::string yymmdd =
      std::to_string(static_cast<int>(date.year()) % 100 * 10000 +
                     static_cast<unsigned>(date.month()) * 100 + static_cast<unsigned>(date.day()));
  if (platform == "taobao") return std::to_string(3800000000000000000LL + serial * 7919);
  if (platform == "douyin") return std::to_string(6900000000000000000LL + serial * 104729);
  if (platform == "jd") return std::to_string(290000000000LL + serial * 37);
  if (platform == "pinduoduo") return yymmdd + "-" + std::to_string(400000000000000LL + serial);
  return "WX" + yymmdd + std::to_string(100000 + serial);
}

class OrderBook {
 public:
  OrderBook(const DemoWindow& window, DemoRandom& random, DemoPlan& plan)
      : window_(window), random_(random), plan_(plan) {}

  void plan_regulars() {
    for (int n = 0; n < kRegulars; ++n) {
      int buyer = add_buyer();
      const Habit& habit = random_.one_of<Habit>(kHabits);
      std::int64_t quantity = random_.chance(0.3) ? 2 : 1;
      double interval = static_cast<double>(random_.between(habit.shortest, habit.longest));
      std::string platform(random_.chance(0.6) ? "taobao" : "weixin");
      int hour = static_cast<int>(random_.between(8, 22));
      double day = random_.chance(0.75) ? random_.unit() * interval
                                        : static_cast<double>(random_.between(30, 220));
      double last_day = window_.days;
      if (random_.chance(0.12)) last_day = std::min(last_day, day + random_.between(90, 200));
      for (; day < last_day; day += interval * std::clamp(1 + 0.1 * random_.normal(), 0.75, 1.3)) {
        Day date = window_.first_day + days(static_cast<int>(day));
        std::vector<OrderLine> lines = {
            {std::string(habit.sku), quantity, unit_price(product(habit.sku), date)}};
        if (random_.chance(0.15)) add_line(lines, date);
        minutes at = hours(hour) + minutes(random_.between(-90, 90));
        place(buyer, date, std::clamp(at, minutes(0), minutes(24 * 60 - 1)), std::move(lines),
              platform);
      }
    }
  }

  void plan_one_off_orders() {
    std::vector<int> one_off;
    for (int d = 0; d < window_.days; ++d) {
      Day date = window_.first_day + days(d);
      double position = window_.days > 1 ? static_cast<double>(d) / (window_.days - 1) : 1;
      std::int64_t count = random_.poisson(kBaseOrders * order_level(date, position));
      for (std::int64_t i = 0; i < count; ++i) {
        int buyer;
        if (!one_off.empty() && random_.chance(0.08)) {
          buyer = one_off[static_cast<std::size_t>(
              random_.below(static_cast<std::int64_t>(one_off.size())))];
        } else {
          buyer = add_buyer();
          one_off.push_back(buyer);
        }
        minutes at =
            random_.chance(midnight_rush(date))
                ? minutes(random_.between(0, 59))
                : hours(static_cast<int>(random_.pick(kHourly))) + minutes(random_.between(0, 59));
        std::vector<OrderLine> lines;
        std::int64_t wanted = random_.chance(0.68) ? 1 : random_.chance(0.75) ? 2 : 3;
        for (std::int64_t l = 0; l < wanted; ++l) add_line(lines, date);
        std::array<double, std::size(kPlatforms)> shares{};
        for (std::size_t p = 0; p < shares.size(); ++p) shares[p] = kPlatforms[p].share;
        place(buyer, date, at, std::move(lines),
              std::string(kPlatforms[random_.pick(shares)].name));
      }
    }
  }

 private:
  int add_buyer() {
    plan_.buyers.push_back(new_buyer(random_, phones_));
    return static_cast<int>(plan_.buyers.size()) - 1;
  }

  // Adds a line of a SKU the order does not have yet, drawn by how the SKUs sell that day.
  void add_line(std::vector<OrderLine>& lines, Day date) {
    std::array<double, std::size(kCatalogue)> weights{};
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const DemoProduct& p = kCatalogue[i];
      bool taken = std::any_of(lines.begin(), lines.end(),
                               [&p](const OrderLine& line) { return line.sku == p.sku; });
      weights[i] = taken ? 0 : p.share * seasonal(p.sku, date);
    }
    const DemoProduct& p = kCatalogue[random_.pick(weights)];
    double draw = random_.unit();
    std::int64_t quantity = draw < 0.75 ? 1 : draw < 0.93 ? 2 : draw < 0.98 ? 3 : 4;
    lines.push_back({std::string(p.sku), quantity, unit_price(p, date)});
  }

  void place(int buyer, Day date, minutes at, std::vector<OrderLine> lines, std::string platform) {
    PlannedOrder order;
    order.buyer = buyer;
    order.created_at = local_time(date, at) + std::chrono::seconds(random_.between(0, 59));
    order.lines = std::move(lines);
    order.external_no = external_no(platform, ++serials_[platform], date);
    order.platform = std::move(platform);
    plan_.orders.push_back(std::move(order));
  }

  const DemoWindow& window_;
  DemoRandom& random_;
  DemoPlan& plan_;
  std::set<std::string> phones_;
  std::map<std::string, std::int64_t> serials_;
};

// Sorts steps by time, those at the same time in the order they were planned. Sorts their places
// first and moves each step once: steps are large.
void sort_by_time(std::vector<PlannedStep>& steps) {
  std::vector<std::pair<Instant, std::size_t>> places;
  places.reserve(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) places.emplace_back(steps[i].at, i);
  std::sort(places.begin(), places.end());
  std::vector<PlannedStep> sorted;
  sorted.reserve(steps.size());
  for (const auto& [at, i] : places) sorted.push_back(std::move(steps[i]));
  steps = std::move(sorted);
}

}  // namespace

std::span<const DemoProduct> demo_catalogue() { return kCatalogue; }

DemoWindow year_before(Instant now) {
  DemoWindow window;
  window.days = 365;
  window.first_day = local_day(now) - days(window.days - 1);
  window.end = now;
  return window;
}

Instant sweep_time(const DemoWindow& window, Day day) {
  return std::min(start_of(day + days(1)) - std::chrono::seconds(1), window.end);
}

DemoPlan plan_demo_history(const DemoWindow& window, std::uint64_t seed) {
  DemoRandom random(seed);
  DemoPlan plan;
  plan.setup_at = local_time(window.first_day - days(1), hours(10));
  OrderBook book(window, random, plan);
  book.plan_regulars();
  book.plan_one_off_orders();
  std::stable_sort(
      plan.orders.begin(), plan.orders.end(),
      [](const PlannedOrder& a, const PlannedOrder& b) { return a.created_at < b.created_at; });
  auto placed_by_end =
      std::find_if(plan.orders.begin(), plan.orders.end(),
                   [&](const PlannedOrder& o) { return o.created_at >= window.end; });
  plan.orders.erase(placed_by_end, plan.orders.end());

  OrderFates fates(random, plan.steps);
  for (std::size_t i = 0; i < plan.orders.size(); ++i) {
    const PlannedOrder& order = plan.orders[i];
    plan.steps.push_back({order.created_at, CreateOrder{static_cast<int>(i)}});
    fates.follow(static_cast<int>(i), order, plan.buyers[static_cast<std::size_t>(order.buyer)]);
  }
  std::erase_if(plan.steps, [&](const PlannedStep& s) { return s.at >= window.end; });
  plan_stock(window, plan);
  sort_by_time(plan.steps);
  return plan;
}

}  // namespace depot::cli
