#include "app/public_tracking.h"

#include "app/tracking_links.h"
#include "domain/text.h"

namespace depot {

namespace {

Error no_such_order() {
  return error(ErrorCode::not_found, "no order matches; check the number and the phone digits");
}

// The divisions only: the street and house stay private.
std::string masked_address(const Address& address) {
  std::string text = address.province;
  if (address.city != address.province) text += address.city;
  text += address.district;
  return text;
}

bool feedback_allowed(OrderStatus status) {
  return status == OrderStatus::partially_shipped || status == OrderStatus::shipped ||
         status == OrderStatus::delivered || status == OrderStatus::completed;
}

}  // namespace

PublicOrderView PublicTracking::view(TenantId tenant, ReadTx& tx, const Order& order) {
  std::int64_t order_id = order.id;
  PublicOrderView view;
  view.tenant = tenant;
  view.order_id = order_id;
  view.token = tracking_token(tx.link_key(), tenant, order_id);
  view.order_no = order.order_no;
  view.status = order.status;
  view.recipient = mask_name(order.customer.name);
  view.address = masked_address(order.shipping_address);
  Instant now = clock_.now();
  for (Parcel& parcel : tx.parcels_of(order_id)) {
    if (parcel.return_id == 0) {
      view.parcels.push_back(tracking_.view_of(tenant, tx, std::move(parcel), now));
    }
  }
  view.feedback_open = feedback_allowed(order.status) && !tx.feedback_of(order_id);
  return view;
}

Result<PublicOrderView> PublicTracking::by_token(const std::string& token) {
  std::optional<TrackingTokenClaim> claim = read_tracking_token(token);
  if (!claim) return no_such_order();
  std::unique_ptr<ReadTx> tx = store_.read(claim->tenant);
  if (!tracking_token_valid(tx->link_key(), *claim)) return no_such_order();
  std::optional<Order> order = tx->find_order(claim->order_id);
  if (!order) return no_such_order();
  return view(claim->tenant, *tx, *order);
}

Result<PublicOrderView> PublicTracking::by_number(const std::string& merchant,
                                                  const std::string& order_no,
                                                  const std::string& phone_last4) {
  std::string_view digits = trimmed(phone_last4);
  if (digits.size() != 4) return no_such_order();
  std::optional<TenantId> tenant = store_.find_tenant(std::string(trimmed(merchant)));
  if (!tenant) return no_such_order();
  std::unique_ptr<ReadTx> tx = store_.read(*tenant);
  std::optional<std::int64_t> order_id = tx->find_order_id(std::string(trimmed(order_no)));
  std::optional<Order> order = order_id ? tx->find_order(*order_id) : std::nullopt;
  if (!order || !order->customer.phone.ends_with(digits)) return no_such_order();
  return view(*tenant, *tx, *order);
}

}  // namespace depot
