#include "app/tracking_service.h"

#include <algorithm>
#include <cctype>

#include "app/access_service.h"
#include "app/audit.h"
#include "app/order_writes.h"
#include "app/parcel_progress.h"
#include "app/tracking_links.h"
#include "domain/carriers.h"
#include "domain/text.h"

namespace depot {

namespace {

constexpr std::size_t kMaxCheckpointText = 500;
constexpr std::size_t kMaxLocation = 100;
constexpr std::size_t kMaxCheckpoints = 100;
// A scan time a little ahead of depot's clock is a carrier's clock running fast, not a typo.
constexpr std::chrono::hours kClockSkew{1};

// A person's checkpoint, checked field by field; `prefix` names it in errors ("events[2]").
Result<Checkpoint> checkpoint_of(const CheckpointInput& input, const std::string& prefix,
                                 Instant now) {
  std::vector<FieldError> errors;
  Checkpoint checkpoint;
  Result<ParcelStatus> status = parcel_status_of(input.status, prefix + "status");
  if (status.ok()) {
    checkpoint.status = *status;
  } else {
    errors.push_back(status.error().fields.front());
  }
  checkpoint.text = std::string(trimmed(input.text));
  if (checkpoint.text.empty()) {
    errors.push_back({prefix + "text", "is required"});
  } else if (utf8_length(checkpoint.text) > kMaxCheckpointText) {
    errors.push_back({prefix + "text", "is longer than 500 characters"});
  }
  checkpoint.at = input.at.value_or(now);
  if (checkpoint.at > now + kClockSkew) errors.push_back({prefix + "at", "is in the future"});
  checkpoint.location = std::string(trimmed(input.location));
  if (utf8_length(checkpoint.location) > kMaxLocation) {
    errors.push_back({prefix + "location", "is longer than 100 characters"});
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return checkpoint;
}

Error parcel_not_found(std::int64_t id) {
  return error(ErrorCode::not_found, "parcel " + std::to_string(id) + " was not found");
}

}  // namespace

Result<ParcelStatus> parcel_status_of(const std::string& text, const std::string& field) {
  if (std::optional<ParcelStatus> status = parse_parcel_status(trimmed(text))) return *status;
  return invalid_field(field,
                       "must be one of info_received, in_transit, out_for_delivery, delivered, "
                       "exception, returned");
}

std::string TrackingService::callback_url(TenantId tenant, const MerchantSettings& settings,
                                          const std::string& token) const {
  return site_url(settings) + "/api/v1/hooks/kuaidi100/" + std::to_string(tenant) + "/" + token;
}

CarrierAccountView TrackingService::view_of(TenantId tenant, const MerchantSettings& settings,
                                            const CarrierAccount& stored) const {
  CarrierAccountView view;
  view.url = stored.account.url;
  view.customer = stored.account.customer;
  view.key_set = !stored.account.key.empty();
  view.salt_set = !stored.account.salt.empty();
  view.callback_url = callback_url(tenant, settings, stored.callback_token);
  view.updated_at = stored.updated_at;
  return view;
}

Result<CarrierAccountView> TrackingService::carrier_account(const Actor& actor) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) return allowed.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<CarrierAccount> stored = tx->carrier_account();
  if (!stored) {
    return error(ErrorCode::not_found,
                 "no tracking account yet: PUT /api/v1/carriers/kuaidi100 sets one up");
  }
  return view_of(actor.tenant_id, tx->settings(), *stored);
}

void TrackingService::save_carrier_account(const Actor& actor, CarrierAccountInput input,
                                           Callback<CarrierAccountView> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  std::string_view url = trimmed(input.url);
  while (url.ends_with('/')) url.remove_suffix(1);
  input.url = std::string(url);
  if (!is_http_url(input.url)) {
    return done(invalid_field("url", "must be the aggregator's http:// or https:// address"));
  }
  run_write<CarrierAccountView>(
      store_, actor.tenant_id,
      [this, actor, tenant = actor.tenant_id,
       input = std::move(input)](WriteTx& tx) -> Result<CarrierAccountView> {
        std::optional<CarrierAccount> before = tx.carrier_account();
        CarrierAccount account;
        account.account.url = input.url;
        account.account.customer = std::string(trimmed(input.customer));
        account.account.key = !input.key.empty() ? input.key
                              : before           ? before->account.key
                                                 : std::string();
        account.account.salt = !input.salt.empty() ? input.salt
                               : before            ? before->account.salt
                                                   : std::string();
        std::vector<FieldError> missing;
        if (account.account.key.empty()) missing.push_back({"key", "is required"});
        if (account.account.customer.empty()) missing.push_back({"customer", "is required"});
        if (account.account.salt.empty()) missing.push_back({"salt", "is required"});
        if (!missing.empty()) return invalid_fields(std::move(missing));
        // The callback address stays the same across updates: subscriptions already made keep
        // pushing to it.
        account.callback_token = before ? before->callback_token : random_token(24);
        account.updated_at = clock_.now();
        tx.save_carrier_account(account);
        const TrackingAccount none;
        const TrackingAccount& old = before ? before->account : none;
        std::vector<FieldChange> changes;
        add_change(changes, "url", old.url, account.account.url);
        add_change(changes, "customer", old.customer, account.account.customer);
        add_secret_change(changes, "key", old.key, account.account.key);
        add_secret_change(changes, "salt", old.salt, account.account.salt);
        record_audit(tx, actor.name, before ? "carrier_account.update" : "carrier_account.create",
                     "carrier_account:kuaidi100", std::move(changes), account.updated_at);
        CarrierAccountView view = view_of(tenant, tx.settings(), account);
        view.created = !before;
        return view;
      },
      std::move(done));
}

ParcelView TrackingService::view_of(TenantId tenant, ReadTx& tx, Parcel parcel, Instant now) {
  ParcelView view;
  view.checkpoints = tx.checkpoints_of(parcel.id);
  if (parcel.active) {
    if (parcel.eta) {
      view.eta = parcel.eta;
      view.eta_basis = "carrier";
    } else {
      EtaEstimate estimate = etas_.estimate(tenant, tx, parcel, now);
      view.eta = estimate.expected;
      view.eta_late = estimate.late;
      view.eta_basis = estimate.basis == EtaBasis::carrier ? "carrier_history"
                                                           : std::string(to_string(estimate.basis));
    }
  }
  view.parcel = std::move(parcel);
  return view;
}

Result<OrderTracking> TrackingService::order_tracking(const Actor& actor, std::int64_t order_id) {
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<Order> order = tx->find_order(order_id);
  if (!order) return order_not_found(order_id);
  Instant now = clock_.now();
  OrderTracking tracking;
  for (Parcel& parcel : tx->parcels_of(order_id)) {
    if (parcel.return_id == 0) {
      tracking.parcels.push_back(view_of(actor.tenant_id, *tx, std::move(parcel), now));
    }
  }
  tracking.tracking_url = tracking_url(site_url(tx->settings()),
                                       tracking_token(tx->link_key(), actor.tenant_id, order_id));
  tracking.order = std::move(*order);
  return tracking;
}

Result<ParcelView> TrackingService::parcel(const Actor& actor, std::int64_t parcel_id) {
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<Parcel> parcel = tx->find_parcel(parcel_id);
  if (!parcel) return parcel_not_found(parcel_id);
  return view_of(actor.tenant_id, *tx, std::move(*parcel), clock_.now());
}

void TrackingService::add_checkpoints(const Actor& actor, std::int64_t parcel_id,
                                      std::vector<CheckpointInput> inputs, Callback<Parcel> done) {
  if (Status allowed = require(actor, Permission::ship_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  if (inputs.empty() || inputs.size() > kMaxCheckpoints) {
    return done(invalid_field("events", "must hold 1 to 100 checkpoints"));
  }
  Instant now = clock_.now();
  std::vector<Checkpoint> checkpoints;
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Result<Checkpoint> checkpoint =
        checkpoint_of(inputs[i], "events[" + std::to_string(i) + "].", now);
    if (checkpoint.ok()) {
      checkpoints.push_back(std::move(*checkpoint));
    } else {
      for (const FieldError& e : checkpoint.error().fields) errors.push_back(e);
    }
  }
  if (!errors.empty()) return done(invalid_fields(std::move(errors)));
  run_write<Parcel>(
      store_, actor.tenant_id,
      [actor, parcel_id, checkpoints = std::move(checkpoints), now](WriteTx& tx) -> Result<Parcel> {
        std::optional<Parcel> parcel = tx.find_parcel(parcel_id);
        if (!parcel) return parcel_not_found(parcel_id);
        ParcelStatus before = parcel->status;
        int added = record_progress(tx, *parcel, checkpoints, std::nullopt, "manual", now);
        std::vector<FieldChange> changes{{"checkpoints_added", "", std::to_string(added)}};
        add_change(changes, "status", std::string(to_string(before)),
                   std::string(to_string(parcel->status)));
        record_audit(tx, actor.name, "parcel.add_checkpoints", audit_object("parcel", parcel_id),
                     std::move(changes), now);
        return std::move(*parcel);
      },
      std::move(done));
}

void TrackingService::import_checkpoints(const Actor& actor, std::vector<CheckpointRow> rows,
                                         Callback<CheckpointImport> done) {
  if (Status allowed = require(actor, Permission::ship_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  if (rows.empty()) return done(invalid_field("body", "holds no rows"));
  if (rows.size() > kMaxImportRows) {
    return done(invalid_field("body", "holds more than 10000 rows; split the file"));
  }
  run_write<CheckpointImport>(
      store_, actor.tenant_id,
      [this, actor, rows = std::move(rows)](WriteTx& tx) -> Result<CheckpointImport> {
        Instant now = clock_.now();
        CheckpointImport report;
        for (const CheckpointRow& row : rows) {
          if (!row.column.empty()) {
            report.failed.push_back({row.line, row.column, row.message});
            continue;
          }
          Result<Checkpoint> checkpoint = checkpoint_of(row.checkpoint, "", now);
          if (!checkpoint.ok()) {
            const FieldError& first = checkpoint.error().fields.front();
            report.failed.push_back({row.line, first.field, first.message});
            continue;
          }
          std::vector<Parcel> parcels =
              tx.parcels_by_number(normalized_tracking_no(row.tracking_no));
          if (parcels.empty()) {
            report.failed.push_back({row.line, "tracking_no", "no parcel has this number"});
            continue;
          }
          int added = 0;
          for (Parcel& parcel : parcels) {
            added += record_progress(tx, parcel, {*checkpoint}, std::nullopt, "csv", now);
          }
          ++(added > 0 ? report.applied : report.unchanged);
        }
        record_audit(tx, actor.name, "tracking.import", "tracking",
                     {{"rows", "", std::to_string(rows.size())},
                      {"applied", "", std::to_string(report.applied)},
                      {"failed", "", std::to_string(report.failed.size())}},
                     now);
        return report;
      },
      std::move(done));
}

void TrackingService::receive_push(TenantId tenant, const std::string& token,
                                   const std::string& param, const std::string& sign,
                                   Callback<int> done) {
  auto unknown = [] { return error(ErrorCode::not_found, "no such callback address"); };
  std::optional<CarrierAccount> account = store_.read(tenant)->carrier_account();
  if (!account || !constant_time_equal(token, account->callback_token)) return done(unknown());
  Result<TrackingReport> report = tracker_.read_push(account->account, param, sign);
  if (!report.ok()) return done(report.error());
  run_write<int>(
      store_, tenant,
      [this, report = std::move(*report)](WriteTx& tx) -> Result<int> {
        Instant now = clock_.now();
        int added = 0;
        bool known = false;
        // Matched by number alone: the aggregator may have corrected the carrier (autoCheck), and
        // a merchant's tracking numbers do not repeat across carriers.
        for (Parcel& parcel : tx.parcels_by_number(normalized_tracking_no(report.number))) {
          known = true;
          added += record_progress(tx, parcel, report.checkpoints, report.eta, "push", now);
          if (report.aborted && parcel.active) {
            // The aggregator stopped following the parcel: subscribe it again, within the
            // attempts a subscription has.
            parcel.subscription = Subscription::pending;
            parcel.subscribe_error = report.message;
            parcel.next_subscribe_at = now + std::chrono::minutes(30);
            tx.update_parcel(parcel);
          }
        }
        if (!known) {
          return error(ErrorCode::not_found, "no parcel has number " + report.number);
        }
        return added;
      },
      std::move(done));
}

}  // namespace depot
