#pragma once
// Catalogue and stock use cases (SPEC INV-1 … INV-7): products and their images, warehouses and
// locations, receipts, adjustments and stocktakes, transfers, stock levels, the ledger and alerts.
// Thread-safe; writes complete through a callback once durable.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/stock_keeper.h"
#include "app/write.h"

namespace depot {

struct ProductPatch {
  std::optional<std::string> name;
  std::optional<std::int64_t> price;
  std::optional<std::string> barcode;
  std::optional<std::map<std::string, std::string>> attributes;
  std::optional<std::int64_t> weight_grams;
  std::optional<std::int64_t> low_stock_threshold;
};

struct StockCommand {
  std::string sku;
  std::string location;  // "warehouse/location"; empty means main/default
  std::string reason;
  std::string idempotency_key;  // a retry with the same key and command changes nothing again
};

struct ReceiveCommand : StockCommand {
  std::int64_t quantity = 0;
};

struct AdjustCommand : StockCommand {
  std::optional<std::int64_t> counted_quantity;  // exactly one of these two
  std::optional<std::int64_t> delta;
};

struct TransferCommand {
  std::string sku;
  std::string from;
  std::string to;
  std::int64_t quantity = 0;
  std::string reason;
  std::string idempotency_key;
};

struct StockLevel {
  std::string sku;
  std::int64_t low_stock_threshold = 0;
  std::vector<StockRow> locations;
  bool repeated = false;  // an earlier request with the same Idempotency-Key made the change

  StockBalance total() const;
};

struct LedgerPage {
  std::vector<LedgerEntry> items;
  std::int64_t next_after_id = 0;
};

struct ProductPage {
  std::vector<Product> items;
  std::string next_after_sku;
};

class InventoryService {
 public:
  InventoryService(Store& store, Clock& clock, MediaStore& media)
      : store_(store), clock_(clock), media_(media) {}

  void create_product(const Actor& actor, Product product, Callback<Product> done);
  void update_product(const Actor& actor, std::string sku, std::int64_t expected_version,
                      ProductPatch patch, Callback<Product> done);
  Result<Product> product(const Actor& actor, const std::string& sku);
  // A page in SKU order; `search` (at most 64 bytes) keeps the products whose SKU or name
  // contains it.
  Result<ProductPage> products(const Actor& actor, const std::string& after_sku, int limit,
                               const std::string& search = "");
  // The bytes of an image ProductImages stored.
  std::optional<std::string> image_bytes(const std::string& file_name);

  void create_warehouse(const Actor& actor, std::string code, std::string name,
                        Callback<Warehouse> done);
  void create_location(const Actor& actor, std::string warehouse, std::string code,
                       Callback<LocationRef> done);
  std::vector<Warehouse> warehouses(const Actor& actor);
  // Sets the address parcels from this warehouse are sent from (printed on waybills, the origin
  // of delivery estimates). The province, city and district must be known divisions; they are
  // stored as the division table names them. Answers the warehouse.
  void save_sender(const Actor& actor, std::string warehouse, SenderAddress sender,
                   Callback<Warehouse> done);

  void receive(const Actor& actor, ReceiveCommand command, Callback<StockLevel> done);
  void adjust(const Actor& actor, AdjustCommand command, Callback<StockLevel> done);
  void transfer(const Actor& actor, TransferCommand command, Callback<StockLevel> done);

  Result<StockLevel> stock(const Actor& actor, const std::string& sku);
  Result<LedgerPage> ledger(const Actor& actor, const std::string& sku, std::int64_t after_id,
                            int limit);
  std::vector<Alert> alerts(const Actor& actor);

 private:
  // A change at one location (receipt, adjustment): checks the SKU and location, applies `rule`,
  // records `event` with the reason and the new available stock and an audit entry `action`, and
  // answers the SKU's stock.
  void change_at_location(const Actor& actor, StockCommand command, std::string fingerprint,
                          StockKeeper::Rule rule, DomainEvent event, std::string action,
                          Callback<StockLevel> done);

  Store& store_;
  Clock& clock_;
  MediaStore& media_;
};

// Gives a new merchant what every merchant starts with: warehouse main, location default.
Status provision_tenant(WriteTx& tx);

}  // namespace depot
