#pragma once
// A year of the demo shop's trade as data, before any of it is recorded: who ordered what and
// when, and every step that followed — payment or the unpaid timeout, cancellations, dispatch
// with one of four carriers, the carriers' scans up to delivery (a few exceptions and stalls),
// feedback, complaints, returns and exchanges, refunds — and the stock receipts that keep the
// shelves full (two SKUs are left low at the end). Demand has a weekly pattern, a gentle trend,
// the seasons and the 618 and Singles' Day peaks; a few SKUs sell only now and then; regular
// customers rebuy their SKUs at roughly regular intervals among many one-off buyers.
//
// Pure and deterministic: the same window and seed give the same plan. demo_history.h records
// it through the use cases.

#include <chrono>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/demo_calendar.h"
#include "cli/demo_people.h"
#include "domain/after_sales.h"
#include "domain/tracking.h"

namespace depot::cli {

inline constexpr std::uint64_t kDemoSeed = 20261111;

struct DemoProduct {
  std::string_view sku;
  std::string_view name;
  std::int64_t price = 0;  // fen
  std::int64_t low_stock_threshold = 0;
  double share = 0;       // of order lines on an ordinary day
  bool ends_low = false;  // the history ends with its stock below the threshold
};

// The shop's products; the first four are the ones the demo's live orders buy.
std::span<const DemoProduct> demo_catalogue();

// The steps, each recorded by one use case (or, for scans, by a tracking import).
struct ReceiveStock {
  std::string sku;
  std::int64_t quantity = 0;
};
struct CreateOrder {
  int order = 0;  // index into DemoPlan::orders
};
struct PayOrder {
  int order = 0;
  std::string method;
};
struct CancelOrder {
  int order = 0;
  std::string reason;
};
struct CreateRefund {
  int order = 0;
  std::int64_t amount = 0;
  std::string reason;
  bool for_return = false;  // pays for the order's return
};
struct CompleteRefund {
  int order = 0;
};
struct ShipParcel {
  int order = 0;
  bool replacement = false;  // the parcel of the order's exchange, not of the order itself
  std::string carrier;
  std::string tracking_no;
};
struct ScanParcel {
  std::string tracking_no;
  ParcelStatus status = ParcelStatus::in_transit;
  std::string text;
  std::string location;
};
struct LeaveFeedback {
  int order = 0;
  std::int64_t rating = 5;
  bool intact = true;
  std::string comment;
};
struct Complain {
  int order = 0;
  std::string text;
};
struct ResolveComplaint {
  int order = 0;
  std::string note;
};
struct RequestReturn {
  int order = 0;
  ReturnKind kind = ReturnKind::return_goods;
  std::vector<ReturnLine> lines;
  std::vector<ReturnLine> replacement_lines;
  std::string reason;
};
struct DecideReturn {
  int order = 0;
  bool approve = true;
  std::string note;
};
struct SendReturn {
  int order = 0;
  std::string carrier;
  std::string tracking_no;
};
struct ReceiveReturn {
  int order = 0;
  bool restock = true;
  std::string note;
};

using Step = std::variant<ReceiveStock, CreateOrder, PayOrder, CancelOrder, CreateRefund,
                          CompleteRefund, ShipParcel, ScanParcel, LeaveFeedback, Complain,
                          ResolveComplaint, RequestReturn, DecideReturn, SendReturn, ReceiveReturn>;

struct PlannedStep {
  Instant at;
  Step step;
};

struct PlannedOrder {
  int buyer = 0;  // index into DemoPlan::buyers
  Instant created_at;
  std::vector<OrderLine> lines;
  std::string platform;
  std::string external_no;
};

// The days to plan: `days` local days from `first_day`, and nothing at or after `end`.
struct DemoWindow {
  Day first_day;
  int days = 365;
  Instant end;
};

// The window of a year that ends at `now`: the 365 local days up to and including today.
DemoWindow year_before(Instant now);

// When the history runs a day's sweeps, as the scheduler would (shipping reminders, the unpaid
// timeout, stalled parcels): at the day's last second, or when the history ends on its last day.
// They are recorded after the next day's orders are placed, which never changes what they find.
Instant sweep_time(const DemoWindow& window, Day day);

struct DemoPlan {
  Instant setup_at;  // when the shop set up its products and opening stock
  std::vector<DemoBuyer> buyers;
  std::vector<PlannedOrder> orders;  // by creation time
  // By time. Orders are created first on their day; any other step that needs an id a step
  // answers (a return's, a refund's, a complaint ticket's, an exchange's replacement order) falls
  // on a later local day than that step.
  std::vector<PlannedStep> steps;
  std::map<std::string, std::int64_t> opening_stock;
  // Units available (on hand less reserved) per SKU once every step has been recorded.
  std::map<std::string, std::int64_t> closing_available;
};

DemoPlan plan_demo_history(const DemoWindow& window, std::uint64_t seed = kDemoSeed);

}  // namespace depot::cli
