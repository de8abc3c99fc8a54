#pragma once
// What the warehouse prints (一键打印): an order's packing slip (发货单), and for a shipping batch
// one PDF holding its pick list (拣货单), then for each parcel it shipped the carrier's label and
// the order's packing slip, so the whole batch prints at once. Reads the store and hands the
// documents to the DocumentRenderer port one at a time. Thread-safe.

#include <cstdint>
#include <string>

#include "app/actor.h"
#include "app/documents.h"
#include "app/ports.h"

namespace depot {

class PrintService {
 public:
  PrintService(Store& store, DocumentRenderer& renderer) : store_(store), renderer_(renderer) {}

  // One order's packing slip as a PDF, with the contact details the actor may see on one order's
  // page (SEC-3). Needs Permission::read.
  Result<std::string> packing_slip(const Actor& actor, std::int64_t order_id, PaperSize size);

  // The carriers' labels of the order's parcels (the waybills depot bought for them, newest
  // parcel last) as one PDF at label size, to print again. 404 when none has a label. Needs
  // Permission::ship_orders: a label shows the recipient in full.
  Result<std::string> order_labels(const Actor& actor, std::int64_t order_id);

  // The batch's documents as one PDF written to `sink`: the pick list of the parcels it shipped,
  // then each shipped order's carrier label (when the aggregator gave one) and packing slip.
  // For the warehouse: contact details in full.
  Status batch_documents(TenantId tenant, std::int64_t batch_id, PaperSize size,
                         const PdfSink& sink);

 private:
  Store& store_;
  DocumentRenderer& renderer_;
};

}  // namespace depot
