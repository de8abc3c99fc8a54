#include "app/order_service.h"

#include "app/audit.h"
#include "app/order_writes.h"
#include "app/stock_keeper.h"
#include "domain/event_catalog.h"
#include "domain/order_changes.h"
#include "domain/order_rules.h"
#include "domain/order_state_machine.h"

namespace depot {

namespace {

Result<CreatedOrder> existing(WriteTx& tx, std::int64_t id) {
  std::optional<Order> order = tx.find_order(id);
  if (!order) return order_not_found(id);
  return CreatedOrder{std::move(*order), false};
}

}  // namespace

Result<PreparedOrder> prepare_order(CreateOrderCommand command) {
  if (std::vector<FieldError> errors = validate_draft(command.draft); !errors.empty()) {
    return invalid_fields(std::move(errors));
  }
  PreparedOrder prepared;
  prepared.fingerprint = draft_fingerprint(command.draft);
  normalise_address(command.draft.shipping_address);
  prepared.to_reserve = merge_lines(command.draft.lines);
  prepared.command = std::move(command);
  return prepared;
}

void OrderService::create(const Actor& actor, CreateOrderCommand command,
                          Callback<CreatedOrder> done) {
  if (Status allowed = require(actor, Permission::create_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  // Everything that needs no stored state is prepared here, off the store's single writer.
  Result<PreparedOrder> prepared = prepare_order(std::move(command));
  if (!prepared.ok()) return done(prepared.error());
  run_write<CreatedOrder>(
      store_, actor.tenant_id,
      [this, actor, prepared = std::move(*prepared)](WriteTx& tx) -> Result<CreatedOrder> {
        return create_in(tx, actor, prepared);
      },
      std::move(done));
}

Result<CreatedOrder> OrderService::create_in(WriteTx& tx, const Actor& actor,
                                             const PreparedOrder& prepared) {
  const CreateOrderCommand& command = prepared.command;
  const OrderDraft& draft = command.draft;
  const std::string& fingerprint = prepared.fingerprint;
  if (!command.idempotency_key.empty()) {
    if (auto seen = tx.find_order_by_idempotency_key(command.idempotency_key)) {
      if (seen->second != fingerprint) {
        return Error{ErrorCode::invalid,
                     "this Idempotency-Key was used for a different request",
                     {{"Idempotency-Key", "was used for a different request"}}};
      }
      return existing(tx, seen->first);
    }
  }
  if (!draft.platform.empty()) {
    if (auto seen = tx.find_order_by_external_no(draft.platform, draft.external_no)) {
      if (seen->second != fingerprint) {
        return Error{ErrorCode::invalid,
                     "this platform order number was used for a different order",
                     {{"external_no", "was used for a different order"}}};
      }
      return existing(tx, seen->first);
    }
  }

  Instant now = clock_.now();
  MerchantSettings settings = tx.settings();
  Order order = open_order(tx.next_order_id(), draft, settings.currency, actor.name, now,
                           settings.reports.utc_offset_minutes);
  StockKeeper keeper(tx, actor.name, now);
  if (Status stored = insert_new_order(tx, keeper, order, prepared.to_reserve,
                                       command.idempotency_key, fingerprint, now);
      !stored.ok()) {
    return stored.error();
  }
  keeper.settle_alerts();
  return CreatedOrder{std::move(order), true};
}

void OrderService::edit(const Actor& actor, std::int64_t id, std::int64_t expected_version,
                        OrderPatch patch, Callback<Order> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  std::vector<FieldError> errors;
  if (patch.lines) errors = validate_lines(*patch.lines);
  if (patch.customer) {
    for (auto& e : validate_customer(*patch.customer)) errors.push_back(std::move(e));
  }
  if (patch.shipping_address) {
    for (auto& e : validate_address(*patch.shipping_address)) errors.push_back(std::move(e));
  }
  if (!errors.empty()) return done(invalid_fields(std::move(errors)));
  if (patch.shipping_address) normalise_address(*patch.shipping_address);
  // Taken before `patch` moves into the write: the new address is what gets geocoded.
  std::optional<Address> new_address = patch.shipping_address;

  auto write = [this, actor, id, expected_version, patch = std::move(patch),
                done = std::move(done)](std::optional<Located> located) mutable {
    run_write<Order>(
        store_, actor.tenant_id,
        [this, actor, id, expected_version, patch = std::move(patch),
         located = std::move(located)](WriteTx& tx) -> Result<Order> {
          return edit_in(tx, actor, id, expected_version, patch, located);
        },
        std::move(done));
  };
  if (new_address) {
    verifier_.locate(actor.tenant_id, *new_address, std::move(write));
  } else {
    write(std::nullopt);
  }
}

Result<Order> OrderService::edit_in(WriteTx& tx, const Actor& actor, std::int64_t id,
                                    std::int64_t expected_version, const OrderPatch& patch,
                                    const std::optional<Located>& located) {
  std::optional<Order> order = tx.find_order(id);
  if (!order) return order_not_found(id);
  if (!version_matches(order->version, expected_version)) {
    return error(ErrorCode::precondition_failed, "the order is at version " +
                                                     std::to_string(order->version) + ", not " +
                                                     std::to_string(expected_version));
  }
  Instant now = clock_.now();
  Seconds window{tx.settings().edit_window_seconds};
  if (Status editable = check_editable(*order, now, window); !editable.ok()) {
    return editable.error();
  }
  Order before = *order;
  std::string changed;
  auto mark = [&](const char* field) {
    changed += (changed.empty() ? "" : ", ") + std::string(field);
  };
  StockKeeper keeper(tx, actor.name, now);
  if (patch.lines) {
    if (Status known = check_skus_exist(tx, *patch.lines); !known.ok()) return known.error();
    if (!tx.shipments_of(order->id).empty()) {
      return error(ErrorCode::conflict, "part of the order has shipped: its lines are settled");
    }
    keeper.release_order(order->id, "order edited");
    if (Status changed_lines = change_lines(*order, *patch.lines, actor.name, now);
        !changed_lines.ok()) {
      return changed_lines.error();
    }
    if (Status held = keeper.reserve_order(order->id, merge_lines(order->lines)); !held.ok()) {
      return held.error();
    }
    mark("lines");
  }
  if (patch.shipping_address) {
    order->shipping_address = *patch.shipping_address;
    mark("shipping_address");
  }
  if (patch.customer) {
    order->customer = *patch.customer;
    mark("customer");
  }
  if (patch.notes) {
    order->notes = *patch.notes;
    mark("notes");
  }
  if (changed.empty()) return *order;
  note(*order, actor.name, "edited: " + changed, now);
  order->version += 1;
  // What verification reads has changed: check again, and let a held order go if it now passes.
  if (patch.lines || patch.shipping_address || patch.customer) {
    verifier_.verify(tx, *order, located, true, actor.name, now);
  }
  save_order(tx, *order, now);
  if (patch.lines) tx.replace_order_lines(*order);
  tx.append_event(events::order_edited(*order, changed), now);
  record_audit(tx, actor.name, "order.update", audit_object("order", id),
               order_changes(before, *order), now);
  keeper.settle_alerts();
  return *order;
}

Status OrderService::cancel_in(WriteTx& tx, Order& order, const std::string& actor,
                               const std::string& reason, bool automatic, Instant now) {
  if (order.status == OrderStatus::on_hold && !tx.shipments_of(order.id).empty()) {
    return error(ErrorCode::conflict,
                 "part of the order has shipped: it cannot be cancelled; open an after-sales case");
  }
  Order before = order;
  if (Status cancelled = cancel_order(order, actor, reason, now); !cancelled.ok()) {
    return cancelled;
  }
  close_hold_alert(tx, order, now);
  StockKeeper keeper(tx, actor, now);
  keeper.release_order(order.id, "order cancelled");
  order.version += 1;
  save_order(tx, order, now);
  tx.append_event(events::order_cancelled(order, reason, automatic), now);
  std::vector<FieldChange> changes = order_changes(before, order);
  changes.push_back({"reason", "", reason});
  record_audit(tx, actor, "order.cancel", audit_object("order", order.id), std::move(changes), now);
  keeper.settle_alerts();
  return {};
}

void OrderService::cancel(const Actor& actor, std::int64_t id, std::string reason,
                          Callback<Order> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  if (reason.empty()) reason = "cancelled by merchant";
  run_write<Order>(
      store_, actor.tenant_id,
      [this, actor, id, reason = std::move(reason)](WriteTx& tx) -> Result<Order> {
        std::optional<Order> order = tx.find_order(id);
        if (!order) return order_not_found(id);
        if (Status cancelled = cancel_in(tx, *order, actor.name, reason, false, clock_.now());
            !cancelled.ok()) {
          return cancelled.error();
        }
        return *order;
      },
      std::move(done));
}

void OrderService::pay(const Actor& actor, std::int64_t id, Payment payment, Callback<Order> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  write_located<Order>(
      store_, verifier_, actor.tenant_id, id,
      [this, actor, id, payment = std::move(payment)](
          WriteTx& tx, const std::optional<Located>& located) -> Result<Order> {
        return pay_in(tx, actor, id, payment, located);
      },
      std::move(done));
}

Result<Order> OrderService::pay_in(WriteTx& tx, const Actor& actor, std::int64_t id,
                                   Payment payment, const std::optional<Located>& located) {
  std::optional<Order> order = tx.find_order(id);
  if (!order) return order_not_found(id);
  // A payment reference is recorded once: a platform or client retrying the same payment gets
  // the order as it is instead of paying twice.
  if (!payment.reference.empty() && tx.has_payment(id, payment.reference)) return *order;
  Instant now = clock_.now();
  if (payment.paid_at == Instant{}) payment.paid_at = now;
  Order before = *order;
  if (Status paid = apply_payment(*order, payment.amount, actor.name, now); !paid.ok()) {
    return paid.error();
  }
  if (order->status == before.status) {
    note(*order, actor.name, "payment of " + std::to_string(payment.amount), now);
  }
  order->version += 1;
  tx.record_payment(order->id, payment, now);
  if (order->status == OrderStatus::awaiting_shipment) {
    // Paid in full: the promise to ship starts now, and the order is checked before it may ship.
    MerchantSettings settings = tx.settings();
    if (!order->ship_due_at) order->ship_due_at = ship_due_at(settings.ship, order->platform, now);
    verifier_.verify(tx, *order, located, false, actor.name, now);
  }
  save_order(tx, *order, now);
  tx.append_event(events::order_paid(*order, payment.amount, payment.method), now);
  std::vector<FieldChange> changes = order_changes(before, *order);
  changes.push_back({"payment", "",
                     money_text(payment.amount) + " " + payment.method +
                         (payment.reference.empty() ? "" : " " + payment.reference)});
  record_audit(tx, actor.name, "order.pay", audit_object("order", id), std::move(changes), now);
  return *order;
}

Result<Order> OrderService::get(const Actor& actor, std::int64_t id) {
  std::optional<Order> order = store_.read(actor.tenant_id)->find_order(id);
  if (!order) return order_not_found(id);
  return std::move(*order);
}

Result<OrderPage> OrderService::list(const Actor& actor, OrderQuery query) {
  if (Status size = check_page_size(query.limit); !size.ok()) return size.error();
  int wanted = query.limit;
  query.limit = wanted + 1;
  OrderPage page;
  page.items = store_.read(actor.tenant_id)->list_orders(query);
  page.next_after_id = trim_page(page.items, wanted, [](const Order& o) { return o.id; });
  return page;
}

std::vector<std::pair<OrderStatus, std::int64_t>> OrderService::counts(const Actor& actor) {
  return store_.read(actor.tenant_id)->count_orders();
}

Result<int> OrderService::cancel_overdue_unpaid(TenantId tenant) {
  return run_write_blocking<int>(store_, tenant, [this](WriteTx& tx) -> Result<int> {
    Instant now = clock_.now();
    Seconds timeout{tx.settings().unpaid_timeout_seconds};
    int cancelled = 0;
    for (std::int64_t id : tx.unpaid_orders_created_before(now - timeout, 100)) {
      std::optional<Order> order = tx.find_order(id);
      if (!order || !is_payment_overdue(*order, now, timeout)) continue;
      std::string reason = "unpaid after " + std::to_string(timeout.count()) + " seconds";
      if (cancel_in(tx, *order, "system", reason, true, now).ok()) ++cancelled;
    }
    return cancelled;
  });
}

}  // namespace depot
