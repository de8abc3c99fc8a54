#include "app/batch_shipping.h"

#include <algorithm>
#include <set>
#include <thread>

#include "app/audit.h"
#include "app/print_service.h"
#include "app/tracking_service.h"
#include "concurrency/mutex.h"
#include "domain/carriers.h"
#include "domain/divisions.h"
#include "domain/text.h"

namespace depot {

namespace {

// Each waybill request: one try and two retries of what a retry may cure, a second apart and
// then two. Whatever is still unavailable fails for now; repeating the batch asks again under the
// same key.
constexpr int kAttempts = 3;
constexpr std::chrono::seconds kRetryDelay{1};

// Why an order cannot ship now, as the batch reports it: a held order's every reason.
std::vector<std::string> blockers_of(const Order& order) {
  std::vector<std::string> reasons;
  if (order.status == OrderStatus::on_hold) {
    for (const HoldReason& r : order.hold_reasons) reasons.push_back(r.code + ": " + r.message);
    if (reasons.empty()) reasons.push_back("the order is on hold");
    return reasons;
  }
  for (const FieldError& e : shipping_blockers(order)) reasons.push_back(e.message);
  return reasons;
}

std::vector<std::string> reasons_of(const Error& e) {
  std::vector<std::string> reasons;
  for (const FieldError& f : e.fields) reasons.push_back(f.field + ": " + f.message);
  if (reasons.empty()) reasons.push_back(e.message);
  return reasons;
}

// What the parcel holds, as the waybill states it: its first products' names, its units and their
// weight, each product read once.
void describe_contents(ReadTx& tx, const std::vector<ShipmentLine>& lines,
                       WaybillRequest& request) {
  constexpr std::size_t kNamed = 3;
  request.cargo.clear();
  request.count = 0;
  std::int64_t grams = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::optional<Product> product = tx.find_product(lines[i].sku);
    if (i < kNamed) {
      if (i > 0) request.cargo += "、";
      request.cargo += product && !product->name.empty() ? product->name : lines[i].sku;
    }
    request.count += lines[i].quantity;
    if (product) grams += product->weight_grams * lines[i].quantity;
  }
  if (lines.size() > kNamed) request.cargo += "等";
  request.weight_kg = static_cast<double>(grams) / 1000.0;
}

}  // namespace

struct BatchShipping::Step {
  std::int64_t order_id = 0;
  std::optional<BatchOrder> outcome;  // decided before any waybill: skipped or failed
  Waybill waybill;
  bool request = false;  // the aggregator is to be asked for the waybill
  WaybillRequest waybill_request;
  std::optional<Result<IssuedWaybill>> issued;
};

void BatchShipping::create(const Actor& actor, BatchInput input, Callback<ShipmentBatch> done) {
  if (Status allowed = require(actor, Permission::ship_orders); !allowed.ok()) {
    return done(allowed.error());
  }
  const Carrier* carrier = find_carrier(trimmed(input.carrier));
  if (carrier == nullptr) {
    return done(invalid_field(
        "carrier", "unknown carrier " + input.carrier + "; GET /api/v1/carriers lists the codes"));
  }
  if (input.order_ids.size() > kMaxOrders) {
    return done(invalid_field("order_ids", "may name at most " + std::to_string(kMaxOrders) +
                                               " orders; split the batch"));
  }
  run_write<ShipmentBatch>(
      store_, actor.tenant_id,
      [this, actor, code = std::string(carrier->code),
       input = std::move(input)](WriteTx& tx) -> Result<ShipmentBatch> {
        Instant now = clock_.now();
        std::vector<FieldError> errors;
        std::optional<WaybillAccount> account = tx.waybill_account();
        if (!account || !account->carriers.contains(code)) {
          errors.push_back({"carrier", "the waybill account has no " + code +
                                           " account; PUT /api/v1/carriers/kuaidi100/waybill"});
        }
        std::optional<Warehouse> main = tx.find_warehouse(std::string(kMainWarehouse));
        if (!main || !main->sender) {
          errors.push_back({"sender",
                            "warehouse main has no sender address; PUT "
                            "/api/v1/warehouses/main/sender"});
        }
        std::vector<std::int64_t> ids;
        std::set<std::int64_t> seen;
        for (std::int64_t id : input.order_ids) {
          if (seen.insert(id).second) ids.push_back(id);
        }
        if (input.order_ids.empty() && input.filter) {
          OrderQuery query = *input.filter;
          query.status = OrderStatus::awaiting_shipment;
          query.newest_first = false;
          query.limit = std::clamp(query.limit, 1, static_cast<int>(kMaxOrders));
          for (const Order& order : tx.list_orders(query)) ids.push_back(order.id);
        }
        if (ids.empty()) {
          errors.push_back(input.filter ? FieldError{"filter", "matches no order awaiting shipment"}
                                        : FieldError{"order_ids", "must name at least one order"});
        }
        if (!errors.empty()) return invalid_fields(std::move(errors));
        ShipmentBatch batch;
        batch.carrier = code;
        batch.total = static_cast<std::int64_t>(ids.size());
        batch.actor = actor.name;
        batch.created_at = now;
        tx.insert_batch(batch, ids);
        record_audit(tx, actor.name, "shipments.batch", audit_object("batch", batch.id),
                     {{"carrier", "", code}, {"orders", "", std::to_string(batch.total)}}, now);
        return batch;
      },
      [this, done = std::move(done)](Result<ShipmentBatch> stored) {
        if (stored.ok() && on_queued_) on_queued_();
        done(std::move(stored));
      });
}

Result<BatchReport> BatchShipping::report(const Actor& actor, std::int64_t id) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  std::unique_ptr<ReadTx> tx = store_.read(actor.tenant_id);
  std::optional<ShipmentBatch> batch = tx->find_batch(id);
  if (!batch) return error(ErrorCode::not_found, "batch " + std::to_string(id) + " was not found");
  return BatchReport{std::move(*batch), tx->batch_orders(id)};
}

Result<std::string> BatchShipping::labels_pdf(const Actor& actor, std::int64_t id, PaperSize size) {
  if (Status allowed = require(actor, Permission::ship_orders); !allowed.ok()) {
    return allowed.error();
  }
  std::optional<ShipmentBatch> batch = store_.read(actor.tenant_id)->find_batch(id);
  if (!batch) return error(ErrorCode::not_found, "batch " + std::to_string(id) + " was not found");
  if (batch->status != BatchStatus::finished) {
    return error(ErrorCode::conflict, "batch " + std::to_string(id) +
                                          " is still running; its PDF is made when it finishes");
  }
  std::string name = file_name(actor.tenant_id, id, size);
  if (!files_.exists(name)) {
    if (Status rendered = render(actor.tenant_id, id, size); !rendered.ok()) {
      return rendered.error();
    }
  }
  return files_.path_of(name);
}

std::vector<std::pair<TenantId, std::int64_t>> BatchShipping::unfinished() {
  std::vector<std::pair<TenantId, std::int64_t>> batches;
  for (TenantId tenant : store_.tenant_ids()) {
    for (std::int64_t id : store_.read(tenant)->unfinished_batches()) {
      batches.emplace_back(tenant, id);
    }
  }
  return batches;
}

Result<bool> BatchShipping::run_batch(TenantId tenant, std::int64_t batch_id) {
  std::optional<ShipmentBatch> batch;
  std::optional<WaybillAccount> account;
  std::vector<std::int64_t> pending;
  {
    std::unique_ptr<ReadTx> tx = store_.read(tenant);
    batch = tx->find_batch(batch_id);
    if (!batch || batch->status == BatchStatus::finished) return true;
    for (const BatchOrder& order : tx->batch_orders(batch_id)) {
      if (order.outcome == BatchOutcome::pending && pending.size() < kChunk) {
        pending.push_back(order.order_id);
      }
    }
    account = tx->waybill_account();
  }
  if (pending.empty()) {
    // The PDFs are made before the batch says it has finished, so a finished batch has them; a
    // label that cannot be read leaves none, and the download then names the order at fault.
    for (PaperSize size : {PaperSize::label, PaperSize::a4}) (void)render(tenant, batch_id, size);
    return run_write_blocking<bool>(store_, tenant, [&](WriteTx& tx) -> Result<bool> {
      batch->status = BatchStatus::finished;
      batch->finished_at = clock_.now();
      tx.update_batch(*batch);
      return true;
    });
  }
  Result<std::vector<Step>> steps = prepare(tenant, *batch, pending);
  if (!steps.ok()) return steps.error();
  if (account) request_waybills(*account, *steps);
  Result<std::vector<Waybill>> unused = complete(tenant, batch_id, *steps);
  if (!unused.ok()) return unused.error();
  if (account && !unused->empty()) cancel_waybills(tenant, *account, *unused);
  return false;
}

Result<std::vector<BatchShipping::Step>> BatchShipping::prepare(
    TenantId tenant, const ShipmentBatch& batch, const std::vector<std::int64_t>& order_ids) {
  return run_write_blocking<std::vector<Step>>(
      store_, tenant, [&](WriteTx& tx) -> Result<std::vector<Step>> {
        Instant now = clock_.now();
        const Carrier* carrier = find_carrier(batch.carrier);
        std::optional<WaybillAccount> account = tx.waybill_account();
        const std::map<std::string, std::string>* carrier_account = nullptr;
        if (account && carrier != nullptr) {
          auto found = account->carriers.find(std::string(carrier->code));
          if (found != account->carriers.end()) carrier_account = &found->second;
        }
        std::optional<Warehouse> main = tx.find_warehouse(std::string(kMainWarehouse));
        // Tracking starts with the waybill when the merchant follows parcels with the aggregator.
        std::string callback;
        if (std::optional<CarrierAccount> tracking = tx.carrier_account()) {
          callback = tracking_.callback_url(tenant, tx.settings(), tracking->callback_token);
        }

        std::vector<Step> steps;
        for (std::int64_t id : order_ids) {
          Step step;
          step.order_id = id;
          auto decide = [&](BatchOutcome outcome, std::vector<std::string> reasons) {
            step.outcome = BatchOrder{id, outcome, std::move(reasons), ""};
          };
          std::optional<Order> order = tx.find_order(id);
          if (!order) {
            decide(BatchOutcome::skipped, {"order " + std::to_string(id) + " was not found"});
          } else if (std::vector<std::string> reasons = blockers_of(*order); !reasons.empty()) {
            decide(BatchOutcome::skipped, std::move(reasons));
          } else if (carrier_account == nullptr) {
            decide(BatchOutcome::failed,
                   {"carrier: the waybill account has no " + batch.carrier + " account"});
          } else if (!main || !main->sender) {
            decide(BatchOutcome::failed, {"sender: warehouse main has no sender address"});
          } else if (shipping_.hold_if_unverified(tx, batch.actor, *order, now)) {
            decide(BatchOutcome::skipped, blockers_of(*order));
          } else {
            std::vector<Shipment> shipments = tx.shipments_of(id);
            int parcel = static_cast<int>(shipments.size()) + 1;
            // A parcel's waybill given back is asked for again under a new key.
            int given_back = 0;
            for (const Waybill& earlier : tx.waybills_of(id)) {
              if (earlier.parcel == parcel && earlier.status == WaybillStatus::cancelled) {
                ++given_back;
              }
            }
            std::string key = "depot-" + std::to_string(tenant) + "-" + std::to_string(id) + "-" +
                              std::to_string(parcel);
            if (given_back > 0) key += "-" + std::to_string(given_back + 1);
            std::optional<Waybill> existing = tx.find_waybill(key);
            if (existing) {
              step.waybill = std::move(*existing);
              if (step.waybill.status == WaybillStatus::failed) {
                step.waybill.status = WaybillStatus::requested;
                step.waybill.error.clear();
                step.waybill.updated_at = now;
                tx.update_waybill(step.waybill);
              }
            } else {
              step.waybill.order_id = id;
              step.waybill.parcel = parcel;
              step.waybill.parcel_key = key;
              step.waybill.carrier = batch.carrier;
              step.waybill.batch_id = batch.id;
              step.waybill.created_at = now;
              step.waybill.updated_at = now;
              tx.insert_waybill(step.waybill);
            }
            step.request = step.waybill.status != WaybillStatus::issued;
            if (step.request) {
              std::vector<ShipmentLine> lines = unshipped_lines(*order, shipped_units(shipments));
              WaybillRequest& r = step.waybill_request;
              r.company = std::string(carrier->kuaidi100);
              r.carrier_account = *carrier_account;
              r.recipient = {order->customer.name, order->customer.phone,
                             printed_address(
                                 order->shipping_address.province, order->shipping_address.city,
                                 order->shipping_address.district, order->shipping_address.detail)};
              const SenderAddress& from = *main->sender;
              r.sender = {from.name, from.phone,
                          printed_address(from.province, from.city, from.district, from.detail)};
              describe_contents(tx, lines, r);
              r.parcel_key = key;
              r.callback_url = callback;
              r.recipient_phone = order->customer.phone;
            }
          }
          steps.push_back(std::move(step));
        }
        return steps;
      });
}

void BatchShipping::request_waybills(const WaybillAccount& account, std::vector<Step>& steps) {
  Mutex mutex;
  ConditionVariable answered;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::vector<std::size_t> asking;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const Step& step = steps[i];
      if (!step.request) continue;
      bool retry =
          step.issued && !step.issued->ok() && step.issued->error().code == ErrorCode::unavailable;
      if (!step.issued || retry) asking.push_back(i);
    }
    if (asking.empty()) return;
    if (attempt > 0) std::this_thread::sleep_for(kRetryDelay * attempt);
    std::size_t waiting = asking.size();
    for (std::size_t i : asking) {
      waybills_.order(account, steps[i].waybill_request, [&, i](Result<IssuedWaybill> issued) {
        MutexLock lock(mutex);
        steps[i].issued = std::move(issued);
        if (--waiting == 0) answered.notify_all();
      });
    }
    MutexLock lock(mutex);
    answered.wait(mutex, [&] { return waiting == 0; });
  }
}

Result<std::vector<Waybill>> BatchShipping::complete(TenantId tenant, std::int64_t batch_id,
                                                     std::vector<Step>& steps) {
  return run_write_blocking<std::vector<Waybill>>(
      store_, tenant, [&](WriteTx& tx) -> Result<std::vector<Waybill>> {
        Instant now = clock_.now();
        std::optional<ShipmentBatch> batch = tx.find_batch(batch_id);
        if (!batch) return error(ErrorCode::not_found, "the batch is gone");
        std::vector<Waybill> unused;
        for (Step& step : steps) {
          BatchOrder outcome{step.order_id, BatchOutcome::failed, {}, ""};
          if (step.outcome) {
            outcome = *step.outcome;
          } else {
            Waybill& waybill = step.waybill;
            if (step.request) {
              waybill.updated_at = now;
              if (!step.issued || !step.issued->ok()) {
                std::string why = step.issued ? step.issued->error().message
                                              : std::string("the aggregator did not answer");
                // Refused for good: the next try asks afresh. Unavailable: it stays requested,
                // to be asked for again under the same key.
                if (step.issued && step.issued->error().code == ErrorCode::invalid) {
                  waybill.status = WaybillStatus::failed;
                }
                waybill.error = why;
                outcome.reasons = {"waybill: " + why};
              } else {
                IssuedWaybill& issued = **step.issued;
                waybill.status = WaybillStatus::issued;
                waybill.tracking_no = issued.tracking_no;
                waybill.provider_order_no = issued.provider_order_no;
                waybill.error.clear();
                if (!issued.label.bytes.empty()) {
                  waybill.label_format = issued.label.format;
                  tx.save_waybill_label(waybill.id, issued.label);
                }
              }
              tx.update_waybill(waybill);
            }
            if (waybill.status == WaybillStatus::issued) {
              std::optional<Order> order = tx.find_order(step.order_id);
              ShipCommand command;
              command.carrier = waybill.carrier;
              command.tracking_no = waybill.tracking_no;
              Result<Shipped> shipped =
                  order ? shipping_.ship_in(tx, batch->actor, *order, command, now)
                        : Result<Shipped>(error(ErrorCode::not_found, "the order is gone"));
              if (!shipped.ok()) {
                outcome.reasons = reasons_of(shipped.error());
                unused.push_back(waybill);
              } else if (shipped->order.status == OrderStatus::on_hold) {
                outcome = {step.order_id, BatchOutcome::skipped, blockers_of(shipped->order), ""};
                unused.push_back(waybill);
              } else {
                outcome = {step.order_id, BatchOutcome::shipped, {}, waybill.tracking_no};
              }
            }
          }
          tx.record_batch_order(batch_id, outcome);
          switch (outcome.outcome) {
            case BatchOutcome::shipped:
              ++batch->shipped;
              break;
            case BatchOutcome::skipped:
              ++batch->skipped;
              break;
            case BatchOutcome::failed:
              ++batch->failed;
              break;
            case BatchOutcome::pending:
              break;
          }
        }
        batch->status = BatchStatus::running;
        tx.update_batch(*batch);
        return unused;
      });
}

void BatchShipping::cancel_waybills(TenantId tenant, const WaybillAccount& account,
                                    const std::vector<Waybill>& unused) {
  Mutex mutex;
  ConditionVariable answered;
  std::size_t waiting = unused.size();
  std::vector<Status> outcomes(unused.size(), Status{});
  for (std::size_t i = 0; i < unused.size(); ++i) {
    const Waybill& waybill = unused[i];
    const Carrier* carrier = find_carrier(waybill.carrier);
    auto fields = account.carriers.find(waybill.carrier);
    WaybillCancel request;
    request.company = carrier != nullptr ? std::string(carrier->kuaidi100) : waybill.carrier;
    if (fields != account.carriers.end()) request.carrier_account = fields->second;
    request.tracking_no = waybill.tracking_no;
    request.provider_order_no = waybill.provider_order_no;
    request.reason = "the order could not ship";
    waybills_.cancel(account, request, [&, i](Status status) {
      MutexLock lock(mutex);
      outcomes[i] = std::move(status);
      if (--waiting == 0) answered.notify_all();
    });
  }
  {
    MutexLock lock(mutex);
    answered.wait(mutex, [&] { return waiting == 0; });
  }
  (void)run_write_blocking<bool>(store_, tenant, [&](WriteTx& tx) -> Result<bool> {
    for (std::size_t i = 0; i < unused.size(); ++i) {
      Waybill waybill = unused[i];
      waybill.updated_at = clock_.now();
      if (outcomes[i].ok()) {
        waybill.status = WaybillStatus::cancelled;
      } else {
        waybill.error = "could not be given back: " + outcomes[i].error().message;
      }
      tx.update_waybill(waybill);
    }
    return true;
  });
}

Status BatchShipping::render(TenantId tenant, std::int64_t batch_id, PaperSize size) {
  return files_.write(file_name(tenant, batch_id, size), [&](const ExportFiles::Sink& sink) {
    return print_.batch_documents(tenant, batch_id, size, sink);
  });
}

std::string BatchShipping::file_name(TenantId tenant, std::int64_t batch_id, PaperSize size) const {
  return "batch-" + std::to_string(tenant) + "-" + std::to_string(batch_id) +
         (size == PaperSize::a4 ? "-a4" : "") + ".pdf";
}

}  // namespace depot
