#pragma once
// Carriers' labels placed on pages: a PNG (read by cairo) on one page, a PDF (read by
// poppler-glib) one page per page of it, each scaled to fit — edge to edge on label paper, inside
// the margins on A4 — with its aspect kept and centred.
//
// A label that is only black and white (as thermal printers print them) goes into the PDF as a
// 1-bit stencil mask: the same picture, an eighth of the data to compress, several times faster
// than the 8-bit image cairo writes for anything else. The last few PNGs decoded are kept, so a
// label that repeats (the same image bytes) is decoded once and, being the same cairo surface,
// written into the PDF once. One per render.

#include <cairo.h>

#include <deque>
#include <string>

#include "app/documents.h"
#include "printing/page_canvas.h"

namespace depot::printing {

class LabelPages {
 public:
  LabelPages() = default;
  ~LabelPages();
  LabelPages(const LabelPages&) = delete;
  LabelPages& operator=(const LabelPages&) = delete;

  // Draws `label`'s pages and ends them; `invalid` naming the order when its bytes are neither a
  // readable PNG nor a readable PDF.
  Status draw(PageCanvas& canvas, const CarrierLabel& label);

 private:
  struct DecodedImage {
    std::string bytes;
    cairo_surface_t* surface = nullptr;
    bool stencil = false;  // `surface` is a 1-bit mask of the black pixels
  };

  // The decoded image of `bytes`, or nullptr when they are not a readable PNG. Owned by the cache.
  const DecodedImage* png(const std::string& bytes);
  Status draw_png(PageCanvas& canvas, const CarrierLabel& label);
  Status draw_pdf(PageCanvas& canvas, const CarrierLabel& label);

  std::deque<DecodedImage> recent_;
};

}  // namespace depot::printing
