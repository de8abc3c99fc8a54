#include "printing/pdf_renderer.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>

#include "app/export_tables.h"
#include "printing/code128.h"
#include "printing/document_pages.h"
#include "printing/label_pages.h"
#include "printing/page_canvas.h"

namespace depot::printing {

namespace {

constexpr std::size_t kSinkChunk = 64 * 1024;

// Cairo writes its PDF in many small pieces; the sink gets them gathered into chunks. After a
// failure (or once told to discard) nothing more reaches the sink.
class PdfStream {
 public:
  explicit PdfStream(const PdfSink& sink) : sink_(sink) { buffer_.reserve(kSinkChunk); }

  static cairo_status_t write(void* closure, const unsigned char* data, unsigned int length) {
    auto* stream = static_cast<PdfStream*>(closure);
    if (stream->closed_)
      return stream->failure_.empty() ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
    stream->buffer_.append(reinterpret_cast<const char*>(data), length);
    if (stream->buffer_.size() >= kSinkChunk) stream->flush();
    return stream->failure_.empty() ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
  }

  void flush() {
    if (closed_ || buffer_.empty()) return;
    try {
      sink_(buffer_);
    } catch (const std::exception& e) {
      failure_ = e.what();
      closed_ = true;
    }
    buffer_.clear();
  }
  void discard() {
    closed_ = true;
    buffer_.clear();
  }
  const std::string& failure() const { return failure_; }

 private:
  const PdfSink& sink_;
  std::string buffer_;
  std::string failure_;
  bool closed_ = false;
};

struct SurfaceDeleter {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct ContextDeleter {
  void operator()(cairo_t* cairo) const { cairo_destroy(cairo); }
};

std::string print_date(Instant at, int utc_offset_minutes) {
  LocalTime local = local_time(at, utc_offset_minutes);
  auto day = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day date{day};
  std::chrono::hh_mm_ss clock{local - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()));
  return text;
}

// Draws one document on the canvas, as many pages as it takes.
class DocumentPrinter {
 public:
  DocumentPrinter(PageCanvas& canvas, int utc_offset_minutes)
      : canvas_(canvas), utc_offset_minutes_(utc_offset_minutes) {}

  Status operator()(const PackingSlip& slip) {
    Result<Code128> barcode = Code128::encode(slip.order_no);
    if (!barcode.ok()) return barcode.error();
    draw_packing_slip(canvas_, slip, *barcode, print_date(slip.created_at, utc_offset_minutes_));
    return {};
  }
  Status operator()(const PickList& list) {
    draw_pick_list(canvas_, list, print_date(list.created_at, utc_offset_minutes_));
    return {};
  }
  Status operator()(const CarrierLabel& label) { return labels_.draw(canvas_, label); }

 private:
  PageCanvas& canvas_;
  int utc_offset_minutes_;
  LabelPages labels_;
};

}  // namespace

Status PdfRenderer::render(const PrintableSource& next, PaperSize size, const PdfSink& sink) {
  // Fontconfig's first load of its configuration is best not raced by several renders at once.
  static std::once_flag fontconfig_loaded;
  std::call_once(fontconfig_loaded, [] { FcInit(); });

  std::optional<Printable> document = next();
  if (!document) return error(ErrorCode::invalid, "there is nothing to print");

  const PageStyle& style = page_style(size);
  PdfStream stream(sink);
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create_for_stream(&PdfStream::write, &stream, style.width, style.height));
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "depot");
  Status status;
  cairo_status_t drawn = CAIRO_STATUS_SUCCESS;
  {
    std::unique_ptr<cairo_t, ContextDeleter> cairo(cairo_create(surface.get()));
    PageCanvas canvas(cairo.get(), style);
    DocumentPrinter printer(canvas, utc_offset_minutes_);
    for (; document && status.ok() && stream.failure().empty(); document = next()) {
      status = std::visit(printer, *document);
    }
    drawn = cairo_status(cairo.get());
  }
  if (!status.ok()) stream.discard();
  cairo_surface_finish(surface.get());
  stream.flush();
  if (!status.ok()) return status;
  if (!stream.failure().empty()) {
    return error(ErrorCode::unavailable, "the PDF cannot be written: " + stream.failure());
  }
  if (drawn == CAIRO_STATUS_SUCCESS) drawn = cairo_surface_status(surface.get());
  if (drawn != CAIRO_STATUS_SUCCESS) {
    return error(ErrorCode::unavailable,
                 std::string("the PDF cannot be drawn: ") + cairo_status_to_string(drawn));
  }
  return {};
}

}  // namespace depot::printing
