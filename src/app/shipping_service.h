#pragma once
// Shipping use cases (SPEC SHP-1, SHP-3, SHP-4): confirming a parcel after the last verification,
// releasing a held order (with overrides of named checks), and shipping reminders — listed for the
// merchant and raised once per level by the scheduler. Writes complete through a callback once
// durable; reads are synchronous. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/verifier.h"
#include "app/write.h"
#include "domain/shipment.h"

namespace depot {

struct ShipCommand {
  std::string carrier;  // any code GET /carriers lists ("SF", "shunfeng", …)
  std::string tracking_no;
  std::optional<Instant> shipped_at;
  std::vector<ShipmentLine> lines;  // empty: everything left to ship
};

struct Shipped {
  Shipment shipment;
  Order order;
  bool created = false;  // false when this tracking number was already this order's parcel
};

struct ReleaseCommand {
  std::vector<std::string> overrides;  // check codes the operator takes responsibility for
  std::string reason;
};

struct Reminder {
  Order order;
  Instant due_at;
  ReminderLevel level = ReminderLevel::none;
};

struct ReminderPage {
  std::vector<Reminder> items;
  std::string next_cursor;  // empty on the last page
};

class ShippingService {
 public:
  ShippingService(Store& store, Clock& clock, Verifier& verifier)
      : store_(store), clock_(clock), verifier_(verifier) {}

  // Confirms a parcel. Refuses (422) naming every failed check at once: unpaid, held, unknown
  // carrier, malformed tracking number, more than was ordered. An order that fails the last
  // verification is put on hold (that commits) and the shipment is refused.
  void ship(const Actor& actor, std::int64_t order_id, ShipCommand command, Callback<Shipped> done);
  Result<std::vector<Shipment>> shipments(const Actor& actor, std::int64_t order_id);

  // Verifies a held order again; it goes back to awaiting shipment only if every check passes
  // (409 naming the failed ones otherwise). Overridden checks are remembered on the order.
  void release(const Actor& actor, std::int64_t order_id, ReleaseCommand command,
               Callback<Order> done);

  // Orders due soon, overdue or escalated, soonest first.
  Result<ReminderPage> reminders(const Actor& actor, const std::string& cursor, int limit);
  // Raises shipment.due_soon / overdue / escalated for this merchant's orders that reached a new
  // level; returns how many. Blocking: for the scheduler.
  Result<int> raise_reminders(TenantId tenant);

  // Confirms one parcel inside a write that already holds the order (the bulk import's path).
  Result<Shipped> ship_in(WriteTx& tx, const std::string& actor, Order& order,
                          const ShipCommand& command, Instant now);
  // The last verification before a parcel leaves: an order that fails it is put on hold (saved,
  // audited) and true is answered. For paid orders that are not held.
  bool hold_if_unverified(WriteTx& tx, const std::string& actor, Order& order, Instant now);

 private:
  Result<Order> release_in(WriteTx& tx, const std::string& actor, std::int64_t order_id,
                           const ReleaseCommand& command, const std::optional<Located>& located);

  Store& store_;
  Clock& clock_;
  Verifier& verifier_;
};

}  // namespace depot
