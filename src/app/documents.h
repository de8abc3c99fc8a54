#pragma once
// The document port: depot's printable documents rendered as one PDF — packing slips (发货单),
// pick lists (拣货单) and the carriers' labels — in Chinese, at label size (100×150 mm) or A4.
// An adapter on cairo, pango and zint implements it (src/printing/).
//
// Thread safety: render() may be called from several threads at once.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/waybill_ports.h"
#include "domain/result.h"
#include "domain/time.h"

namespace depot {

enum class PaperSize { label, a4 };                                // label: 100×150 mm
std::optional<PaperSize> parse_paper_size(std::string_view text);  // "label", "a4"

struct SlipLine {
  std::string sku;
  std::string name;
  std::string location;  // "warehouse/location" the units are picked from; "" when unknown
  std::int64_t quantity = 0;
};

// One order's packing slip: its number is printed as a Code 128 barcode too.
struct PackingSlip {
  std::string merchant;
  std::string order_no;
  Instant created_at;
  std::string customer_name;
  std::string phone;  // as the reader may see it (masked for some roles)
  std::string address;
  std::string carrier;  // the carrier's name, "" when not shipped
  std::string tracking_no;
  std::vector<SlipLine> lines;
  std::string notes;
};

struct PickLine {
  std::string location;
  std::string sku;
  std::string name;
  std::int64_t quantity = 0;
  std::vector<std::string> order_nos;
};

// What to pick for a batch, grouped by location (lines sorted by location, then SKU).
struct PickList {
  std::string title;
  Instant created_at;
  std::vector<PickLine> lines;
};

// A carrier's label as the aggregator gave it: a PNG image or a PDF, placed one per page.
struct CarrierLabel {
  std::string order_no;
  std::string tracking_no;
  WaybillLabel label;
};

using Printable = std::variant<PackingSlip, PickList, CarrierLabel>;

// Hands out the documents one at a time, in print order; nothing once done. Lets a batch of a
// thousand labels be rendered without holding them all.
using PrintableSource = std::function<std::optional<Printable>()>;
// Receives the PDF as it is written.
using PdfSink = std::function<void(std::string_view bytes)>;

class DocumentRenderer {
 public:
  virtual ~DocumentRenderer() = default;
  // Renders every document `next` hands out, in order, into one PDF of `size` pages written to
  // `sink`. A label that cannot be read fails the render (`invalid`, saying which order).
  virtual Status render(const PrintableSource& next, PaperSize size, const PdfSink& sink) = 0;
};

}  // namespace depot
