#pragma once
// Runs pre-shipment verification inside a use case's write (SPEC SHP-1, SHP-2): gathers the facts
// (reservations, shipments, the merchant's matching rules, a geocoder's answer), runs the domain's
// checks, and applies the outcome — holding the order with an order.held event and a merchant
// alert, or releasing it and closing the alert. Thread-safe.
//
// Geocoding happens before the write (locate()), never on the store's writer: its answer is handed
// into the write and used only if the order's address is still the one that was looked up.

#include <functional>
#include <optional>
#include <string>

#include "app/geocoder.h"
#include "app/ports.h"
#include "app/rule_book.h"
#include "app/write.h"
#include "domain/verification.h"

namespace depot {

// A geocoder's answer for one address, as handed from locate() to the write.
struct Located {
  Address address;
  GeocodeAnswer answer;
};

class Verifier {
 public:
  // `geocoder` may be null: no merchant can then configure one.
  Verifier(Store& store, RuleBook& rules, Geocoder* geocoder)
      : store_(store), rules_(rules), geocoder_(geocoder) {}

  // Looks `address` up with the merchant's geocoder, if one is configured, and calls `then` with
  // its answer (nothing when none is configured or it could not answer). `then` may run on the
  // geocoder's thread.
  void locate(TenantId tenant, const Address& address,
              std::function<void(std::optional<Located>)> then);
  // The same for a stored order's current address (nothing when there is no such order).
  void locate_order(TenantId tenant, std::int64_t order_id,
                    std::function<void(std::optional<Located>)> then);

  // Verifies `order` in `tx` and applies the outcome to it (the caller saves the order). Holds
  // always; releases a held order that now passes only when `may_release`.
  HoldChange verify(WriteTx& tx, Order& order, const std::optional<Located>& located,
                    bool may_release, const std::string& actor, Instant now);

 private:
  // The facts verification reads about the order.
  VerificationFacts facts(ReadTx& tx, const Order& order, const std::optional<Located>& located);
  void geocode(const GeocoderConfig& config, const Address& address,
               std::function<void(std::optional<Located>)> then);

  Store& store_;
  RuleBook& rules_;
  Geocoder* geocoder_;
};

// Looks the stored order's address up (Verifier::locate_order), then runs `work(tx, located)` as a
// write of the merchant's and hands its result to `done` once durable.
template <class T, class Work>
void write_located(Store& store, Verifier& verifier, TenantId tenant, std::int64_t order_id,
                   Work work, Callback<T> done) {
  verifier.locate_order(tenant, order_id,
                        [&store, tenant, work = std::move(work),
                         done = std::move(done)](std::optional<Located> located) mutable {
                          run_write<T>(
                              store, tenant,
                              [work = std::move(work), located = std::move(located)](
                                  WriteTx& tx) mutable { return work(tx, located); },
                              std::move(done));
                        });
}

// Closes a held order's alert (it was released or cancelled).
void close_hold_alert(WriteTx& tx, const Order& order, Instant now);

}  // namespace depot
