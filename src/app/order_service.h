#pragma once
// Order use cases (SPEC ORD-1 … ORD-6): create with reservation, read and query, edit within the
// window, cancel, record payments, and cancel unpaid orders after the merchant's timeout. A paid
// order is verified (SHP-1) when it is paid and whenever its address, customer or lines change.
// Writes complete through a callback once durable; reads are synchronous. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/paging.h"
#include "app/verifier.h"
#include "app/write.h"

namespace depot {

struct CreateOrderCommand {
  OrderDraft draft;
  std::string idempotency_key;
};

struct CreatedOrder {
  Order order;
  bool created = false;  // false when an earlier identical request already created it
};

// A create command checked and made ready for the writer: what needs no stored state is done
// before the write, off the store's single writer.
struct PreparedOrder {
  CreateOrderCommand command;         // its address normalised
  std::string fingerprint;            // of the draft as it was asked for
  std::vector<OrderLine> to_reserve;  // the lines merged by SKU
};

// Validates the draft (422 naming every bad field) and prepares it.
Result<PreparedOrder> prepare_order(CreateOrderCommand command);

struct OrderPatch {
  std::optional<std::vector<OrderLine>> lines;
  std::optional<Address> shipping_address;
  std::optional<Customer> customer;
  std::optional<std::string> notes;
};

struct OrderPage {
  std::vector<Order> items;
  std::int64_t next_after_id = 0;  // 0 when this is the last page
};

class OrderService {
 public:
  OrderService(Store& store, Clock& clock, Verifier& verifier)
      : store_(store), clock_(clock), verifier_(verifier) {}

  void create(const Actor& actor, CreateOrderCommand command, Callback<CreatedOrder> done);
  void edit(const Actor& actor, std::int64_t id, std::int64_t expected_version, OrderPatch patch,
            Callback<Order> done);
  void cancel(const Actor& actor, std::int64_t id, std::string reason, Callback<Order> done);
  void pay(const Actor& actor, std::int64_t id, Payment payment, Callback<Order> done);

  Result<Order> get(const Actor& actor, std::int64_t id);
  Result<OrderPage> list(const Actor& actor, OrderQuery query);
  std::vector<std::pair<OrderStatus, std::int64_t>> counts(const Actor& actor);

  // Cancels this merchant's orders still unpaid past the timeout; returns how many. Blocking.
  Result<int> cancel_overdue_unpaid(TenantId tenant);

  // The steps of the writes above, run inside a write the caller owns, for use cases that combine
  // them in one transaction (a platform's webhook creates, edits, pays and cancels its orders).
  // The caller checks permissions and validates patches; `located` is a geocoder's answer for
  // the address the order will have (Verifier::locate), or nothing.
  Result<CreatedOrder> create_in(WriteTx& tx, const Actor& actor, const PreparedOrder& prepared);
  Result<Order> edit_in(WriteTx& tx, const Actor& actor, std::int64_t id,
                        std::int64_t expected_version, const OrderPatch& patch,
                        const std::optional<Located>& located);
  Result<Order> pay_in(WriteTx& tx, const Actor& actor, std::int64_t id, Payment payment,
                       const std::optional<Located>& located);
  // `automatic`: cancelled by depot's own timeout rather than by someone.
  Status cancel_in(WriteTx& tx, Order& order, const std::string& actor, const std::string& reason,
                   bool automatic, Instant now);

 private:
  Store& store_;
  Clock& clock_;
  Verifier& verifier_;
};

}  // namespace depot
