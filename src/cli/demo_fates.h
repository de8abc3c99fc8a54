#pragma once
// What happens to a demo order once it is placed (part of demo_plan.h): it is paid or left to the
// unpaid timeout, sometimes cancelled and refunded, dispatched by the warehouse with a carrier
// chosen by platform, value and distance, scanned along its route until delivered (now and then
// after a failed attempt or a stall), and afterwards perhaps rated, complained about, returned
// or exchanged, with the refunds that follow. Appends the steps, unsorted.

#include <optional>
#include <string>
#include <vector>

#include "cli/demo_calendar.h"
#include "cli/demo_people.h"
#include "cli/demo_plan.h"
#include "cli/demo_random.h"

namespace depot::cli {

class OrderFates {
 public:
  OrderFates(DemoRandom& random, std::vector<PlannedStep>& steps)
      : random_(random), steps_(steps) {}

  // Plans the life of order `index` (orders must come in the order they were placed).
  void follow(int index, const PlannedOrder& order, const DemoBuyer& buyer);

 private:
  template <class S>
  void add(Instant at, S step) {
    steps_.push_back({at, Step{std::move(step)}});
  }
  void scan(Instant at, const std::string& tracking_no, ParcelStatus status, std::string text,
            std::string location);
  // Sends a parcel to the buyer: the dispatch and the carrier's scans. Answers when it was
  // delivered.
  Instant send_parcel(int index, bool replacement, Instant shipped, const std::string& carrier,
                      const DemoBuyer& buyer, bool may_go_wrong);
  // A parcel's way from pickup to the city it goes to.
  struct Route {
    Instant last_scan;                    // its arrival in that city's hub
    Instant arrival;                      // when it may be delivered
    std::optional<Instant> stalled_from;  // when it went quiet, if it stalled
  };
  // The scans of a parcel from pickup until it reaches the city it goes to.
  Route travel(const std::string& number, Instant pickup, double hours, std::string_view from,
               std::string_view to, bool stalls);
  void after_delivery(int index, const PlannedOrder& order, const DemoBuyer& buyer,
                      Instant delivered, const std::string& carrier);
  // A complaint ticket, resolved a day or two later, with a refund of `compensation` (if any).
  void complain(int index, Instant at, std::string text, std::int64_t compensation);
  void send_back(int index, const PlannedOrder& order, const DemoBuyer& buyer, Instant delivered,
                 bool exchange, const std::string& carrier);
  void refund(int index, Instant at, std::int64_t amount, std::string reason, bool for_return);
  std::string choose_carrier(const PlannedOrder& order, const DemoBuyer& buyer);

  DemoRandom& random_;
  std::vector<PlannedStep>& steps_;
  Warehouse warehouse_;
  TrackingNumbers numbers_;
  bool complained_ = false;  // about the order being planned: one complaint per order
};

// An order's total in fen.
std::int64_t total_of(const PlannedOrder& order);

}  // namespace depot::cli
