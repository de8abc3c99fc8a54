#include "app/inventory_service.h"

#include <tuple>

#include "app/audit.h"
#include "app/paging.h"
#include "app/stock_keeper.h"
#include "domain/catalog_changes.h"
#include "domain/divisions.h"
#include "domain/event_catalog.h"
#include "domain/fingerprint.h"
#include "domain/text.h"

namespace depot {

namespace {

Error product_not_found(const std::string& sku) {
  return error(ErrorCode::not_found, "product " + sku + " was not found");
}

StockLevel level_of(ReadTx& tx, const Product& product) {
  return StockLevel{product.sku, product.low_stock_threshold, tx.stock_of(product.sku)};
}

Result<Product> known_product(ReadTx& tx, const std::string& sku) {
  std::optional<Product> product = tx.find_product(sku);
  if (!product) return invalid_field("sku", "unknown SKU " + sku);
  return std::move(*product);
}

// For a request carrying an Idempotency-Key: the answer to a repeat (the stock as it is now),
// nothing for a first use (the key is then remembered in this transaction, so a request that
// fails leaves it unused), or an error when a different request used the key.
Result<std::optional<StockLevel>> answer_if_repeat(WriteTx& tx, const std::string& key,
                                                   const std::string& fingerprint,
                                                   const Product& product, Instant now) {
  if (key.empty()) return std::optional<StockLevel>();
  if (key.size() > 200) return invalid_field("Idempotency-Key", "must be at most 200 bytes");
  std::optional<std::string> earlier = tx.request_fingerprint(key);
  if (!earlier) {
    tx.remember_request(key, fingerprint, now);
    return std::optional<StockLevel>();
  }
  if (*earlier != fingerprint) {
    return Error{ErrorCode::invalid,
                 "this Idempotency-Key was used for a different request",
                 {{"Idempotency-Key", "was used for a different request"}}};
  }
  StockLevel level = level_of(tx, product);
  level.repeated = true;
  return std::optional<StockLevel>(std::move(level));
}

}  // namespace

StockBalance StockLevel::total() const {
  StockBalance sum;
  for (const StockRow& row : locations) {
    sum.on_hand += row.balance.on_hand;
    sum.reserved += row.balance.reserved;
  }
  return sum;
}

Status provision_tenant(WriteTx& tx) {
  std::optional<Warehouse> main = tx.find_warehouse(std::string(kMainWarehouse));
  std::int64_t warehouse_id =
      main ? main->id : tx.insert_warehouse(std::string(kMainWarehouse), "Main warehouse");
  if (!tx.find_location(default_location())) {
    tx.insert_location(warehouse_id, std::string(kDefaultLocation));
  }
  return {};
}

void InventoryService::create_product(const Actor& actor, Product product, Callback<Product> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  if (auto errors = validate_product(product); !errors.empty()) {
    return done(invalid_fields(std::move(errors)));
  }
  run_write<Product>(
      store_, actor.tenant_id,
      [this, actor, product = std::move(product)](WriteTx& tx) mutable -> Result<Product> {
        if (tx.find_product(product.sku)) {
          return Error{ErrorCode::conflict,
                       "product " + product.sku + " exists already",
                       {{"sku", "exists already"}}};
        }
        Instant now = clock_.now();
        if (product.currency.empty()) product.currency = tx.settings().currency;
        product.version = 1;
        product.created_at = product.updated_at = now;
        tx.insert_product(product);
        tx.append_event(events::product_created(product.sku, product.name), now);
        record_audit(tx, actor.name, "product.create", audit_object("product", product.sku),
                     product_created_changes(product), now);
        return std::move(product);
      },
      std::move(done));
}

void InventoryService::update_product(const Actor& actor, std::string sku,
                                      std::int64_t expected_version, ProductPatch patch,
                                      Callback<Product> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  run_write<Product>(
      store_, actor.tenant_id,
      [this, actor, sku = std::move(sku), expected_version,
       patch = std::move(patch)](WriteTx& tx) -> Result<Product> {
        std::optional<Product> product = tx.find_product(sku);
        if (!product) return product_not_found(sku);
        if (!version_matches(product->version, expected_version)) {
          return error(ErrorCode::precondition_failed,
                       "the product is at version " + std::to_string(product->version));
        }
        Product before = *product;
        if (patch.name) product->name = *patch.name;
        if (patch.price) product->price = *patch.price;
        if (patch.barcode) product->barcode = *patch.barcode;
        if (patch.attributes) product->attributes = *patch.attributes;
        if (patch.weight_grams) product->weight_grams = *patch.weight_grams;
        if (patch.low_stock_threshold) product->low_stock_threshold = *patch.low_stock_threshold;
        if (auto errors = validate_product(*product); !errors.empty()) {
          return invalid_fields(std::move(errors));
        }
        Instant now = clock_.now();
        product->version += 1;
        product->updated_at = now;
        tx.update_product(*product);
        record_audit(tx, actor.name, "product.update", audit_object("product", sku),
                     product_changes(before, *product), now);
        if (patch.low_stock_threshold) {
          // A new threshold may open or close an alert at today's stock.
          StockKeeper keeper(tx, actor.name, now);
          keeper.recheck(sku);
          keeper.settle_alerts();
        }
        return std::move(*product);
      },
      std::move(done));
}

Result<Product> InventoryService::product(const Actor& actor, const std::string& sku) {
  std::optional<Product> found = store_.read(actor.tenant_id)->find_product(sku);
  if (!found) return product_not_found(sku);
  return std::move(*found);
}

Result<ProductPage> InventoryService::products(const Actor& actor, const std::string& after_sku,
                                               int limit, const std::string& search) {
  if (Status size = check_page_size(limit); !size.ok()) return size.error();
  if (search.size() > 64) return invalid_field("q", "must be at most 64 bytes");
  ProductPage page;
  page.items = store_.read(actor.tenant_id)->list_products(after_sku, limit + 1, search);
  page.next_after_sku = trim_page(page.items, limit, [](const Product& p) { return p.sku; });
  return page;
}

std::optional<std::string> InventoryService::image_bytes(const std::string& file_name) {
  return media_.get(file_name);
}

void InventoryService::save_sender(const Actor& actor, std::string warehouse, SenderAddress sender,
                                   Callback<Warehouse> done) {
  if (Status allowed = require(actor, Permission::manage); !allowed.ok()) {
    return done(allowed.error());
  }
  std::vector<FieldError> errors;
  for (auto [field, value] : {std::pair{"name", &sender.name}, std::pair{"phone", &sender.phone},
                              std::pair{"detail", &sender.detail}}) {
    *value = std::string(trimmed(*value));
    if (value->empty()) errors.push_back({field, "is required"});
  }
  auto division = match_division(sender.province, sender.city, sender.district);
  if (const auto* problem = std::get_if<DivisionProblem>(&division)) {
    // The division table names an order's fields; the sender's are its own.
    std::string_view field = problem->field;
    errors.push_back({std::string(field.substr(field.find('.') + 1)), problem->message});
  } else {
    const auto& match = std::get<DivisionMatch>(division);
    sender.province = match.province;
    sender.city = match.city;
    sender.district = match.district;
  }
  if (!errors.empty()) return done(invalid_fields(std::move(errors)));
  run_write<Warehouse>(
      store_, actor.tenant_id,
      [this, actor, code = std::move(warehouse),
       sender = std::move(sender)](WriteTx& tx) -> Result<Warehouse> {
        std::optional<Warehouse> before = tx.find_warehouse(code);
        if (!before || !tx.save_warehouse_sender(code, sender)) {
          return error(ErrorCode::not_found, "warehouse " + code + " was not found");
        }
        const SenderAddress was = before->sender.value_or(SenderAddress{});
        std::vector<FieldChange> changes;
        for (auto [field, old_value, new_value] :
             {std::tuple{"sender.name", &was.name, &sender.name},
              std::tuple{"sender.phone", &was.phone, &sender.phone},
              std::tuple{"sender.province", &was.province, &sender.province},
              std::tuple{"sender.city", &was.city, &sender.city},
              std::tuple{"sender.district", &was.district, &sender.district},
              std::tuple{"sender.detail", &was.detail, &sender.detail}}) {
          if (*old_value != *new_value) changes.push_back({field, *old_value, *new_value});
        }
        record_audit(tx, actor.name, "warehouse.sender", audit_object("warehouse", code),
                     std::move(changes), clock_.now());
        Warehouse saved = *tx.find_warehouse(code);
        return saved;
      },
      std::move(done));
}

void InventoryService::create_warehouse(const Actor& actor, std::string code, std::string name,
                                        Callback<Warehouse> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  if (!is_valid_code(code)) {
    return done(invalid_field("code", "must be 1-64 letters, digits, '-', '_' or '.'"));
  }
  if (trimmed(name).empty()) return done(invalid_field("name", "is required"));
  run_write<Warehouse>(
      store_, actor.tenant_id,
      [this, actor, code = std::move(code),
       name = std::move(name)](WriteTx& tx) -> Result<Warehouse> {
        if (tx.find_warehouse(code)) {
          return Error{ErrorCode::conflict,
                       "warehouse " + code + " exists already",
                       {{"code", "exists already"}}};
        }
        std::int64_t id = tx.insert_warehouse(code, name);
        record_audit(tx, actor.name, "warehouse.create", audit_object("warehouse", code),
                     {{"name", "", name}}, clock_.now());
        return Warehouse{id, code, name, {}, std::nullopt};
      },
      std::move(done));
}

void InventoryService::create_location(const Actor& actor, std::string warehouse, std::string code,
                                       Callback<LocationRef> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  if (!is_valid_code(code)) {
    return done(invalid_field("code", "must be 1-64 letters, digits, '-', '_' or '.'"));
  }
  run_write<LocationRef>(
      store_, actor.tenant_id,
      [this, actor, warehouse = std::move(warehouse),
       code = std::move(code)](WriteTx& tx) -> Result<LocationRef> {
        std::optional<Warehouse> found = tx.find_warehouse(warehouse);
        if (!found) return error(ErrorCode::not_found, "warehouse " + warehouse + " was not found");
        LocationRef ref{warehouse, code};
        if (tx.find_location(ref)) {
          return Error{ErrorCode::conflict,
                       "location " + ref.to_string() + " exists already",
                       {{"code", "exists already"}}};
        }
        tx.insert_location(found->id, code);
        record_audit(tx, actor.name, "location.create", audit_object("location", ref.to_string()),
                     {}, clock_.now());
        return ref;
      },
      std::move(done));
}

std::vector<Warehouse> InventoryService::warehouses(const Actor& actor) {
  return store_.read(actor.tenant_id)->warehouses();
}

void InventoryService::change_at_location(const Actor& actor, StockCommand command,
                                          std::string fingerprint, StockKeeper::Rule rule,
                                          DomainEvent event, std::string action,
                                          Callback<StockLevel> done) {
  run_write<StockLevel>(
      store_, actor.tenant_id,
      [this, actor, command = std::move(command), fingerprint = std::move(fingerprint),
       rule = std::move(rule), event = std::move(event),
       action = std::move(action)](WriteTx& tx) mutable -> Result<StockLevel> {
        Result<Product> product = known_product(tx, command.sku);
        if (!product.ok()) return product.error();
        auto location = resolve_location(tx, command.location, "location");
        if (!location.ok()) return location.error();
        Instant now = clock_.now();
        auto repeat = answer_if_repeat(tx, command.idempotency_key, fingerprint, *product, now);
        if (!repeat.ok()) return repeat.error();
        if (*repeat) return std::move(**repeat);
        StockKeeper keeper(tx, actor.name, now);
        std::int64_t on_hand_before = keeper.balance(command.sku, location->first).on_hand;
        Status moved = keeper.move(command.sku, location->first, rule, command.reason);
        if (!moved.ok()) return moved.error();
        record_audit(tx, actor.name, std::move(action), audit_object("stock", command.sku),
                     {{"on_hand@" + location->second.to_string(), std::to_string(on_hand_before),
                       std::to_string(keeper.balance(command.sku, location->first).on_hand)},
                      {"reason", "", command.reason}},
                     now);
        event.sku = command.sku;
        event.data.emplace_back("reason", command.reason);
        event.data.emplace_back("available", keeper.available(command.sku));
        tx.append_event(event, now);
        keeper.settle_alerts();
        return level_of(tx, *product);
      },
      std::move(done));
}

void InventoryService::receive(const Actor& actor, ReceiveCommand command,
                               Callback<StockLevel> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  if (command.quantity <= 0) return done(invalid_field("quantity", "must be greater than 0"));
  if (command.reason.empty()) command.reason = "received";
  std::int64_t quantity = command.quantity;
  std::string fingerprint = Fingerprint()
                                .add("receipt")
                                .add(command.sku)
                                .add(command.location)
                                .add(quantity)
                                .add(command.reason)
                                .hex();
  // The event reads the command, so it is made before the command moves (argument order is open).
  DomainEvent received = events::stock_received(command.sku, quantity);
  change_at_location(
      actor, std::move(command), std::move(fingerprint),
      [quantity](const StockBalance& b) { return depot::receive(b, quantity); },
      std::move(received), "stock.receive", std::move(done));
}

void InventoryService::adjust(const Actor& actor, AdjustCommand command,
                              Callback<StockLevel> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  if (command.counted_quantity.has_value() == command.delta.has_value()) {
    return done(
        invalid_field("counted_quantity", "give exactly one of counted_quantity and delta"));
  }
  if (trimmed(command.reason).empty()) return done(invalid_field("reason", "is required"));
  std::optional<std::int64_t> counted = command.counted_quantity;
  std::optional<std::int64_t> delta = command.delta;
  std::string fingerprint = Fingerprint()
                                .add(counted ? "count" : "delta")
                                .add(command.sku)
                                .add(command.location)
                                .add(counted.value_or(delta.value_or(0)))
                                .add(command.reason)
                                .hex();
  DomainEvent adjusted = events::stock_adjusted(command.sku);
  change_at_location(
      actor, std::move(command), std::move(fingerprint),
      [counted, delta](const StockBalance& b) {
        return counted ? adjust_to_count(b, *counted) : adjust_by(b, *delta);
      },
      std::move(adjusted), "stock.adjust", std::move(done));
}

void InventoryService::transfer(const Actor& actor, TransferCommand command,
                                Callback<StockLevel> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  if (command.quantity <= 0) return done(invalid_field("quantity", "must be greater than 0"));
  run_write<StockLevel>(
      store_, actor.tenant_id,
      [this, actor, command = std::move(command)](WriteTx& tx) -> Result<StockLevel> {
        Result<Product> product = known_product(tx, command.sku);
        if (!product.ok()) return product.error();
        auto from = resolve_location(tx, command.from, "from");
        if (!from.ok()) return from.error();
        auto to = resolve_location(tx, command.to, "to");
        if (!to.ok()) return to.error();
        if (from->first == to->first) return invalid_field("to", "must differ from `from`");
        Instant now = clock_.now();
        std::string fingerprint = Fingerprint()
                                      .add("transfer")
                                      .add(command.sku)
                                      .add(command.from)
                                      .add(command.to)
                                      .add(command.quantity)
                                      .add(command.reason)
                                      .hex();
        auto repeat = answer_if_repeat(tx, command.idempotency_key, fingerprint, *product, now);
        if (!repeat.ok()) return repeat.error();
        if (*repeat) return std::move(**repeat);
        std::string reason = command.reason.empty() ? "transfer" : command.reason;
        StockKeeper keeper(tx, actor.name, now);
        Status out = keeper.move(
            command.sku, from->first,
            [&](const StockBalance& b) { return transfer_out(b, command.quantity); }, reason);
        if (!out.ok()) return out.error();
        Status in = keeper.move(
            command.sku, to->first,
            [&](const StockBalance& b) { return transfer_in(b, command.quantity); }, reason);
        if (!in.ok()) return in.error();
        record_audit(tx, actor.name, "stock.transfer", audit_object("stock", command.sku),
                     {{"from", "", command.from},
                      {"to", "", command.to},
                      {"quantity", "", std::to_string(command.quantity)},
                      {"reason", "", reason}},
                     now);
        tx.append_event(
            events::stock_transferred(command.sku, command.from, command.to, command.quantity),
            now);
        return level_of(tx, *product);
      },
      std::move(done));
}

Result<StockLevel> InventoryService::stock(const Actor& actor, const std::string& sku) {
  auto tx = store_.read(actor.tenant_id);
  std::optional<Product> product = tx->find_product(sku);
  if (!product) return product_not_found(sku);
  return level_of(*tx, *product);
}

Result<LedgerPage> InventoryService::ledger(const Actor& actor, const std::string& sku,
                                            std::int64_t after_id, int limit) {
  if (Status size = check_page_size(limit); !size.ok()) return size.error();
  auto tx = store_.read(actor.tenant_id);
  if (!tx->low_stock_threshold(sku)) return product_not_found(sku);
  LedgerPage page;
  page.items = tx->ledger(sku, after_id, limit + 1);
  page.next_after_id = trim_page(page.items, limit, [](const LedgerEntry& e) { return e.id; });
  return page;
}

std::vector<Alert> InventoryService::alerts(const Actor& actor) {
  return store_.read(actor.tenant_id)->open_alerts();
}

}  // namespace depot
