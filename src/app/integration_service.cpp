#include "app/integration_service.h"

#include <algorithm>

#include "app/access_service.h"
#include "app/audit.h"
#include "app/order_writes.h"
#include "app/signing.h"
#include "domain/notification.h"
#include "domain/text.h"

namespace depot {

namespace {

constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMinSecret = 16;
constexpr std::size_t kMaxSecret = 200;
// base32 characters carry 5 bits each: 52 of them are 260 random bits, more than 32 bytes.
constexpr std::size_t kSecretChars = 52;
constexpr std::string_view kDepotSignaturePrefix = "sha256=";

Error integration_not_found(std::int64_t id) {
  return error(ErrorCode::not_found, "integration " + std::to_string(id) + " was not found");
}

std::string integration_actor(std::int64_t id) { return "integration:" + std::to_string(id); }

std::vector<FieldError> validate_input(const IntegrationInput& input) {
  std::vector<FieldError> errors;
  if (std::find(std::begin(kPlatforms), std::end(kPlatforms), input.platform) ==
      std::end(kPlatforms)) {
    errors.push_back({"platform", "must be one of generic, shopify, taobao"});
  }
  std::size_t name_length = utf8_length(input.name);
  if (name_length == 0 || name_length > kMaxName) {
    errors.push_back({"name", "must be 1 to 100 characters"});
  }
  if (!input.secret.empty()) {
    bool printable = std::all_of(input.secret.begin(), input.secret.end(),
                                 [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    if (!printable || input.secret.size() < kMinSecret || input.secret.size() > kMaxSecret) {
      errors.push_back({"secret", "must be 16 to 200 printable ASCII characters without spaces"});
    }
  }
  return errors;
}

std::vector<FieldError> validate_patch(const IntegrationPatch& patch) {
  std::vector<FieldError> errors;
  if (patch.name) {
    std::size_t name_length = utf8_length(*patch.name);
    if (name_length == 0 || name_length > kMaxName) {
      errors.push_back({"name", "must be 1 to 100 characters"});
    }
  }
  if (patch.callback_url && !patch.callback_url->empty() &&
      (!is_http_url(*patch.callback_url) || patch.callback_url->size() > kMaxUrl)) {
    errors.push_back({"callback_url",
                      "must be an http:// or https:// URL of at most 2048 bytes, "
                      "or empty to write nothing back"});
  }
  if (patch.access_token) {
    bool printable = std::all_of(patch.access_token->begin(), patch.access_token->end(),
                                 [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    if (!printable || patch.access_token->size() > kMaxSecret) {
      errors.push_back({"access_token",
                        "must be at most 200 printable ASCII characters without spaces, or "
                        "empty to clear it"});
    }
  }
  return errors;
}

// A URL in the audit log shows its host alone: a path or query may carry a token.
std::string audited_url(const std::string& url) {
  return mask_recipient(ChannelKind::platform, url);
}

// The parts of a stored order a platform's draft of it changes; nothing when they agree.
OrderPatch changes_from(const Order& order, const OrderDraft& draft) {
  OrderPatch patch;
  if (draft.lines != order.lines) patch.lines = draft.lines;
  if (draft.customer != order.customer) patch.customer = draft.customer;
  if (draft.shipping_address != order.shipping_address) {
    patch.shipping_address = draft.shipping_address;
  }
  if (draft.notes != order.notes) patch.notes = draft.notes;
  return patch;
}

bool changes_anything(const OrderPatch& patch) {
  return patch.lines || patch.customer || patch.shipping_address || patch.notes;
}

// A payment's error names its own fields ("amount"); a platform's payment is the delivery's.
Error about_payment(Error e) {
  for (FieldError& field : e.fields) field.field = "payment." + field.field;
  return e;
}

}  // namespace

Result<PreparedPlatformOrder> prepare_platform_order(PlatformOrder order) {
  if (trimmed(order.draft.external_no).empty()) {
    return invalid_field("external_no", "is required: it identifies the platform's order");
  }
  if (order.payment && order.payment->amount && *order.payment->amount <= 0) {
    return invalid_field("payment.amount", "must be greater than 0");
  }
  Result<PreparedOrder> prepared = prepare_order(CreateOrderCommand{std::move(order.draft), {}});
  if (!prepared.ok()) return prepared.error();
  return PreparedPlatformOrder{std::move(*prepared), std::move(order.platform_order_id),
                               std::move(order.payment), std::move(order.cancellation)};
}

IntegrationView IntegrationService::view_of(TenantId tenant, Integration integration,
                                            const MerchantSettings& settings) const {
  integration.secret.clear();
  bool access_token_set = !integration.access_token.empty();
  integration.access_token.clear();
  // The store scopes every read by merchant, so the address names the merchant beside the
  // connection, as the other callback addresses do.
  std::string url = site_.of(settings.notify.public_url) + "/api/v1/hooks/platforms/" +
                    std::to_string(tenant) + "/" + std::to_string(integration.id);
  return {std::move(integration), std::move(url), access_token_set};
}

void IntegrationService::create(const Actor& actor, IntegrationInput input,
                                Callback<IntegrationView> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  input.name = std::string(trimmed(input.name));
  if (std::vector<FieldError> errors = validate_input(input); !errors.empty()) {
    return done(invalid_fields(std::move(errors)));
  }
  Integration integration;
  integration.platform = std::move(input.platform);
  integration.name = std::move(input.name);
  integration.secret = input.secret.empty() ? random_token(kSecretChars) : std::move(input.secret);
  run_write<IntegrationView>(
      store_, actor.tenant_id,
      [this, actor,
       integration = std::move(integration)](WriteTx& tx) mutable -> Result<IntegrationView> {
        for (const Integration& existing : tx.integrations()) {
          if (existing.name == integration.name) {
            return Error{ErrorCode::conflict,
                         "an integration named \"" + integration.name + "\" exists",
                         {{"name", "is taken by integration " + std::to_string(existing.id)}}};
          }
        }
        Instant now = clock_.now();
        integration.created_at = now;
        tx.insert_integration(integration);
        std::vector<FieldChange> changes;
        add_change(changes, "platform", "", integration.platform);
        add_change(changes, "name", "", integration.name);
        add_secret_change(changes, "secret", "", integration.secret);
        record_audit(tx, actor.name, "integration.create",
                     audit_object("integration", integration.id), std::move(changes), now);
        IntegrationView view = view_of(actor.tenant_id, integration, tx.settings());
        view.integration.secret = integration.secret;  // shown this once
        return view;
      },
      std::move(done));
}

Result<std::vector<IntegrationView>> IntegrationService::list(const Actor& actor) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  MerchantSettings settings = tx->settings();
  std::vector<IntegrationView> views;
  for (Integration& integration : tx->integrations()) {
    views.push_back(view_of(actor.tenant_id, std::move(integration), settings));
  }
  return views;
}

Result<IntegrationView> IntegrationService::get(const Actor& actor, std::int64_t id) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<Integration> integration = tx->find_integration(id);
  if (!integration) return integration_not_found(id);
  return view_of(actor.tenant_id, std::move(*integration), tx->settings());
}

void IntegrationService::update(const Actor& actor, std::int64_t id, IntegrationPatch patch,
                                Callback<IntegrationView> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  if (patch.name) patch.name = std::string(trimmed(*patch.name));
  if (patch.callback_url) patch.callback_url = std::string(trimmed(*patch.callback_url));
  if (patch.access_token) patch.access_token = std::string(trimmed(*patch.access_token));
  if (std::vector<FieldError> errors = validate_patch(patch); !errors.empty()) {
    return done(invalid_fields(std::move(errors)));
  }
  run_write<IntegrationView>(
      store_, actor.tenant_id,
      [this, actor, id, patch = std::move(patch)](WriteTx& tx) -> Result<IntegrationView> {
        std::optional<Integration> found = tx.find_integration(id);
        if (!found) return integration_not_found(id);
        Integration changed = *found;
        if (patch.name && *patch.name != found->name) {
          for (const Integration& existing : tx.integrations()) {
            if (existing.name == *patch.name) {
              return Error{ErrorCode::conflict,
                           "an integration named \"" + *patch.name + "\" exists",
                           {{"name", "is taken by integration " + std::to_string(existing.id)}}};
            }
          }
          changed.name = *patch.name;
        }
        if (patch.callback_url) {
          // Taobao's own shipping call is not spoken: a URL there would receive depot's generic
          // body, which Taobao does not read.
          if (!patch.callback_url->empty() && found->platform == "taobao") {
            return invalid_field(
                "callback_url", "write-back is supported for generic and shopify connections only");
          }
          changed.callback_url = *patch.callback_url;
        }
        if (patch.access_token) {
          // Only Shopify's Admin API takes a token; the generic call is signed with the secret.
          if (!patch.access_token->empty() && found->platform != "shopify") {
            return invalid_field("access_token",
                                 "is for shopify connections only, not " + found->platform);
          }
          changed.access_token = *patch.access_token;
        }
        std::vector<FieldChange> changes;
        add_change(changes, "name", found->name, changed.name);
        if (changed.callback_url != found->callback_url) {
          // Recorded even when only the masked path changed, so the entry shows that it did.
          changes.push_back({"callback_url", audited_url(found->callback_url),
                             audited_url(changed.callback_url)});
        }
        add_secret_change(changes, "access_token", found->access_token, changed.access_token);
        if (!changes.empty()) {
          tx.update_integration(changed);
          record_audit(tx, actor.name, "integration.update", audit_object("integration", id),
                       std::move(changes), clock_.now());
        }
        return view_of(actor.tenant_id, std::move(changed), tx.settings());
      },
      std::move(done));
}

void IntegrationService::remove(const Actor& actor, std::int64_t id, Callback<bool> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  run_write<bool>(
      store_, actor.tenant_id,
      [this, actor, id](WriteTx& tx) -> Result<bool> {
        std::optional<Integration> integration = tx.find_integration(id);
        if (!integration) return integration_not_found(id);
        tx.delete_integration(id);
        std::vector<FieldChange> changes;
        add_change(changes, "platform", integration->platform, "");
        add_change(changes, "name", integration->name, "");
        record_audit(tx, actor.name, "integration.delete", audit_object("integration", id),
                     std::move(changes), clock_.now());
        return true;
      },
      std::move(done));
}

Result<Integration> IntegrationService::authenticate(TenantId tenant, std::int64_t id,
                                                     const DeliverySignature& signature,
                                                     std::string_view body) {
  std::optional<Integration> integration = store_.read(tenant)->find_integration(id);
  if (!integration) return error(ErrorCode::not_found, "no such webhook address");
  std::string digest = hmac_sha256(integration->secret, body);
  std::string_view depot = trimmed(signature.depot);
  std::string_view shopify = trimmed(signature.shopify);
  bool valid = false;
  if (!depot.empty()) {
    // Hex says the same in either case: only the digits are compared, in constant time.
    valid = depot.starts_with(kDepotSignaturePrefix) &&
            constant_time_equal(ascii_lower(depot.substr(kDepotSignaturePrefix.size())),
                                lower_hex(digest));
  } else if (!shopify.empty()) {
    valid = constant_time_equal(shopify, base64(digest));
  } else {
    return error(ErrorCode::unauthenticated,
                 "X-Depot-Signature is required: sha256= and the hex HMAC-SHA256 of the body");
  }
  if (!valid) {
    return error(ErrorCode::unauthenticated,
                 "the signature is not the HMAC-SHA256 of this body under the integration's "
                 "secret");
  }
  return std::move(*integration);
}

void IntegrationService::deliver(TenantId tenant, const Integration& integration,
                                 PlatformTopic topic, PlatformOrder order,
                                 Callback<SyncedOrder> done) {
  Actor actor{tenant, integration_actor(integration.id), Role::owner};
  if (order.draft.platform.empty()) order.draft.platform = integration.platform;
  // The topic says what happened, whatever the body's fields left out.
  if (topic == PlatformTopic::paid && !order.payment) order.payment = PlatformPayment{};
  if (topic == PlatformTopic::cancelled && !order.cancellation) {
    order.cancellation = "cancelled on " + order.draft.platform;
  }
  Result<PreparedPlatformOrder> prepared = prepare_platform_order(std::move(order));
  if (!prepared.ok()) return done(prepared.error());
  // The address is looked up before the write, never on the store's writer.
  Address address = prepared->order.command.draft.shipping_address;
  verifier_.locate(
      tenant, address,
      [this, actor, topic, integration_id = integration.id, prepared = std::move(*prepared),
       done = std::move(done)](std::optional<Located> located) mutable {
        run_write<SyncedOrder>(
            store_, actor.tenant_id,
            [this, actor, topic, integration_id, prepared = std::move(prepared),
             located = std::move(located)](WriteTx& tx) -> Result<SyncedOrder> {
              Result<SyncedOrder> synced = sync_in(tx, actor, topic, prepared, located);
              // Only an order the connection created is linked: an order another door made
              // first is not the platform's to be told about.
              if (synced.ok() && synced->created) {
                tx.link_integration_order(synced->order.id, integration_id,
                                          prepared.platform_order_id);
              }
              return synced;
            },
            std::move(done));
      });
}

Result<SyncedOrder> IntegrationService::sync_in(WriteTx& tx, const Actor& actor,
                                                PlatformTopic topic,
                                                const PreparedPlatformOrder& prepared,
                                                const std::optional<Located>& located) {
  const OrderDraft& draft = prepared.order.command.draft;
  SyncedOrder synced;
  if (auto seen = tx.find_order_by_external_no(draft.platform, draft.external_no)) {
    std::optional<Order> stored = tx.find_order(seen->first);
    if (!stored) return order_not_found(seen->first);
    synced.order = std::move(*stored);
    // A cancelled order the platform reports cancelled is settled: later deliveries of it (a
    // platform may restock its lines on cancel) change nothing.
    bool settled = synced.order.status == OrderStatus::cancelled && prepared.cancellation;
    bool describes_content = topic == PlatformTopic::created || topic == PlatformTopic::updated;
    if (describes_content && !settled) {
      if (!draft.currency.empty() && draft.currency != synced.order.currency) {
        return invalid_field("currency", "is " + draft.currency + ", but the order is in " +
                                             synced.order.currency +
                                             ": an order's currency cannot change");
      }
      OrderPatch patch = changes_from(synced.order, draft);
      if (changes_anything(patch)) {
        Result<Order> edited =
            orders_.edit_in(tx, actor, synced.order.id, kAnyVersion, patch, located);
        if (!edited.ok()) return edited.error();
        synced.order = std::move(*edited);
        synced.changed = true;
      }
    }
  } else {
    Result<CreatedOrder> created = orders_.create_in(tx, actor, prepared.order);
    if (!created.ok()) return created.error();
    synced.order = std::move(created->order);
    synced.created = synced.changed = true;
  }

  Order& order = synced.order;
  bool cancelled_here = order.status == OrderStatus::cancelled && prepared.cancellation;
  if (prepared.payment && !cancelled_here) {
    const PlatformPayment& reported = *prepared.payment;
    std::string reference = draft.platform + ":" + draft.external_no + ":" +
                            (reported.transaction.empty() ? "paid" : reported.transaction);
    std::int64_t due = order.total - order.paid_amount;
    // "Paid" without an amount means paid in full: nothing more when nothing is due.
    bool owed = reported.amount.has_value() || due > 0;
    if (owed && !tx.has_payment(order.id, reference)) {
      Payment payment{reported.amount.value_or(due),
                      reported.method.empty() ? draft.platform : reported.method, reference,
                      reported.paid_at};
      Result<Order> paid = orders_.pay_in(tx, actor, order.id, std::move(payment), located);
      if (!paid.ok()) return about_payment(paid.error());
      order = std::move(*paid);
      synced.changed = true;
    }
  }
  if (prepared.cancellation && order.status != OrderStatus::cancelled) {
    if (Status cancelled =
            orders_.cancel_in(tx, order, actor.name, *prepared.cancellation, false, clock_.now());
        !cancelled.ok()) {
      return cancelled.error();
    }
    synced.changed = true;
  }
  return synced;
}

}  // namespace depot
