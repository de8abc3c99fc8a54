#pragma once
// Refunds (退款, SPEC AFS-3): partial or full, recorded against what the order was paid and
// never more in sum; pending until the money went back, then completed, which adds to the
// order's refunded amount. Events refund.created and refund.completed. Writes complete through a
// callback once durable; reads are synchronous. Thread-safe.

#include <string>
#include <vector>

#include "app/actor.h"
#include "app/write.h"
#include "domain/after_sales.h"

namespace depot {

struct NewRefund {
  std::int64_t amount = 0;
  std::string reason;
  std::int64_t return_id = 0;   // the return it pays for; 0 for none
  std::string idempotency_key;  // "" for none
};

struct CreatedRefund {
  Refund refund;
  bool created = false;  // false when an earlier identical request already created it
};

class RefundService {
 public:
  RefundService(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Refuses (422, naming `amount`) more than the order's paid amount less its earlier refunds,
  // and names `return_id` when it is not a return of this order.
  void create(const Actor& actor, std::int64_t order_id, NewRefund input,
              Callback<CreatedRefund> done);
  // The money went back (with the payment provider's reference, if any): 409 when it already
  // had.
  void complete(const Actor& actor, std::int64_t id, std::string reference, Callback<Refund> done);

  Result<Refund> find(const Actor& actor, std::int64_t id);
  // Newest first; the caller pages with RefundQuery::before_id.
  Result<std::vector<Refund>> list(const Actor& actor, const RefundQuery& query);

 private:
  Store& store_;
  Clock& clock_;
};

}  // namespace depot
