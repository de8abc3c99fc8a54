#pragma once
// The store's interfaces for after-sales (SPEC AFS-1 … AFS-4): returns and exchanges, refunds and
// delivery feedback. ReadTx and WriteTx (app/ports.h) include them.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/after_sales.h"

namespace depot {

// A page of returns or refunds, newest first: filters are ANDed; 0 and nullopt mean "any".
struct ReturnQuery {
  std::optional<ReturnStatus> status;
  std::int64_t order_id = 0;
  std::int64_t before_id = 0;  // cursor: the last id of the previous page, 0 for the first page
  int limit = 50;
};

struct RefundQuery {
  std::optional<RefundStatus> status;
  std::int64_t order_id = 0;
  std::int64_t before_id = 0;
  int limit = 50;
};

enum class FeedbackGrouping { carrier, sku };

class AfterSalesReads {
 public:
  virtual ~AfterSalesReads() = default;

  virtual std::optional<ReturnRequest> find_return(std::int64_t id) = 0;
  virtual std::vector<ReturnRequest> list_returns(const ReturnQuery& query) = 0;
  // Every request made for the order, oldest first.
  virtual std::vector<ReturnRequest> returns_of(std::int64_t order_id) = 0;
  // The return whose parcel coming back has this carrier and tracking number: how a tracking
  // update about a return parcel finds its return.
  virtual std::optional<ReturnRequest> find_return_by_parcel(const std::string& carrier,
                                                             const std::string& tracking_no) = 0;
  // The return and refund created with this Idempotency-Key, with the fingerprint of the request
  // that created it.
  virtual std::optional<std::pair<std::int64_t, std::string>> find_return_by_key(
      const std::string& key) = 0;

  virtual std::optional<Refund> find_refund(std::int64_t id) = 0;
  virtual std::vector<Refund> list_refunds(const RefundQuery& query) = 0;
  // Every refund of the order, oldest first.
  virtual std::vector<Refund> refunds_of(std::int64_t order_id) = 0;
  virtual std::optional<std::pair<std::int64_t, std::string>> find_refund_by_key(
      const std::string& key) = 0;

  virtual std::optional<Feedback> feedback_of(std::int64_t order_id) = 0;
  // Feedback counted per carrier of the order's parcels (an order sent with two carriers counts
  // for both) or per SKU of its lines, the most rated first.
  virtual std::vector<FeedbackTally> feedback_tallies(FeedbackGrouping by, int limit) = 0;
};

class AfterSalesWrites {
 public:
  virtual ~AfterSalesWrites() = default;

  // Stores a new request with its lines and fills in its id; the key ("" for none) and the
  // fingerprint answer find_return_by_key.
  virtual void insert_return(ReturnRequest& request, const std::string& idempotency_key,
                             const std::string& fingerprint) = 0;
  // Writes the request's state: status, notes, parcel, disposition, replacement and times.
  virtual void update_return(const ReturnRequest& request) = 0;

  virtual void insert_refund(Refund& refund, const std::string& idempotency_key,
                             const std::string& fingerprint) = 0;
  // Writes the refund's status, reference and completion time.
  virtual void update_refund(const Refund& refund) = 0;

  // Stores the order's feedback and fills in its id; false (and nothing stored) when the order
  // has feedback already.
  virtual bool insert_feedback(Feedback& feedback) = 0;
};

}  // namespace depot
