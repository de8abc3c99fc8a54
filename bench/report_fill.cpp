// Fills a data directory with a year of one merchant's history through depot's own use cases, on a
// clock that walks the year, for the dashboard and scale-out benchmarks (bench/run.sh,
// BENCH_ONLY=dashboard and BENCH_ONLY=scale): orders created between 08:00 and midnight (UTC+8,
// more on Mondays, fewer at weekends) with 1–3 lines over 200 SKUs (--skus) of skewed popularity,
// for 100,000 customers; 92% paid within minutes, 4% cancelled unpaid, the rest cancelled by the
// unpaid sweep at the end of the day; the paid ones shipped the next day (5% two days late), 30% of
// the parcels delivered two days later, with a return request for 2% and feedback for 5% of those,
// and a complaint for 1% of the shipped orders.
// Every write goes through the same store code as `depot serve`, so the rollups are kept exactly as
// in production.
//
// Then it measures what the rollups cost an order's creation on the filled store: the writer's
// time per created order over the year's creations (wall, and its thread's CPU), and the time to
// apply a creation's rollup rows alone (apply_rollups, 20,000 orders shaped like the year's,
// committed 500 at a time, on a copy of the store).
//
// Prints one JSON object with the merchant's API key, what was written and the timings.
// Usage: depot_report_fill --data DIR [--orders 1000000] [--year 2025] [--skus 200] [--seed 1]

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "app/access_service.h"
#include "app/eta_cache.h"
#include "app/feedback_service.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "app/return_service.h"
#include "app/shipping_service.h"
#include "app/site_address.h"
#include "app/ticket_service.h"
#include "app/tracking_service.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/media_directory.h"
#include "store/sql/rollups.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using namespace depot;
using std::chrono::hours;
using std::chrono::minutes;
using Clockwork = std::chrono::steady_clock;

constexpr int kCustomers = 100000;
constexpr int kBeijing = 480;

class WalkingClock final : public Clock {
 public:
  Instant now() override { return now_.load(); }
  void set(Instant t) { now_ = t; }

 private:
  std::atomic<Instant> now_{};
};

// Counts callbacks of a batch of writes and waits for them all.
class Batch {
 public:
  template <class T>
  Callback<T> done() {
    {
      std::lock_guard lock(mutex_);
      ++pending_;
    }
    return [this](Result<T> result) {
      std::lock_guard lock(mutex_);
      if (!result.ok()) refused(result.error());
      if (--pending_ == 0) idle_.notify_all();
    };
  }
  template <class T>
  Callback<T> keep(std::vector<T>& into) {
    {
      std::lock_guard lock(mutex_);
      ++pending_;
    }
    return [this, &into](Result<T> result) {
      std::lock_guard lock(mutex_);
      if (result.ok()) {
        into.push_back(std::move(*result));
      } else {
        refused(result.error());
      }
      if (--pending_ == 0) idle_.notify_all();
    };
  }
  void wait() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return pending_ == 0; });
  }
  long failed() {
    std::lock_guard lock(mutex_);
    return failed_;
  }

 private:
  // The first few refusals are shown: the generated history should need none.
  void refused(const Error& error) {
    if (++failed_ <= 5) std::fprintf(stderr, "refused: %s\n", error.message.c_str());
  }

  std::mutex mutex_;
  std::condition_variable idle_;
  long pending_ = 0;
  long failed_ = 0;
};

std::string sku_name(int i) {
  char text[16];
  std::snprintf(text, sizeof text, "SKU-%03d", i);
  return text;
}

std::string phone_of(int customer) { return "139" + std::to_string(10000000 + customer); }

// Popularity falls with rank: SKU i is bought in proportion to 1/(i+1)^0.9, customer j comes back
// in proportion to 1/(j+1)^0.6.
std::discrete_distribution<int> ranked(int count, double exponent) {
  std::vector<double> weights;
  for (int i = 0; i < count; ++i) weights.push_back(1.0 / std::pow(i + 1, exponent));
  return std::discrete_distribution<int>(weights.begin(), weights.end());
}

struct Shaper {
  std::mt19937_64 random;
  std::discrete_distribution<int> skus;
  std::discrete_distribution<int> customers = ranked(kCustomers, 0.6);

  Shaper(std::uint64_t seed, int sku_count) : random(seed), skus(ranked(sku_count, 0.9)) {}
  double uniform() { return std::uniform_real_distribution<double>(0, 1)(random); }
  std::vector<OrderLine> lines() {
    std::vector<OrderLine> lines;
    int count = 1 + static_cast<int>(uniform() * 3);
    for (int i = 0; i < count; ++i) {
      int sku = skus(random);
      lines.push_back({sku_name(sku), 1 + static_cast<int>(uniform() * 3), 990 + sku * 100});
    }
    return lines;
  }
};

OrderDraft draft_of(Shaper& shape) {
  OrderDraft draft;
  draft.lines = shape.lines();
  draft.customer = {"顾客", phone_of(shape.customers(shape.random)), "", "", "", {}};
  draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号", "", {}, {}, {}};
  return draft;
}

long long thread_cpu_us() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

// The file whose first number is the CPU time, in nanoseconds, of the store's writer thread. The
// batch listener runs on the thread that answers commits, not on the writer, so the writer's CPU
// is read from outside it.
std::filesystem::path writer_schedstat() {
  // The writer names itself once it runs, a moment after the store is made.
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
      std::ifstream comm(task.path() / "comm");
      std::string name;
      std::getline(comm, name);
      if (name == "depot-writer") return task.path() / "schedstat";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("the store has no depot-writer thread");
}

long long cpu_us_of(const std::filesystem::path& schedstat) {
  std::ifstream in(schedstat);
  long long ns = 0;
  in >> ns;
  return ns / 1000;
}

// Midnight starting `day` of `year` on the merchant's clock (UTC+8), as a UTC instant.
Instant local_midnight(int year, int day) {
  std::chrono::sys_days first{std::chrono::year{year} / std::chrono::January / 1};
  return Instant{first + std::chrono::days{day}} - minutes{kBeijing};
}

}  // namespace

int main(int argc, char** argv) {
  std::string data;
  long total_orders = 1000000;
  int year = 2025;
  int sku_count = 200;
  std::uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--data") data = argv[i + 1];
    if (flag == "--orders") total_orders = std::stol(argv[i + 1]);
    if (flag == "--year") year = std::stoi(argv[i + 1]);
    if (flag == "--skus") sku_count = std::stoi(argv[i + 1]);
    if (flag == "--seed") seed = std::stoull(argv[i + 1]);
  }
  if (data.empty()) {
    std::fprintf(stderr,
                 "usage: depot_report_fill --data DIR [--orders N] [--year Y] [--skus N]\n");
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  std::filesystem::create_directories(data);
  sqlite::SqliteStore store((std::filesystem::path(data) / "depot.db").string());
  // The writer's time for the creation batches: wall (commits included, until durable) from the
  // batch listener, and its thread's CPU over each chunk of creations (nothing else writes then).
  std::atomic<long long> writer_us{0}, writer_jobs{0};
  long long writer_cpu_us = 0;
  std::atomic<bool> counting{false};
  const std::filesystem::path writer_cpu = writer_schedstat();
  store.on_batch_committed([&](std::size_t jobs, std::chrono::microseconds took) {
    if (counting) {
      writer_us += took.count();
      writer_jobs += static_cast<long long>(jobs);
    }
  });

  WalkingClock clock;
  clock.set(local_midnight(year, 0) - hours{1});
  files::MediaDirectory media((std::filesystem::path(data) / "media").string());
  rules::LuaRuleEngine engine;
  RuleBook book(engine);
  Verifier verifier(store, book, nullptr);
  AccessService access(store, clock);
  InventoryService inventory(store, clock, media);
  OrderService orders(store, clock, verifier);
  ShippingService shipping(store, clock, verifier);
  TicketService tickets(store, clock);
  ReturnService returns(store, clock);
  FeedbackService feedback(store, clock, tickets);
  struct NoTracker final : CarrierTracker {
    void subscribe(const TrackingAccount&, const TrackedParcel&,
                   std::function<void(Status)> done) override {
      done(error(ErrorCode::unavailable, "no aggregator in the benchmark"));
    }
    void query(const TrackingAccount&, const TrackedParcel&,
               std::function<void(Result<TrackingReport>)> done) override {
      done(error(ErrorCode::not_found, "no aggregator in the benchmark"));
    }
    Result<TrackingReport> read_push(const TrackingAccount&, std::string_view,
                                     std::string_view) const override {
      return error(ErrorCode::unauthenticated, "no aggregator in the benchmark");
    }
  } tracker;
  EtaCache etas;
  SiteAddress site;
  TrackingService tracking(store, clock, tracker, etas, site);

  Result<CreatedKey> key = access.create_key("bench", Role::owner);
  if (!key.ok()) {
    std::fprintf(stderr, "creating a key: %s\n", key.error().message.c_str());
    return 1;
  }
  Actor actor = *access.authenticate(key->key);
  {
    Batch setup;
    for (int i = 0; i < sku_count; ++i) {
      Product product;
      product.sku = sku_name(i);
      product.name = "商品 " + std::to_string(i);
      product.price = 990 + i * 100;
      product.low_stock_threshold = 10;
      inventory.create_product(actor, product, setup.done<Product>());
    }
    setup.wait();
    for (int i = 0; i < sku_count; ++i) {
      ReceiveCommand receipt;
      receipt.sku = sku_name(i);
      receipt.quantity = 1000000000;
      inventory.receive(actor, receipt, setup.done<StockLevel>());
    }
    setup.wait();
    if (setup.failed() > 0) {
      std::fprintf(stderr, "setting up the catalogue failed\n");
      return 1;
    }
  }

  Shaper shape(seed, sku_count);
  long created = 0, paid = 0, cancelled = 0, shipped = 0, late = 0, delivered = 0;
  long return_requests = 0, complaints = 0, feedbacks = 0, failures = 0;
  long long create_us = 0;  // wall time of the creation batches
  std::vector<std::vector<Order>> paid_by_day(367), late_by_day(367);
  std::vector<std::vector<Shipment>> shipped_by_day(367);
  auto started = Clockwork::now();
  int days = 365 + (std::chrono::year{year}.is_leap() ? 1 : 0);

  for (int day = 0; day < days; ++day) {
    Instant midnight = local_midnight(year, day);
    std::chrono::weekday weekday{
        std::chrono::sys_days{std::chrono::floor<std::chrono::days>(midnight + minutes{kBeijing})}};
    double factor = weekday == std::chrono::Monday                                         ? 1.3
                    : (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday) ? 0.75
                                                                                           : 1.0;
    long today = std::lround(static_cast<double>(total_orders) / days * factor);
    if (day == days - 1) today = std::max(0L, total_orders - created);

    // Ship yesterday's paid orders (and those held back two days) between 09:00 and 18:00.
    Batch ships;
    std::vector<Shipped> sent;
    std::vector<Order> to_ship;
    to_ship.swap(paid_by_day[day]);
    for (Order& order : late_by_day[day]) to_ship.push_back(std::move(order));
    for (std::size_t i = 0; i < to_ship.size(); ++i) {
      if (i % 500 == 0) {
        ships.wait();
        clock.set(midnight + hours{9} + minutes{static_cast<int>(540 * i / (to_ship.size() + 1))});
      }
      ShipCommand command{
          "SF", "SF" + std::to_string(1000000000000 + to_ship[i].id), std::nullopt, {}};
      if (to_ship[i].id % 3 == 0) {
        command.carrier = "YTO";
        command.tracking_no = "YT" + std::to_string(1000000000000 + to_ship[i].id);
      }
      shipping.ship(actor, to_ship[i].id, std::move(command), ships.keep(sent));
    }
    ships.wait();
    failures += ships.failed();
    for (Shipped& s : sent) shipped_by_day[day].push_back(std::move(s.shipment));
    shipped += static_cast<long>(shipped_by_day[day].size());

    // Deliveries of 30% of the parcels shipped two days ago (scanned 10:00–18:00); returns,
    // feedback, complaints.
    if (day >= 2) {
      Batch later;
      clock.set(midnight + hours{19});  // after the day's last delivery scan
      std::vector<Shipment>& parcels = shipped_by_day[day - 2];
      for (std::size_t i = 0; i < parcels.size(); ++i) {
        const Shipment& parcel = parcels[i];
        if (parcel.id % 10 < 3) {
          Instant at = midnight + hours{10} + minutes{static_cast<int>(parcel.id % 480)};
          tracking.add_checkpoints(actor, parcel.id, {{"delivered", "已签收", at, ""}},
                                   later.done<Parcel>());
          ++delivered;
        }
        if (i % 500 == 499) later.wait();
      }
      later.wait();
      clock.set(midnight + hours{20});
      for (const Shipment& parcel : parcels) {
        if (parcel.id % 10 >= 3) continue;
        if (parcel.id % 50 == 1) {
          NewReturn request;
          request.lines = {{parcel.lines.front().sku, 1}};
          request.reason = "尺码不合适";
          returns.request(actor, parcel.order_id, request, later.done<CreatedReturn>());
          ++return_requests;
        } else if (parcel.id % 20 == 2) {
          feedback.record(actor, parcel.order_id,
                          {parcel.id % 40 != 2, 3 + static_cast<std::int64_t>(parcel.id % 3), ""},
                          later.done<Feedback>());
          ++feedbacks;
        }
      }
      for (const Shipment& parcel : parcels) {
        if (parcel.id % 100 == 7) {
          feedback.complain(actor, parcel.order_id, "发货慢", later.done<Ticket>());
          ++complaints;
        }
      }
      later.wait();
      failures += later.failed();
      parcels.clear();
      parcels.shrink_to_fit();
    }

    // Today's orders between 08:00 and midnight, in chunks; each chunk paid or cancelled minutes
    // later.
    long made = 0;
    while (made < today) {
      long chunk = std::min(500L, today - made);
      Instant at = midnight + hours{8} + minutes{static_cast<int>(959 * made / today)};
      clock.set(at);
      std::vector<CreatedOrder> fresh;
      Batch creations;
      counting = true;
      long long chunk_cpu_us = cpu_us_of(writer_cpu);
      auto chunk_started = Clockwork::now();
      for (long i = 0; i < chunk; ++i) {
        orders.create(actor, {draft_of(shape), ""}, creations.keep(fresh));
      }
      creations.wait();
      writer_cpu_us += cpu_us_of(writer_cpu) - chunk_cpu_us;
      create_us +=
          std::chrono::duration_cast<std::chrono::microseconds>(Clockwork::now() - chunk_started)
              .count();
      counting = false;
      failures += creations.failed();
      created += static_cast<long>(fresh.size());
      made += chunk;

      clock.set(at + minutes{1});
      Batch settle;
      std::vector<Order> paid_now;
      for (const CreatedOrder& c : fresh) {
        double roll = shape.uniform();
        if (roll < 0.92) {
          orders.pay(actor, c.order.id, Payment{c.order.total, "alipay", "", {}},
                     settle.keep(paid_now));
        } else if (roll < 0.96) {
          orders.cancel(actor, c.order.id, "买家取消", settle.done<Order>());
          ++cancelled;
        }
      }
      settle.wait();
      failures += settle.failed();
      paid += static_cast<long>(paid_now.size());
      for (Order& order : paid_now) {
        bool held_back = order.id % 20 == 0;  // ships two days late
        late += held_back ? 1 : 0;
        int ship_day = std::min(days - 1, day + (held_back ? 3 : 1));
        (held_back ? late_by_day : paid_by_day)[ship_day].push_back(std::move(order));
      }
    }
    // The scheduler's unpaid sweep, as depot serve runs it: what was not paid within the
    // merchant's timeout is cancelled, so the store stays as it is once served.
    clock.set(midnight + hours{24} - std::chrono::seconds{1});
    if (Result<int> swept = orders.cancel_overdue_unpaid(actor.tenant_id); swept.ok()) {
      cancelled += *swept;
    } else {
      ++failures;
    }
    if (day % 30 == 0) {
      std::fprintf(stderr, "day %d: %ld orders, %.0f s\n", day, created,
                   std::chrono::duration<double>(Clockwork::now() - started).count());
    }
  }
  double fill_seconds = std::chrono::duration<double>(Clockwork::now() - started).count();
  store.close();

  // The rollups of a creation alone, for orders shaped like the year's, on a copy of the filled
  // store, committed 500 at a time as the writer commits creations.
  constexpr int kProbe = 20000, kProbeBatch = 500;
  double rollup_us = 0, rollup_cpu_us = 0;
  {
    std::filesystem::path copy = std::filesystem::path(data) / "probe.db";
    // The store is closed to writes; its WAL is copied along, as it may hold the last commits.
    for (const char* suffix : {"", "-wal"}) {
      std::filesystem::path from = (std::filesystem::path(data) / "depot.db").string() + suffix;
      if (std::filesystem::exists(from)) {
        std::filesystem::copy_file(from, copy.string() + suffix,
                                   std::filesystem::copy_options::overwrite_existing);
      }
    }
    std::vector<Order> probes;
    for (int i = 0; i < kProbe; ++i) {
      Order order;
      OrderDraft draft = draft_of(shape);
      order.lines = draft.lines;
      for (const OrderLine& line : order.lines) order.total += line.quantity * line.unit_price;
      order.customer = draft.customer;
      order.created_at = local_midnight(year, days - 1) + hours{12} + minutes{i % 600};
      probes.push_back(std::move(order));
    }
    {
      sqlite::Connection db(copy.string(), true);
      auto probe_started = Clockwork::now();
      long long cpu_started = thread_cpu_us();
      for (int i = 0; i < kProbe; ++i) {
        if (i % kProbeBatch == 0) db.exec(i == 0 ? "BEGIN IMMEDIATE" : "COMMIT; BEGIN IMMEDIATE");
        sql::apply_rollups(db, actor.tenant_id, order_rollups(facts_of(probes[i]), kBeijing));
      }
      db.exec("COMMIT");
      rollup_cpu_us = static_cast<double>(thread_cpu_us() - cpu_started) / kProbe;
      rollup_us =
          std::chrono::duration<double, std::micro>(Clockwork::now() - probe_started).count() /
          kProbe;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(copy.string() + suffix);
    }
  }

  auto per_create = [&](long long total) {
    return writer_jobs > 0 ? static_cast<double>(total) / static_cast<double>(writer_jobs) : 0.0;
  };
  std::printf(
      "{\"key\": \"%s\", \"year\": %d, \"days\": %d, \"orders\": %ld, \"paid\": %ld, "
      "\"cancelled\": %ld, \"shipped\": %ld, \"shipped_late\": %ld, \"delivered\": %ld, "
      "\"return_requests\": %ld, \"feedback\": %ld, \"complaints\": %ld, \"failures\": %ld, "
      "\"skus\": %d, \"customers\": %d, \"fill_seconds\": %.1f, "
      "\"create_wall_us_per_order\": %.1f, \"writer_us_per_create\": %.1f, "
      "\"writer_cpu_us_per_create\": %.1f, \"rollup_us_per_create\": %.2f, "
      "\"rollup_cpu_us_per_create\": %.2f}\n",
      key->key.c_str(), year, days, created, paid, cancelled, shipped, late, delivered,
      return_requests, feedbacks, complaints, failures, sku_count, kCustomers, fill_seconds,
      created > 0 ? static_cast<double>(create_us) / created : 0.0, per_create(writer_us),
      per_create(writer_cpu_us), rollup_us, rollup_cpu_us);
  return 0;
}
