#include "app/verifier.h"

#include "app/stock_keeper.h"
#include "domain/event_catalog.h"

namespace depot {

namespace {

constexpr const char* kHoldAlert = "order_held";

std::string summary(const std::vector<HoldReason>& reasons) {
  std::string text;
  for (const HoldReason& reason : reasons) text += (text.empty() ? "" : "; ") + reason.message;
  return text;
}

}  // namespace

void Verifier::locate(TenantId tenant, const Address& address,
                      std::function<void(std::optional<Located>)> then) {
  std::optional<GeocoderConfig> config;
  if (geocoder_ != nullptr) config = store_.read(tenant)->geocoder_config();
  if (!config) return then(std::nullopt);
  geocode(*config, address, std::move(then));
}

void Verifier::locate_order(TenantId tenant, std::int64_t order_id,
                            std::function<void(std::optional<Located>)> then) {
  if (geocoder_ == nullptr) return then(std::nullopt);
  std::unique_ptr<ReadTx> tx = store_.read(tenant);
  std::optional<GeocoderConfig> config = tx->geocoder_config();
  std::optional<Order> order = config ? tx->find_order(order_id) : std::nullopt;
  tx.reset();
  if (!order) return then(std::nullopt);
  geocode(*config, order->shipping_address, std::move(then));
}

void Verifier::geocode(const GeocoderConfig& config, const Address& address,
                       std::function<void(std::optional<Located>)> then) {
  geocoder_->geocode(config, address,
                     [address, then = std::move(then)](Result<GeocodeAnswer> answer) {
                       if (!answer.ok()) return then(std::nullopt);
                       then(Located{address, std::move(*answer)});
                     });
}

VerificationFacts Verifier::facts(ReadTx& tx, const Order& order,
                                  const std::optional<Located>& located) {
  VerificationFacts facts;
  for (const Reservation& r : tx.reservations_of(order.id)) facts.reserved[r.sku] += r.quantity;
  facts.shipped = shipped_units(tx.shipments_of(order.id));
  if (located && located->address == order.shipping_address) facts.geocode = located->answer;
  facts.rule_matches = rules_.matches(tx, order);
  return facts;
}

HoldChange Verifier::verify(WriteTx& tx, Order& order, const std::optional<Located>& located,
                            bool may_release, const std::string& actor, Instant now) {
  VerificationFacts known = facts(tx, order, located);
  HoldChange change = settle_verification(order, verify_order(order, known), may_release,
                                          known.shipped, actor, now);
  switch (change) {
    case HoldChange::held: {
      tx.append_event(events::order_held(order), now);
      std::optional<Alert> open = tx.find_open_alert(kHoldAlert, "", order.id);
      if (!open) {
        Alert alert;
        alert.kind = kHoldAlert;
        alert.order_id = order.id;
        alert.message = order.order_no + ": " + summary(order.hold_reasons);
        alert.opened_at = now;
        tx.open_alert(alert);
      }
      break;
    }
    case HoldChange::released:
      close_hold_alert(tx, order, now);
      tx.append_event(events::order_released(order, order.overrides, "verification passed"), now);
      break;
    case HoldChange::none:
      break;
  }
  return change;
}

void close_hold_alert(WriteTx& tx, const Order& order, Instant now) {
  if (std::optional<Alert> open = tx.find_open_alert(kHoldAlert, "", order.id)) {
    tx.close_alert(open->id, now);
  }
}

}  // namespace depot
