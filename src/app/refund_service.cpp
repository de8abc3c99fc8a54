#include "app/refund_service.h"

#include "app/audit.h"
#include "app/order_writes.h"
#include "app/paging.h"
#include "domain/event_catalog.h"
#include "domain/fingerprint.h"
#include "domain/order_changes.h"
#include "domain/order_state_machine.h"

namespace depot {

namespace {

Error refund_not_found(std::int64_t id) {
  return error(ErrorCode::not_found, "refund " + std::to_string(id) + " was not found");
}

}  // namespace

void RefundService::create(const Actor& actor, std::int64_t order_id, NewRefund input,
                           Callback<CreatedRefund> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  if (input.idempotency_key.size() > 200) {
    return done(invalid_field("Idempotency-Key", "must be at most 200 bytes"));
  }
  std::string fingerprint = Fingerprint()
                                .add("refund")
                                .add(order_id)
                                .add(input.amount)
                                .add(input.reason)
                                .add(input.return_id)
                                .hex();
  run_write<CreatedRefund>(
      store_, actor.tenant_id,
      [this, actor, order_id, input = std::move(input),
       fingerprint = std::move(fingerprint)](WriteTx& tx) -> Result<CreatedRefund> {
        if (!input.idempotency_key.empty()) {
          if (auto seen = tx.find_refund_by_key(input.idempotency_key)) {
            if (seen->second != fingerprint) {
              return Error{ErrorCode::invalid,
                           "this Idempotency-Key was used for a different request",
                           {{"Idempotency-Key", "was used for a different request"}}};
            }
            return CreatedRefund{*tx.find_refund(seen->first), false};
          }
        }
        std::optional<Order> order = tx.find_order(order_id);
        if (!order) return order_not_found(order_id);
        if (input.return_id != 0) {
          std::optional<ReturnRequest> paid_for = tx.find_return(input.return_id);
          if (!paid_for || paid_for->order_id != order_id) {
            return invalid_field("return_id", "is not a return of order " + order->order_no);
          }
        }
        if (Status allowed =
                check_refund(*order, tx.refunds_of(order_id), input.amount, input.reason);
            !allowed.ok()) {
          return allowed.error();
        }
        Instant now = clock_.now();
        Refund refund;
        refund.order_id = order_id;
        refund.return_id = input.return_id;
        refund.amount = input.amount;
        refund.reason = input.reason;
        refund.created_by = actor.name;
        refund.created_at = now;
        tx.insert_refund(refund, input.idempotency_key, fingerprint);
        tx.append_event(events::refund_created(*order, refund), now);
        std::vector<FieldChange> changes{{"order_id", "", std::to_string(order_id)},
                                         {"amount", "", money_text(refund.amount)},
                                         {"reason", "", refund.reason}};
        if (refund.return_id != 0) {
          changes.push_back({"return_id", "", std::to_string(refund.return_id)});
        }
        record_audit(tx, actor.name, "refund.create", audit_object("refund", refund.id),
                     std::move(changes), now);
        return CreatedRefund{std::move(refund), true};
      },
      std::move(done));
}

void RefundService::complete(const Actor& actor, std::int64_t id, std::string reference,
                             Callback<Refund> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  run_write<Refund>(
      store_, actor.tenant_id,
      [this, actor, id, reference = std::move(reference)](WriteTx& tx) -> Result<Refund> {
        std::optional<Refund> refund = tx.find_refund(id);
        if (!refund) return refund_not_found(id);
        std::optional<Order> order = tx.find_order(refund->order_id);
        if (!order) return order_not_found(refund->order_id);
        Instant now = clock_.now();
        Order before = *order;
        RefundStatus status_before = refund->status;
        if (Status completed = complete_refund(*refund, *order, reference, now); !completed.ok()) {
          return completed.error();
        }
        note(*order, actor.name, "refund of " + std::to_string(refund->amount) + " completed", now);
        order->version += 1;
        save_order(tx, *order, now);
        tx.update_refund(*refund);
        tx.append_event(events::refund_completed(*order, *refund), now);
        std::vector<FieldChange> changes;
        add_change(changes, "status", std::string(to_string(status_before)),
                   std::string(to_string(refund->status)));
        add_change(changes, "reference", "", reference);
        record_audit(tx, actor.name, "refund.complete", audit_object("refund", id),
                     std::move(changes), now);
        record_audit(tx, actor.name, "order.refund", audit_object("order", order->id),
                     order_changes(before, *order), now);
        return *refund;
      },
      std::move(done));
}

Result<Refund> RefundService::find(const Actor& actor, std::int64_t id) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  std::optional<Refund> found = store_.read(actor.tenant_id)->find_refund(id);
  if (!found) return refund_not_found(id);
  return std::move(*found);
}

Result<std::vector<Refund>> RefundService::list(const Actor& actor, const RefundQuery& query) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  if (Status size = check_page_size(query.limit); !size.ok()) return size.error();
  return store_.read(actor.tenant_id)->list_refunds(query);
}

}  // namespace depot
