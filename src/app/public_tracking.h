#pragma once
// The customer's tracking page (SPEC UI-2): one order's parcels, timeline and ETA, with the name
// and address masked, reached without logging in by a signed link or by the order number and the
// last four digits of the phone. Every way of not finding the order answers the same `not_found`,
// so the page reveals nothing of orders the visitor cannot name. Limiting guesses per client is
// the HTTP edge's job.
//
// Thread safety: every member may be called from any thread.

#include <optional>
#include <string>
#include <vector>

#include "app/tracking_service.h"

namespace depot {

struct PublicOrderView {
  TenantId tenant = 0;
  std::int64_t order_id = 0;
  std::string token;  // the signed token of this order's page
  std::string order_no;
  OrderStatus status = OrderStatus::shipped;
  std::string recipient;  // masked: "张*"
  std::string address;    // province, city and district only
  std::vector<ParcelView> parcels;
  bool feedback_open = false;  // the customer may still say how the delivery went
};

class PublicTracking {
 public:
  PublicTracking(Store& store, Clock& clock, TrackingService& tracking)
      : store_(store), clock_(clock), tracking_(tracking) {}

  Result<PublicOrderView> by_token(const std::string& token);
  Result<PublicOrderView> by_number(const std::string& merchant, const std::string& order_no,
                                    const std::string& phone_last4);

 private:
  PublicOrderView view(TenantId tenant, ReadTx& tx, const Order& order);

  Store& store_;
  Clock& clock_;
  TrackingService& tracking_;
};

}  // namespace depot
