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

Result<PublicOrderView> PublicTracking::view(TenantId tenant, std::int64_t order_id) {
  std::unique_ptr<ReadTx> tx = store_.read(tenant);
  std::optional<Order> order = tx->find_order(order_id);
  if (!order) return no_such_order();
  PublicOrderView view;
  view.tenant = tenant;
  view.order_id = order_id;
  view.token = tracking_token(tx->link_key(), tenant, order_id);
  view.order_no = order->order_no;
  view.status = order->status;
  view.recipient = mask_name(order->customer.name);
  view.address = masked_address(order->shipping_address);
  Instant now = clock_.now();
  for (Parcel& parcel : tx->parcels_of(order_id)) {
    if (parcel.return_id == 0) {
      view.parcels.push_back(tracking_.view_of(tenant, *tx, std::move(parcel), now));
    }
  }
  view.feedback_open = feedback_allowed(order->status) && !tx->feedback_of(order_id);
  return view;
}

Result<PublicOrderView> PublicTracking::by_token(const std::string& token) {
  std::optional<TrackingTokenClaim> claim = read_tracking_token(token);
  if (!claim) return no_such_order();
  std::string key = store_.read(claim->tenant)->link_key();
  if (!tracking_token_valid(key, *claim)) return no_such_order();
  return view(claim->tenant, claim->order_id);
}

Result<PublicOrderView> PublicTracking::by_number(const std::string& merchant,
                                                  const std::string& order_no,
                                                  const std::string& phone_last4) {
  std::string_view digits = trimmed(phone_last4);
  if (digits.size() != 4) return no_such_order();
  std::optional<TenantId> tenant = store_.find_tenant(std::string(trimmed(merchant)));
  if (!tenant) return no_such_order();
  std::optional<std::int64_t> order_id =
      store_.read(*tenant)->find_order_id(std::string(trimmed(order_no)));
  if (!order_id) return no_such_order();
  std::optional<Order> order = store_.read(*tenant)->find_order(*order_id);
  std::string_view phone = order ? std::string_view(order->customer.phone) : std::string_view();
  if (phone.size() < 4 || phone.substr(phone.size() - 4) != digits) return no_such_order();
  return view(*tenant, *order_id);
}

}  // namespace depot
