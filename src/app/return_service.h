#pragma once
// Returns and exchanges (退换货, SPEC AFS-2): a request with lines, a reason and photos for units
// that have shipped; approval or rejection; the parcel coming back; receipt and inspection, which
// restocks the units (a return_restock movement at a chosen location) or writes them off. An
// exchange, once received, creates and reserves its replacement order (paid, total 0, its notes
// naming the original), which then ships through the normal shipment flow. Writes complete
// through a callback once durable; reads are synchronous. Thread-safe.

#include <string>
#include <vector>

#include "app/actor.h"
#include "app/write.h"
#include "domain/after_sales.h"

namespace depot {

struct NewReturn {
  ReturnKind kind = ReturnKind::return_goods;
  std::vector<ReturnLine> lines;
  std::vector<ReturnLine> replacement_lines;  // exchanges only; empty: the same as `lines`
  std::string reason;
  std::vector<std::string> photos;
  std::string idempotency_key;  // "" for none
};

struct CreatedReturn {
  ReturnRequest request;
  bool created = false;  // false when an earlier identical request already created it
};

struct ReturnReceipt {
  bool restock = true;   // false: written off
  std::string location;  // where restocked units go; "" for the default location
  std::string note;      // what the inspection found
};

class ReturnService {
 public:
  ReturnService(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Refuses (409) an order that has shipped nothing, and names lines[i].sku / .quantity for SKUs
  // that did not ship or more units than may still come back (shipped less every request that
  // was not rejected).
  void request(const Actor& actor, std::int64_t order_id, NewReturn input,
               Callback<CreatedReturn> done);
  void approve(const Actor& actor, std::int64_t id, std::string note, Callback<ReturnRequest> done);
  void reject(const Actor& actor, std::int64_t id, std::string reason,
              Callback<ReturnRequest> done);
  // The parcel the customer sent back. A tracking number is one return's parcel per merchant: a
  // number already given for another return is refused (409).
  void record_parcel(const Actor& actor, std::int64_t id, std::string carrier,
                     std::string tracking_no, Callback<ReturnRequest> done);
  void receive(const Actor& actor, std::int64_t id, ReturnReceipt receipt,
               Callback<ReturnRequest> done);

  Result<ReturnRequest> find(const Actor& actor, std::int64_t id);
  // Newest first; the caller pages with ReturnQuery::before_id.
  Result<std::vector<ReturnRequest>> list(const Actor& actor, const ReturnQuery& query);

 private:
  Store& store_;
  Clock& clock_;
};

}  // namespace depot
