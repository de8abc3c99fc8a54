#include "app/return_service.h"

#include <algorithm>

#include "app/audit.h"
#include "app/order_writes.h"
#include "app/paging.h"
#include "app/parcel_progress.h"
#include "app/stock_keeper.h"
#include "domain/catalog.h"
#include "domain/event_catalog.h"
#include "domain/fingerprint.h"
#include "domain/order_rules.h"
#include "domain/order_state_machine.h"
#include "domain/ship_reminders.h"

namespace depot {

namespace {

Error return_not_found(std::int64_t id) {
  return error(ErrorCode::not_found, "return " + std::to_string(id) + " was not found");
}

std::vector<ReturnLine> merged(const std::vector<ReturnLine>& lines) {
  std::vector<ReturnLine> out;
  for (const ReturnLine& line : lines) {
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const ReturnLine& l) { return l.sku == line.sku; });
    if (same == out.end()) {
      out.push_back(line);
    } else {
      same->quantity += line.quantity;
    }
  }
  return out;
}

std::string fingerprint_of(std::int64_t order_id, const NewReturn& input) {
  Fingerprint h;
  h.add("return").add(order_id).add(to_string(input.kind)).add(input.reason);
  for (const auto* lines : {&input.lines, &input.replacement_lines}) {
    h.add(static_cast<std::int64_t>(lines->size()));
    for (const ReturnLine& line : *lines) h.add(line.sku).add(line.quantity);
  }
  for (const std::string& photo : input.photos) h.add(photo);
  return h.hex();
}

// Names every replacement SKU that is not a product of this merchant.
Status check_replacement_skus(WriteTx& tx, const std::vector<ReturnLine>& lines) {
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!tx.low_stock_threshold(lines[i].sku)) {
      errors.push_back(
          {"replacement_lines[" + std::to_string(i) + "].sku", "unknown SKU " + lines[i].sku});
    }
  }
  if (errors.empty()) return {};
  return invalid_fields(std::move(errors));
}

// Where restocked units go: a named location, else the default one; errors name `location`.
// The exchange's replacement: a new order for the replacement lines, free of charge and so paid
// in full, reserved and waiting to ship under the merchant's usual promise.
Result<Order> send_replacement(WriteTx& tx, StockKeeper& keeper, const Order& original,
                               const ReturnRequest& exchange, const std::string& actor,
                               Instant now) {
  OrderDraft draft = replacement_draft(original, exchange);
  Order replacement = open_order(tx.next_order_id(), draft, original.currency, actor, now,
                                 tx.settings().reports.utc_offset_minutes);
  if (Status paid = transition(replacement, OrderStatus::awaiting_shipment, actor,
                               "exchange for order " + original.order_no, now);
      !paid.ok()) {
    return paid.error();
  }
  replacement.ship_due_at = ship_due_at(tx.settings().ship, replacement.platform, now);
  Status stored = insert_new_order(tx, keeper, replacement, merge_lines(replacement.lines), "",
                                   draft_fingerprint(draft), now);
  if (!stored.ok()) {
    // The reservation names the replacement's lines; the request called them so.
    Error short_of = stored.error();
    std::string field = exchange.replacement_lines.empty() ? "lines" : "replacement_lines";
    for (FieldError& e : short_of.fields) {
      if (e.field.starts_with("lines")) e.field = field + e.field.substr(5);
    }
    return short_of;
  }
  return replacement;
}

// What a step changed in a return request, for the audit log.
std::vector<FieldChange> return_changes(const ReturnRequest& before, const ReturnRequest& after) {
  auto restocked = [](const std::optional<bool>& value) {
    return value ? (*value ? "restocked" : "written off") : "";
  };
  std::vector<FieldChange> changes;
  add_change(changes, "status", std::string(to_string(before.status)),
             std::string(to_string(after.status)));
  add_change(changes, "decision_note", before.decision_note, after.decision_note);
  add_change(changes, "carrier", before.carrier, after.carrier);
  add_change(changes, "tracking_no", before.tracking_no, after.tracking_no);
  add_change(changes, "inspection_note", before.inspection_note, after.inspection_note);
  add_change(changes, "restocked", restocked(before.restocked), restocked(after.restocked));
  add_change(changes, "location", before.location, after.location);
  add_change(changes, "replacement_order_id",
             before.replacement_order_id ? std::to_string(before.replacement_order_id) : "",
             after.replacement_order_id ? std::to_string(after.replacement_order_id) : "");
  return changes;
}

std::string return_object(std::int64_t id) { return audit_object("return", id); }

}  // namespace

void ReturnService::request(const Actor& actor, std::int64_t order_id, NewReturn input,
                            Callback<CreatedReturn> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  ReturnRequest draft;
  draft.kind = input.kind;
  draft.reason = input.reason;
  draft.lines = input.lines;
  draft.replacement_lines = input.replacement_lines;
  draft.photos = input.photos;
  if (std::vector<FieldError> errors = validate_return_request(draft); !errors.empty()) {
    return done(invalid_fields(std::move(errors)));
  }
  if (input.idempotency_key.size() > 200) {
    return done(invalid_field("Idempotency-Key", "must be at most 200 bytes"));
  }
  std::string fingerprint = fingerprint_of(order_id, input);
  draft.replacement_lines = merged(draft.replacement_lines);
  run_write<CreatedReturn>(
      store_, actor.tenant_id,
      [this, actor, order_id, key = std::move(input.idempotency_key),
       fingerprint = std::move(fingerprint),
       draft = std::move(draft)](WriteTx& tx) mutable -> Result<CreatedReturn> {
        if (!key.empty()) {
          if (auto seen = tx.find_return_by_key(key)) {
            if (seen->second != fingerprint) {
              return Error{ErrorCode::invalid,
                           "this Idempotency-Key was used for a different request",
                           {{"Idempotency-Key", "was used for a different request"}}};
            }
            return CreatedReturn{*tx.find_return(seen->first), false};
          }
        }
        std::optional<Order> order = tx.find_order(order_id);
        if (!order) return order_not_found(order_id);
        Result<std::vector<ReturnLine>> lines =
            plan_return(*order, tx.shipments_of(order_id), tx.returns_of(order_id), draft.lines);
        if (!lines.ok()) return lines.error();
        if (Status known = check_replacement_skus(tx, draft.replacement_lines); !known.ok()) {
          return known.error();
        }
        Instant now = clock_.now();
        draft.order_id = order_id;
        draft.lines = std::move(*lines);
        draft.created_by = actor.name;
        draft.created_at = draft.updated_at = now;
        tx.insert_return(draft, key, fingerprint);
        tx.append_event(events::return_requested(*order, draft), now);
        std::string returned;
        for (const ReturnLine& line : draft.lines) {
          returned +=
              (returned.empty() ? "" : ", ") + line.sku + "×" + std::to_string(line.quantity);
        }
        record_audit(tx, actor.name, "return.request", return_object(draft.id),
                     {{"order_id", "", std::to_string(order_id)},
                      {"kind", "", std::string(to_string(draft.kind))},
                      {"lines", "", returned},
                      {"reason", "", draft.reason}},
                     now);
        return CreatedReturn{std::move(draft), true};
      },
      std::move(done));
}

namespace {

// Runs one step of a return's state machine inside a write, with the event it causes.
template <class Step, class EventOf>
void change_return(Store& store, Clock& clock, const Actor& actor, Permission permission,
                   std::int64_t id, std::string action, Step step, EventOf event_of,
                   Callback<ReturnRequest> done) {
  if (Status allowed = require(actor, permission); !allowed.ok()) return done(allowed.error());
  run_write<ReturnRequest>(
      store, actor.tenant_id,
      [&clock, actor, id, action = std::move(action), step = std::move(step),
       event_of = std::move(event_of)](WriteTx& tx) mutable -> Result<ReturnRequest> {
        std::optional<ReturnRequest> request = tx.find_return(id);
        if (!request) return return_not_found(id);
        std::optional<Order> order = tx.find_order(request->order_id);
        if (!order) return order_not_found(request->order_id);
        Instant now = clock.now();
        ReturnRequest before = *request;
        if (Status stepped = step(*request, now); !stepped.ok()) return stepped.error();
        tx.update_return(*request);
        tx.append_event(event_of(*order, *request), now);
        record_audit(tx, actor.name, std::move(action), return_object(id),
                     return_changes(before, *request), now);
        return *request;
      },
      std::move(done));
}

}  // namespace

void ReturnService::approve(const Actor& actor, std::int64_t id, std::string note,
                            Callback<ReturnRequest> done) {
  change_return(
      store_, clock_, actor, Permission::change_orders, id, "return.approve",
      [note = std::move(note)](ReturnRequest& request, Instant now) {
        return approve_return(request, note, now);
      },
      events::return_approved, std::move(done));
}

void ReturnService::reject(const Actor& actor, std::int64_t id, std::string reason,
                           Callback<ReturnRequest> done) {
  change_return(
      store_, clock_, actor, Permission::change_orders, id, "return.reject",
      [reason = std::move(reason)](ReturnRequest& request, Instant now) {
        return reject_return(request, reason, now);
      },
      events::return_rejected, std::move(done));
}

void ReturnService::record_parcel(const Actor& actor, std::int64_t id, std::string carrier,
                                  std::string tracking_no, Callback<ReturnRequest> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  run_write<ReturnRequest>(
      store_, actor.tenant_id,
      [this, actor, id, carrier = std::move(carrier),
       tracking_no = std::move(tracking_no)](WriteTx& tx) -> Result<ReturnRequest> {
        std::optional<ReturnRequest> request = tx.find_return(id);
        if (!request) return return_not_found(id);
        ReturnRequest before = *request;
        if (Status recorded = record_return_parcel(*request, carrier, tracking_no, clock_.now());
            !recorded.ok()) {
          return recorded.error();
        }
        if (request->carrier == before.carrier && request->tracking_no == before.tracking_no) {
          return before;  // the same parcel again: nothing changes
        }
        if (auto other = tx.find_return_by_parcel(request->carrier, request->tracking_no)) {
          return error(ErrorCode::conflict, "tracking number " + request->tracking_no +
                                                " is already the parcel of return " +
                                                std::to_string(other->id));
        }
        tx.update_return(*request);
        follow_return_parcel(tx, *request, clock_.now());
        record_audit(tx, actor.name, "return.record_parcel", return_object(id),
                     return_changes(before, *request), clock_.now());
        return *request;
      },
      std::move(done));
}

void ReturnService::receive(const Actor& actor, std::int64_t id, ReturnReceipt receipt,
                            Callback<ReturnRequest> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  if (!receipt.restock && !receipt.location.empty()) {
    return done(invalid_field("location", "is only for a restock; a write-off goes nowhere"));
  }
  run_write<ReturnRequest>(
      store_, actor.tenant_id,
      [this, actor, id, receipt = std::move(receipt)](WriteTx& tx) -> Result<ReturnRequest> {
        std::optional<ReturnRequest> request = tx.find_return(id);
        if (!request) return return_not_found(id);
        std::optional<Order> order = tx.find_order(request->order_id);
        if (!order) return order_not_found(request->order_id);
        std::int64_t location_id = 0;
        std::string location;
        if (receipt.restock) {
          auto found = resolve_location(tx, receipt.location, "location");
          if (!found.ok()) return found.error();
          location_id = found->first;
          location = found->second.to_string();
        }
        Instant now = clock_.now();
        ReturnRequest before = *request;
        if (Status received =
                receive_return(*request, receipt.restock, location, receipt.note, now);
            !received.ok()) {
          return received.error();
        }
        StockKeeper keeper(tx, actor.name, now);
        if (receipt.restock) {
          std::string why = "return " + std::to_string(request->id) + " restocked";
          for (const ReturnLine& line : request->lines) {
            std::int64_t quantity = line.quantity;
            Status moved = keeper.move(
                line.sku, location_id,
                [quantity](const StockBalance& b) { return restock_returned(b, quantity); }, why,
                order->id);
            if (!moved.ok()) return moved.error();
          }
        }
        if (request->kind == ReturnKind::exchange) {
          Result<Order> replacement =
              send_replacement(tx, keeper, *order, *request, actor.name, now);
          if (!replacement.ok()) return replacement.error();
          request->replacement_order_id = replacement->id;
        }
        tx.update_return(*request);
        tx.append_event(events::return_received(*order, *request), now);
        record_audit(tx, actor.name, "return.receive", return_object(id),
                     return_changes(before, *request), now);
        keeper.settle_alerts();
        return *request;
      },
      std::move(done));
}

Result<ReturnRequest> ReturnService::find(const Actor& actor, std::int64_t id) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  std::optional<ReturnRequest> found = store_.read(actor.tenant_id)->find_return(id);
  if (!found) return return_not_found(id);
  return std::move(*found);
}

Result<std::vector<ReturnRequest>> ReturnService::list(const Actor& actor,
                                                       const ReturnQuery& query) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  if (Status size = check_page_size(query.limit); !size.ok()) return size.error();
  return store_.read(actor.tenant_id)->list_returns(query);
}

}  // namespace depot
