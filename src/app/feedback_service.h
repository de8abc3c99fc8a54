#pragma once
// What customers say about an order: delivery feedback (发货反馈, SPEC AFS-1) — whether the goods
// arrived intact, a 1–5 rating and a comment, once per order, from staff or from the customer on
// the public tracking page, summed per carrier and per SKU — and complaints (投诉, AFS-4), which
// open a `complaint` ticket on the order in the ticket system. Writes complete through a callback
// once durable; reads are synchronous. Thread-safe.

#include <string>
#include <vector>

#include "app/actor.h"
#include "app/ticket_service.h"
#include "app/write.h"
#include "domain/after_sales.h"

namespace depot {

struct FeedbackInput {
  bool intact = true;
  std::int64_t rating = 0;
  std::string comment;
};

// The actor recorded for feedback left on the public tracking page.
inline constexpr std::string_view kCustomerActor = "customer";

class FeedbackService {
 public:
  FeedbackService(Store& store, Clock& clock, TicketService& tickets)
      : store_(store), clock_(clock), tickets_(tickets) {}

  // Refuses (409) an order that has shipped nothing and a second feedback for the order; names
  // `rating` and `comment` when they are out of bounds.
  void record(const Actor& actor, std::int64_t order_id, FeedbackInput input,
              Callback<Feedback> done);
  // The same, for the public tracking page: the caller has proven the visitor may see this order
  // of `tenant` (a signed link, or the order number and phone digits); the actor is "customer".
  void record_from_customer(TenantId tenant, std::int64_t order_id, FeedbackInput input,
                            Callback<Feedback> done);

  // The order's feedback; 404 when it has none (or there is no such order).
  Result<Feedback> of_order(const Actor& actor, std::int64_t order_id);
  // Count, average rating and intact share per carrier or SKU, the most rated first.
  Result<std::vector<FeedbackSummary>> summary(const Actor& actor, FeedbackGrouping by, int limit);

  // Opens a `complaint` ticket on the order with the text as its first comment.
  void complain(const Actor& actor, std::int64_t order_id, std::string text, Callback<Ticket> done);

 private:
  void record_as(TenantId tenant, std::string actor, std::int64_t order_id, FeedbackInput input,
                 Callback<Feedback> done);

  Store& store_;
  Clock& clock_;
  TicketService& tickets_;
};

}  // namespace depot
