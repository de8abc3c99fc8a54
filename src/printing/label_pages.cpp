#include "printing/label_pages.h"

#include <poppler.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace depot::printing {

namespace {

constexpr std::size_t kRecentImages = 8;
constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";
// Readers accept a PDF whose header comes within its first kilobyte.
constexpr std::size_t kPdfHeaderWithin = 1024;

// Poppler builds process-wide state (its global parameters, colour profiles, FreeType) lazily and
// unguarded; one render at a time may use it.
std::mutex& poppler_mutex() {
  static std::mutex mutex;
  return mutex;
}

bool is_png(std::string_view bytes) { return bytes.starts_with(kPngSignature); }

bool is_pdf(std::string_view bytes) {
  return bytes.substr(0, kPdfHeaderWithin).find("%PDF-") != std::string_view::npos;
}

Error unreadable(const CarrierLabel& label) {
  return error(ErrorCode::invalid,
               "label of order " + label.order_no + " is not a readable PNG or PDF");
}

struct PngReader {
  std::string_view rest;

  static cairo_status_t read(void* closure, unsigned char* data, unsigned int length) {
    auto* reader = static_cast<PngReader*>(closure);
    if (reader->rest.size() < length) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(data, reader->rest.data(), length);
    reader->rest.remove_prefix(length);
    return CAIRO_STATUS_SUCCESS;
  }
};

// A 1-bit mask of the black pixels of `image` when every pixel of it is opaque black or white;
// nullptr (nothing lost by keeping the image as it is) otherwise.
cairo_surface_t* black_pixels(cairo_surface_t* image) {
  cairo_format_t format = cairo_image_surface_get_format(image);
  if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32) return nullptr;
  // RGB24 leaves the top byte undefined; ARGB32 must be opaque.
  std::uint32_t significant = format == CAIRO_FORMAT_RGB24 ? 0x00FFFFFF : 0xFFFFFFFF;
  std::uint32_t black = 0xFF000000 & significant;
  std::uint32_t white = 0xFFFFFFFF & significant;
  int width = cairo_image_surface_get_width(image);
  int height = cairo_image_surface_get_height(image);
  int stride = cairo_image_surface_get_stride(image);
  cairo_surface_flush(image);
  const unsigned char* pixels = cairo_image_surface_get_data(image);
  cairo_surface_t* mask = cairo_image_surface_create(CAIRO_FORMAT_A1, width, height);
  unsigned char* bits = cairo_image_surface_get_data(mask);
  int mask_stride = cairo_image_surface_get_stride(mask);
  // Built while checking, in one pass; the first grey or coloured pixel abandons it.
  for (int y = 0; y < height && bits != nullptr; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(pixels + y * stride);
    auto* words = reinterpret_cast<std::uint32_t*>(bits + y * mask_stride);
    std::fill(words, words + mask_stride / 4, 0);
    for (int x = 0; x < width; ++x) {
      std::uint32_t pixel = row[x] & significant;
      if (pixel == black) {
        // A1 packs 32 pixels a word, the first in the lowest bit on little-endian machines.
        words[x / 32] |=
            std::endian::native == std::endian::little ? 1u << (x % 32) : 0x80000000u >> (x % 32);
      } else if (pixel != white) {
        cairo_surface_destroy(mask);
        return nullptr;
      }
    }
  }
  if (bits == nullptr) {
    cairo_surface_destroy(mask);
    return nullptr;
  }
  cairo_surface_mark_dirty(mask);
  return mask;
}

// Sets the transformation that fits a `width` × `height` picture in the page's printable box.
void fit(PageCanvas& canvas, double width, double height) {
  const PageStyle& style = canvas.style();
  double margin = style.label_margin;
  double box_width = style.width - 2 * margin;
  double box_height = style.height - 2 * margin;
  double scale = std::min(box_width / width, box_height / height);
  cairo_translate(canvas.cairo(), margin + (box_width - width * scale) / 2,
                  margin + (box_height - height * scale) / 2);
  cairo_scale(canvas.cairo(), scale, scale);
}

}  // namespace

LabelPages::~LabelPages() {
  for (DecodedImage& image : recent_) cairo_surface_destroy(image.surface);
}

Status LabelPages::draw(PageCanvas& canvas, const CarrierLabel& label) {
  const std::string& bytes = label.label.bytes;
  if (is_png(bytes)) return draw_png(canvas, label);
  if (is_pdf(bytes)) return draw_pdf(canvas, label);
  return unreadable(label);
}

const LabelPages::DecodedImage* LabelPages::png(const std::string& bytes) {
  auto cached = std::find_if(recent_.begin(), recent_.end(),
                             [&bytes](const DecodedImage& image) { return image.bytes == bytes; });
  if (cached != recent_.end()) return &*cached;
  PngReader reader{bytes};
  cairo_surface_t* surface = cairo_image_surface_create_from_png_stream(&PngReader::read, &reader);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return nullptr;
  }
  bool stencil = false;
  if (cairo_surface_t* mask = black_pixels(surface); mask != nullptr) {
    cairo_surface_destroy(surface);
    surface = mask;
    stencil = true;
  }
  if (recent_.size() == kRecentImages) {
    cairo_surface_destroy(recent_.front().surface);
    recent_.pop_front();
  }
  recent_.push_back(DecodedImage{bytes, surface, stencil});
  return &recent_.back();
}

Status LabelPages::draw_png(PageCanvas& canvas, const CarrierLabel& label) {
  const DecodedImage* image = png(label.label.bytes);
  if (image == nullptr) return unreadable(label);
  int width = cairo_image_surface_get_width(image->surface);
  int height = cairo_image_surface_get_height(image->surface);
  if (width == 0 || height == 0) return unreadable(label);
  cairo_t* cairo = canvas.cairo();
  cairo_save(cairo);
  fit(canvas, width, height);
  cairo_pattern_t* pattern = cairo_pattern_create_for_surface(image->surface);
  // Printed without smoothing: a label is mostly barcodes, which blur when interpolated.
  cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST);
  if (image->stencil) {
    cairo_set_source_rgb(cairo, 0, 0, 0);
    cairo_mask(cairo, pattern);
  } else {
    cairo_set_source(cairo, pattern);
    cairo_paint(cairo);
  }
  cairo_pattern_destroy(pattern);
  cairo_restore(cairo);
  canvas.end_bare_page();
  return {};
}

Status LabelPages::draw_pdf(PageCanvas& canvas, const CarrierLabel& label) {
  std::lock_guard lock(poppler_mutex());
  const std::string& bytes = label.label.bytes;
  GBytes* data = g_bytes_new_static(bytes.data(), bytes.size());
  GError* failure = nullptr;
  PopplerDocument* document = poppler_document_new_from_bytes(data, nullptr, &failure);
  g_bytes_unref(data);
  if (document == nullptr) {
    g_clear_error(&failure);
    return unreadable(label);
  }
  int pages = poppler_document_get_n_pages(document);
  Status status = pages > 0 ? Status{} : Status{unreadable(label)};
  for (int index = 0; index < pages && status.ok(); ++index) {
    PopplerPage* page = poppler_document_get_page(document, index);
    double width = 0;
    double height = 0;
    if (page != nullptr) poppler_page_get_size(page, &width, &height);
    if (page == nullptr || width <= 0 || height <= 0) {
      status = unreadable(label);
    } else {
      cairo_t* cairo = canvas.cairo();
      cairo_save(cairo);
      fit(canvas, width, height);
      poppler_page_render_for_printing(page, cairo);
      cairo_restore(cairo);
      canvas.end_bare_page();
    }
    if (page != nullptr) g_object_unref(page);
  }
  g_object_unref(document);
  return status;
}

}  // namespace depot::printing
