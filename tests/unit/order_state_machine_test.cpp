#include "domain/order_state_machine.h"

#include <gtest/gtest.h>

namespace depot {
namespace {

Instant at(int seconds) { return Instant{std::chrono::seconds{seconds}}; }

TEST(OrderStateMachine, FollowsTheLifecycle) {
  Order order;
  for (OrderStatus next : {OrderStatus::awaiting_shipment, OrderStatus::partially_shipped,
                           OrderStatus::shipped, OrderStatus::delivered, OrderStatus::completed}) {
    ASSERT_TRUE(transition(order, next, "op", "step", at(1)).ok()) << to_string(next);
  }
  EXPECT_EQ(order.status, OrderStatus::completed);
  ASSERT_EQ(order.history.size(), 5u);
  EXPECT_EQ(*order.history[0].from, OrderStatus::pending_payment);
  EXPECT_EQ(order.history[0].to, OrderStatus::awaiting_shipment);
}

TEST(OrderStateMachine, RefusesSkippingAndLeavingTerminalStates) {
  Order order;
  Status skipped = transition(order, OrderStatus::shipped, "op", "", at(1));
  EXPECT_FALSE(skipped.ok());
  EXPECT_EQ(skipped.error().code, ErrorCode::conflict);
  EXPECT_TRUE(order.history.empty());
  ASSERT_TRUE(transition(order, OrderStatus::cancelled, "op", "", at(1)).ok());
  for (OrderStatus any : kAllOrderStatuses)
    EXPECT_FALSE(can_transition(OrderStatus::cancelled, any));
  EXPECT_FALSE(can_transition(OrderStatus::shipped, OrderStatus::cancelled));
}

TEST(OrderStateMachine, HoldAndRelease) {
  EXPECT_TRUE(can_transition(OrderStatus::awaiting_shipment, OrderStatus::on_hold));
  EXPECT_TRUE(can_transition(OrderStatus::on_hold, OrderStatus::awaiting_shipment));
  EXPECT_TRUE(can_transition(OrderStatus::on_hold, OrderStatus::cancelled));
  EXPECT_FALSE(can_transition(OrderStatus::on_hold, OrderStatus::shipped));
}

TEST(OrderStateMachine, StatusNamesRoundTrip) {
  for (OrderStatus status : kAllOrderStatuses) {
    EXPECT_EQ(parse_order_status(to_string(status)), status);
  }
  EXPECT_FALSE(parse_order_status("paid").has_value());
}

}  // namespace
}  // namespace depot
