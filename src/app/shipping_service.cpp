#include "app/shipping_service.h"

#include <algorithm>
#include <charconv>

#include "app/audit.h"
#include "app/order_writes.h"
#include "app/paging.h"
#include "app/parcel_progress.h"
#include "app/senders.h"
#include "app/stock_keeper.h"
#include "domain/carriers.h"
#include "domain/event_catalog.h"
#include "domain/order_changes.h"
#include "domain/order_state_machine.h"
#include "domain/ship_reminders.h"
#include "domain/text.h"

namespace depot {

namespace {

Error held_error(const Order& order) {
  Error refused{ErrorCode::invalid, "the order failed verification and is now on hold", {}};
  for (const HoldReason& reason : order.hold_reasons) {
    refused.fields.push_back({"status", reason.code + ": " + reason.message});
  }
  return refused;
}

// "<due millis>.<order id>": where the previous page of reminders ended.
std::optional<std::pair<std::int64_t, std::int64_t>> parse_cursor(const std::string& cursor) {
  auto dot = cursor.find('.');
  if (dot == std::string::npos) return std::nullopt;
  std::int64_t due = 0, id = 0;
  auto [a, ea] = std::from_chars(cursor.data(), cursor.data() + dot, due);
  auto [b, eb] = std::from_chars(cursor.data() + dot + 1, cursor.data() + cursor.size(), id);
  if (ea != std::errc() || eb != std::errc() || a != cursor.data() + dot ||
      b != cursor.data() + cursor.size()) {
    return std::nullopt;
  }
  return std::pair{due, id};
}

}  // namespace

Result<Shipped> ShippingService::ship_in(WriteTx& tx, const std::string& actor, Order& order,
                                         const ShipCommand& command, Instant now) {
  std::string tracking_no = normalized_tracking_no(command.tracking_no);
  const Carrier* carrier = find_carrier(trimmed(command.carrier));
  std::vector<Shipment> shipments = tx.shipments_of(order.id);
  for (const Shipment& earlier : shipments) {
    if (earlier.tracking_no != tracking_no) continue;
    if (carrier != nullptr && earlier.carrier == carrier->code) {
      return Shipped{earlier, order, false};
    }
    return error(ErrorCode::conflict, "tracking number " + tracking_no +
                                          " is already this order's parcel with " +
                                          earlier.carrier);
  }

  std::vector<FieldError> errors = shipping_blockers(order);
  if (carrier == nullptr) {
    errors.push_back({"carrier", "unknown carrier " + command.carrier +
                                     "; GET /api/v1/carriers lists the codes"});
  } else if (!is_valid_tracking_no(*carrier, tracking_no)) {
    errors.push_back(
        {"tracking_no", "is not a well-formed " + std::string(carrier->name_en) + " number"});
  }
  ShippedUnits shipped = shipped_units(shipments);
  Result<std::vector<ShipmentLine>> parcel = plan_parcel(order, shipped, command.lines);
  if (!parcel.ok()) {
    for (const FieldError& e : parcel.error().fields) errors.push_back(e);
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));

  Order before = order;
  if (hold_if_unverified(tx, actor, order, now)) return Shipped{{}, order, false};

  StockKeeper keeper(tx, actor, now);
  if (Status moved = keeper.ship_order(order.id, *parcel); !moved.ok()) return moved.error();
  Shipment shipment;
  shipment.order_id = order.id;
  shipment.carrier = std::string(carrier->code);
  shipment.tracking_no = tracking_no;
  shipment.lines = *parcel;
  shipment.shipped_at = command.shipped_at.value_or(now);
  shipment.created_at = now;
  shipment.actor = actor;
  tx.insert_shipment(shipment);
  Parcel tracked = new_parcel(order, shipment, now);
  // The writer reads the one warehouse row rather than every warehouse with its locations.
  std::optional<Warehouse> main = tx.find_warehouse(std::string(kMainWarehouse));
  if (main && main->sender) tracked.origin = origin_province(*main->sender);
  tx.insert_parcel(tracked);

  bool everything = ships_everything(order, shipped, *parcel);
  OrderStatus next = everything ? OrderStatus::shipped : OrderStatus::partially_shipped;
  std::string what = "parcel " + shipment.carrier + " " + tracking_no;
  if (order.status == next) {
    note(order, actor, what, now);
  } else if (Status moved = transition(order, next, actor, what, now); !moved.ok()) {
    return moved.error();
  }
  order.version += 1;
  save_order(tx, order, now);
  tx.append_event(events::shipment_created(order, shipment), now);
  std::vector<FieldChange> changes = order_changes(before, order);
  changes.push_back({"shipments", "", shipment.carrier + " " + tracking_no});
  record_audit(tx, actor, "order.ship", audit_object("order", order.id), std::move(changes), now);
  keeper.settle_alerts();
  return Shipped{std::move(shipment), order, true};
}

bool ShippingService::hold_if_unverified(WriteTx& tx, const std::string& actor, Order& order,
                                         Instant now) {
  // The last verification: what changed since payment (a new rule, a blacklisted phone) still
  // stops the parcel. The hold commits although the shipment is refused.
  Order before = order;
  verifier_.verify(tx, order, std::nullopt, false, actor, now);
  if (order.status != OrderStatus::on_hold) return false;
  order.version += 1;
  save_order(tx, order, now);
  record_audit(tx, actor, "order.hold", audit_object("order", order.id),
               order_changes(before, order), now);
  return true;
}

void ShippingService::ship(const Actor& actor, std::int64_t order_id, ShipCommand command,
                           Callback<Shipped> done) {
  if (Status allowed = require(actor, Permission::ship_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  run_write<Shipped>(
      store_, actor.tenant_id,
      [this, actor, order_id, command = std::move(command)](WriteTx& tx) -> Result<Shipped> {
        std::optional<Order> order = tx.find_order(order_id);
        if (!order) return order_not_found(order_id);
        return ship_in(tx, actor.name, *order, command, clock_.now());
      },
      // A parcel refused by the last verification is answered as refused, after the hold it
      // caused has committed.
      [done = std::move(done)](Result<Shipped> shipped) {
        if (shipped.ok() && shipped->order.status == OrderStatus::on_hold) {
          return done(held_error(shipped->order));
        }
        done(std::move(shipped));
      });
}

Result<std::vector<Shipment>> ShippingService::shipments(const Actor& actor,
                                                         std::int64_t order_id) {
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  if (!tx->find_order(order_id)) return order_not_found(order_id);
  return tx->shipments_of(order_id);
}

void ShippingService::release(const Actor& actor, std::int64_t order_id, ReleaseCommand command,
                              Callback<Order> done) {
  if (Status allowed = require(actor, Permission::ship_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < command.overrides.size(); ++i) {
    const std::string& code = command.overrides[i];
    auto checks = verification_checks();
    bool known = std::any_of(checks.begin(), checks.end(),
                             [&](const CheckInfo& check) { return check.code == code; });
    if (!known) {
      errors.push_back({"overrides[" + std::to_string(i) + "]", "is not a verification check"});
    }
  }
  if (!command.overrides.empty() && trimmed(command.reason).empty()) {
    errors.push_back({"reason", "is required to override a check"});
  }
  if (!errors.empty()) return done(invalid_fields(std::move(errors)));

  write_located<Order>(
      store_, verifier_, actor.tenant_id, order_id,
      [this, actor, order_id, command = std::move(command)](
          WriteTx& tx, const std::optional<Located>& located) -> Result<Order> {
        return release_in(tx, actor.name, order_id, command, located);
      },
      std::move(done));
}

Result<Order> ShippingService::release_in(WriteTx& tx, const std::string& actor,
                                          std::int64_t order_id, const ReleaseCommand& command,
                                          const std::optional<Located>& located) {
  std::optional<Order> order = tx.find_order(order_id);
  if (!order) return order_not_found(order_id);
  if (order->status == OrderStatus::awaiting_shipment ||
      order->status == OrderStatus::partially_shipped) {
    return *order;  // not held (any more): releasing again changes nothing
  }
  if (order->status != OrderStatus::on_hold) {
    return error(ErrorCode::conflict,
                 "an order that is " + std::string(to_string(order->status)) + " is not held");
  }
  Instant now = clock_.now();
  Order before = *order;
  std::string codes;
  for (const std::string& code : command.overrides) {
    if (std::find(order->overrides.begin(), order->overrides.end(), code) ==
        order->overrides.end()) {
      order->overrides.push_back(code);
    }
    codes += (codes.empty() ? "" : ", ") + code;
  }
  if (!codes.empty()) note(*order, actor, "overrode " + codes + ": " + command.reason, now);
  if (verifier_.verify(tx, *order, located, true, actor, now) != HoldChange::released) {
    Error still{ErrorCode::conflict, "the order still fails verification", {}};
    for (const HoldReason& reason : order->hold_reasons) {
      still.fields.push_back({reason.code, reason.message});
    }
    return still;
  }
  order->version += 1;
  save_order(tx, *order, now);
  std::vector<FieldChange> changes = order_changes(before, *order);
  add_change(changes, "reason", "", command.reason);
  record_audit(tx, actor, "order.release", audit_object("order", order_id), std::move(changes),
               now);
  return *order;
}

Result<ReminderPage> ShippingService::reminders(const Actor& actor, const std::string& cursor,
                                                int limit) {
  if (Status size = check_page_size(limit); !size.ok()) return size.error();
  Instant after_due{};
  std::int64_t after_id = 0;
  if (!cursor.empty()) {
    auto parsed = parse_cursor(cursor);
    if (!parsed) return invalid_field("cursor", "is not a cursor from this list");
    after_due = from_millis(parsed->first);
    after_id = parsed->second;
  }
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  ShipPromise promise = tx->settings().ship;
  Instant now = clock_.now();
  std::vector<Order> due = tx->orders_due_before(now + std::chrono::hours(promise.due_soon_hours),
                                                 after_due, after_id, limit + 1);
  ReminderPage page;
  for (Order& order : due) {
    Instant due_at = *order.ship_due_at;
    ReminderLevel level = reminder_level(promise, due_at, now);
    page.items.push_back(Reminder{std::move(order), due_at, level});
  }
  page.next_cursor = trim_page(page.items, limit, [](const Reminder& r) {
    return std::to_string(to_millis(r.due_at)) + "." + std::to_string(r.order.id);
  });
  return page;
}

Result<int> ShippingService::raise_reminders(TenantId tenant) {
  return run_write_blocking<int>(store_, tenant, [this](WriteTx& tx) -> Result<int> {
    Instant now = clock_.now();
    ShipPromise promise = tx.settings().ship;
    int raised = 0;
    Instant after_due{};
    std::int64_t after_id = 0;
    // Bounded per round so one merchant's backlog cannot hold the writer; the rest is raised on
    // the next round.
    for (int page = 0; page < 5; ++page) {
      std::vector<Order> due = tx.orders_due_before(
          now + std::chrono::hours(promise.due_soon_hours), after_due, after_id, 200);
      for (const Order& seen : due) {
        after_due = *seen.ship_due_at;
        after_id = seen.id;
        std::optional<ReminderLevel> level = reminder_to_raise(promise, seen, now);
        if (!level) continue;
        std::optional<Order> order = tx.find_order(seen.id);
        if (!order) continue;
        Order before = *order;
        order->reminder = *level;
        save_order(tx, *order, now);
        record_audit(tx, "system", "order.remind", audit_object("order", order->id),
                     order_changes(before, *order), now);
        tx.append_event(events::shipment_reminder(*order, *level), now);
        ++raised;
      }
      if (due.size() < 200) break;
    }
    return raised;
  });
}

}  // namespace depot
