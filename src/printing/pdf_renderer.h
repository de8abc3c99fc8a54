#pragma once
// The DocumentRenderer port as PDF, on Debian's libraries: cairo's PDF surface writes the pages
// to the sink as they are finished (buffered in 64 KiB pieces), pango lays out the text in
// WenQuanYi Micro Hei (fonts-wqy-microhei; Noto Sans CJK when only that is installed) so the
// Chinese stays real, searchable text, zint encodes the order number as Code 128 and the bars are
// drawn as vector rectangles, and poppler-glib draws a carrier's PDF label onto the page.
//
// Pages: every page of one render has the same size — 100×150 mm for `PaperSize::label`, A4
// (210×297 mm) for `PaperSize::a4`. A packing slip or a pick list takes as many pages as its lines
// need (the page number "第 1/2 页" at the foot); a carrier label takes one page per image, or one
// per page of its PDF, scaled to fit the page with its aspect kept (edge to edge on label paper,
// inside the margins on A4). Dates are printed on the wall clock `utc_offset_minutes` ahead of UTC.
//
// Failures: a label that is neither a readable PNG nor a readable PDF, or an order number Code 128
// cannot carry (it holds characters outside Latin-1), fails the render with `invalid` naming the
// order; a sink that throws fails it with `unavailable`. What was already written to the sink is
// then not a whole PDF and must be discarded.
//
// Thread safety: render() may run on several threads at once; each call has its own cairo surface,
// pango layout and image cache. Poppler keeps lazily built process-wide state, so carriers' PDF
// labels are drawn under one process-wide lock.

#include "app/documents.h"

namespace depot::printing {

class PdfRenderer final : public DocumentRenderer {
 public:
  explicit PdfRenderer(int utc_offset_minutes = 480) : utc_offset_minutes_(utc_offset_minutes) {}

  Status render(const PrintableSource& next, PaperSize size, const PdfSink& sink) override;

 private:
  int utc_offset_minutes_;
};

}  // namespace depot::printing
