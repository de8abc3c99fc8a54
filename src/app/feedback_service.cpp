#include "app/feedback_service.h"

#include "app/audit.h"
#include "app/order_writes.h"
#include "app/paging.h"

namespace depot {

void FeedbackService::record(const Actor& actor, std::int64_t order_id, FeedbackInput input,
                             Callback<Feedback> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  record_as(actor.tenant_id, actor.name, order_id, std::move(input), std::move(done));
}

void FeedbackService::record_from_customer(TenantId tenant, std::int64_t order_id,
                                           FeedbackInput input, Callback<Feedback> done) {
  record_as(tenant, std::string(kCustomerActor), order_id, std::move(input), std::move(done));
}

void FeedbackService::record_as(TenantId tenant, std::string actor, std::int64_t order_id,
                                FeedbackInput input, Callback<Feedback> done) {
  Feedback feedback;
  feedback.order_id = order_id;
  feedback.intact = input.intact;
  feedback.rating = input.rating;
  feedback.comment = std::move(input.comment);
  feedback.actor = std::move(actor);
  if (std::vector<FieldError> errors = validate_feedback(feedback); !errors.empty()) {
    return done(invalid_fields(std::move(errors)));
  }
  run_write<Feedback>(
      store_, tenant,
      [this, feedback = std::move(feedback)](WriteTx& tx) mutable -> Result<Feedback> {
        std::optional<Order> order = tx.find_order(feedback.order_id);
        if (!order) return order_not_found(feedback.order_id);
        if (Status allowed = check_feedback_allowed(*order, tx.shipments_of(order->id));
            !allowed.ok()) {
          return allowed.error();
        }
        feedback.created_at = clock_.now();
        if (!tx.insert_feedback(feedback)) {
          return error(ErrorCode::conflict,
                       "order " + order->order_no + " already has its delivery feedback");
        }
        std::vector<FieldChange> changes{
            {"feedback.intact", "", feedback.intact ? "true" : "false"},
            {"feedback.rating", "", std::to_string(feedback.rating)}};
        add_change(changes, "feedback.comment", "", feedback.comment);
        record_audit(tx, feedback.actor, "order.feedback", audit_object("order", order->id),
                     std::move(changes), feedback.created_at);
        return std::move(feedback);
      },
      std::move(done));
}

Result<Feedback> FeedbackService::of_order(const Actor& actor, std::int64_t order_id) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  if (!tx->find_order(order_id)) return order_not_found(order_id);
  std::optional<Feedback> found = tx->feedback_of(order_id);
  if (!found) {
    return error(ErrorCode::not_found,
                 "order " + std::to_string(order_id) + " has no delivery feedback yet");
  }
  return std::move(*found);
}

Result<std::vector<FeedbackSummary>> FeedbackService::summary(const Actor& actor,
                                                              FeedbackGrouping by, int limit) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  if (Status size = check_page_size(limit); !size.ok()) return size.error();
  std::vector<FeedbackSummary> summaries;
  for (const FeedbackTally& tally : store_.read(actor.tenant_id)->feedback_tallies(by, limit)) {
    summaries.push_back(summarise(tally));
  }
  return summaries;
}

void FeedbackService::complain(const Actor& actor, std::int64_t order_id, std::string text,
                               Callback<Ticket> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  if (Status valid = check_complaint(text); !valid.ok()) return done(valid.error());
  // The order is named by the path here, so a missing one is 404 rather than the ticket
  // system's 422 about its order_id field. Orders are never deleted: the answer holds.
  if (!store_.read(actor.tenant_id)->find_order(order_id)) {
    return done(order_not_found(order_id));
  }
  NewTicket ticket;
  ticket.kind = "complaint";
  ticket.order_id = order_id;
  ticket.subject = complaint_subject(text);
  ticket.comment = std::move(text);
  tickets_.open(actor, std::move(ticket), std::move(done));
}

}  // namespace depot
