#pragma once
// Inbound platform integration (SPEC INT-2). A merchant connects a platform (generic, Shopify,
// Taobao) and gets a webhook address and a secret; the platform's deliveries are signed with the
// secret (HMAC-SHA256 over the raw body) and create, update, pay and cancel the merchant's orders,
// idempotently by platform and external number. The HTTP edge reads each platform's JSON into a
// PlatformOrder (http/platform_orders.h); what an order of a platform is, and what a delivery does
// to it, is decided here. Thread-safe.
//
// A delivery is the platform's order as it stands, and its topic says what happened:
//   created, updated  the content is the order now: created when depot has not seen it, edited
//                     (within depot's edit rules) when it differs, unchanged when it is the same;
//                     then paid and cancelled as the delivery reports.
//   paid              created when unseen; the stored content is left as it is; paid.
//   cancelled         created when unseen; the stored content is left as it is; cancelled.
// Payments are recorded once per reference "{platform}:{external_no}:{transaction}", so a payment
// delivered twice pays once. Repeats change nothing and answer the order as it is.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/order_service.h"
#include "app/site_address.h"
#include "app/verifier.h"
#include "app/write.h"

namespace depot {

// The platforms depot reads orders from: depot's own order input ("generic"), Shopify's order
// JSON, a Taobao trade.
inline constexpr std::string_view kPlatforms[] = {"generic", "shopify", "taobao"};

enum class PlatformTopic { created, updated, paid, cancelled };

// What a platform says was paid for one of its orders.
struct PlatformPayment {
  std::optional<std::int64_t> amount;  // minor units; nothing: whatever is still due
  std::string method;                  // "shopify", "alipay", …
  std::string transaction;  // the platform's id of the payment ("paid" when it gives none)
  Instant paid_at;          // the epoch when the platform does not say
};

// One of a platform's orders, as its delivery or an import row describes it.
struct PlatformOrder {
  OrderDraft draft;  // platform and external_no set
  // The platform's own id of the order where it differs from external_no (Shopify's numeric
  // `id` beside its `name`); the write-back calls the platform by it. "" when it gave none.
  std::string platform_order_id;
  std::optional<PlatformPayment> payment;
  std::optional<std::string> cancellation;  // the platform cancelled (closed) it, and why
};

// A platform order checked and made ready for the writer.
struct PreparedPlatformOrder {
  PreparedOrder order;
  std::string platform_order_id;
  std::optional<PlatformPayment> payment;
  std::optional<std::string> cancellation;
};

// Validates (422 naming every bad field by depot's name) and prepares a platform's order.
Result<PreparedPlatformOrder> prepare_platform_order(PlatformOrder order);

// What applying a platform's order did.
struct SyncedOrder {
  Order order;
  bool created = false;
  bool changed = false;  // created, edited, paid or cancelled
};

// The header values a delivery's signature came in ("" when absent): X-Depot-Signature
// ("sha256=" + lower-case hex) and Shopify's X-Shopify-Hmac-Sha256 (base64).
struct DeliverySignature {
  std::string depot;
  std::string shopify;
};

struct IntegrationInput {
  std::string platform;
  std::string name;
  std::string secret;  // empty: depot makes one (a platform such as Shopify may dictate its own)
};

// A change of a connection: what is set changes. callback_url is an http(s) URL, or "" to write
// nothing back: a generic connection's callback, or a Shopify shop's base URL
// (https://{shop}.myshopify.com); Taobao connections do not write back. access_token is a
// Shopify connection's Admin API access token ("" clears it).
struct IntegrationPatch {
  std::optional<std::string> name;
  std::optional<std::string> callback_url;
  std::optional<std::string> access_token;
};

// A connection as the merchant sees it. `secret` is set only in the answer that created it; the
// access token is never shown, only whether one is set.
struct IntegrationView {
  Integration integration;
  std::string webhook_url;
  bool access_token_set = false;
};

class IntegrationService {
 public:
  IntegrationService(Store& store, Clock& clock, Verifier& verifier, OrderService& orders,
                     const SiteAddress& site)
      : store_(store), clock_(clock), verifier_(verifier), orders_(orders), site_(site) {}

  // Connections; each needs Permission::manage. A name is unique per merchant (409 naming it).
  void create(const Actor& actor, IntegrationInput input, Callback<IntegrationView> done);
  Result<std::vector<IntegrationView>> list(const Actor& actor);
  Result<IntegrationView> get(const Actor& actor, std::int64_t id);
  // Renames a connection or sets where (and, for Shopify, with which access token) its orders'
  // shipments are written back (422 naming the field, 404, 409 for a taken name); audited with
  // the URL by its host and the token as changed.
  void update(const Actor& actor, std::int64_t id, IntegrationPatch patch,
              Callback<IntegrationView> done);
  void remove(const Actor& actor, std::int64_t id, Callback<bool> done);

  // The connection a delivery to /api/v1/hooks/platforms/{tenant}/{id} is for, once its
  // signature over the raw `body` proves the sender holds the secret (compared in constant time).
  // 404 for no such connection, 401 for a missing or wrong signature. Reads nothing of the body.
  Result<Integration> authenticate(TenantId tenant, std::int64_t id,
                                   const DeliverySignature& signature, std::string_view body);
  // Applies an authenticated delivery, as "integration:{id}". An order it creates is linked to
  // the connection, so its shipments are written back there.
  void deliver(TenantId tenant, const Integration& integration, PlatformTopic topic,
               PlatformOrder order, Callback<SyncedOrder> done);

  // The step both deliveries and bulk imports take inside their write: finds the order by
  // platform and external number and creates, edits, pays and cancels it as `topic` and the order
  // say. `located` is a geocoder's answer for the order's address, or nothing.
  Result<SyncedOrder> sync_in(WriteTx& tx, const Actor& actor, PlatformTopic topic,
                              const PreparedPlatformOrder& prepared,
                              const std::optional<Located>& located);

 private:
  // The connection without its secret, and its webhook address.
  IntegrationView view_of(TenantId tenant, Integration integration,
                          const MerchantSettings& settings) const;

  Store& store_;
  Clock& clock_;
  Verifier& verifier_;
  OrderService& orders_;
  const SiteAddress& site_;
};

}  // namespace depot
