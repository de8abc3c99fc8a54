#pragma once
// One render's drawing surface for depot's own documents: the page's geometry and type sizes for
// the paper, and text laid out by pango in the CJK font, with one PangoLayout and one font
// description per style reused for every piece of text of the render.
//
// A document is laid out twice: first with drawing off, which only measures and counts pages (so
// the foot of each page can say "1/3"), then with drawing on. Not thread-safe: one per render.

#include <cairo.h>

#include <array>
#include <cstddef>
#include <string_view>

#include "app/documents.h"

typedef struct _PangoLayout PangoLayout;
typedef struct _PangoFontDescription PangoFontDescription;

namespace depot::printing {

// Sizes in PDF points (1/72 inch).
struct PageStyle {
  double width = 0;
  double height = 0;
  double margin = 0;
  double body_size = 0;
  double small_size = 0;
  double title_size = 0;
  double cell_padding = 0;
  double key_width = 0;     // the column of "订单号 Order"-style keys before their values
  double label_margin = 0;  // around a carrier's label: none on label paper, made for that size
  double barcode_height = 0;
  double max_module = 0;  // the widest a Code 128 module (the thinnest bar) is drawn
  int name_lines = 0;     // lines a product name may take in a table row before it is cut short
  int order_lines = 0;    // lines of order numbers a pick-list row may take
  int note_lines = 0;
};

const PageStyle& page_style(PaperSize size);

// A table column: where it starts on the page and how wide it is.
struct Column {
  double x = 0;
  double width = 0;
};

enum class Font { body, bold, small, title };
enum class Align { left, center, right };

struct TextBox {
  double x = 0;
  double y = 0;
  double width = 0;
  Font font = Font::body;
  int max_lines = 0;  // 0: as many as the text needs; otherwise cut short with "…"
  Align align = Align::left;
};

class PageCanvas {
 public:
  PageCanvas(cairo_t* cairo, const PageStyle& style);
  ~PageCanvas();
  PageCanvas(const PageCanvas&) = delete;
  PageCanvas& operator=(const PageCanvas&) = delete;

  const PageStyle& style() const { return style_; }
  cairo_t* cairo() const { return cairo_; }
  bool drawing() const { return drawing_; }
  void set_drawing(bool drawing) { drawing_ = drawing; }

  // The area a document's content may take: inside the margins, above the page-number foot.
  double left() const { return style_.margin; }
  double right() const { return style_.width - style_.margin; }
  double top() const { return style_.margin; }
  double bottom() const;
  double content_width() const { return right() - left(); }

  // Lays `text` out in `box` (wrapped at its width), draws it when drawing, and answers its height.
  double text(std::string_view text, const TextBox& box);
  // The height `text` would take in `box`, never drawn.
  double measure(std::string_view text, const TextBox& box);
  double line_height(Font font) const { return line_heights_[static_cast<int>(font)]; }
  // A key in small type ("订单号 Order") with its value beside it; answers the height taken, a
  // little space under it included.
  double field(std::string_view key, std::string_view value, double y, int max_lines = 0);

  void rule(double y, double thickness = 0.5);
  void shade(double y, double height);
  // "第 2/3 页 Page 2/3" at the foot; then the page is done (emitted when drawing).
  void end_page(int page, int pages);
  // Ends a page that has no foot (a carrier's label).
  void end_bare_page();

 private:
  void lay_out(std::string_view text, const TextBox& box);

  cairo_t* cairo_;
  const PageStyle& style_;
  PangoLayout* layout_;
  PangoFontDescription* fonts_[4];
  double line_heights_[4];
  bool drawing_ = true;
};

// Columns side by side across the canvas's content width, each taking its share of it (the shares
// add up to 1), in order from the left margin.
template <std::size_t N>
std::array<Column, N> columns_across(const PageCanvas& canvas,
                                     const std::array<double, N>& shares) {
  std::array<Column, N> columns;
  double x = canvas.left();
  for (std::size_t i = 0; i < N; ++i) {
    columns[i] = {x, canvas.content_width() * shares[i]};
    x += columns[i].width;
  }
  return columns;
}

// Lays a document out twice: first with drawing off, which only counts its pages, then drawing
// them, so that each page's foot can say "n/pages". `layout.run(pages)` answers the pages it took.
template <class Layout>
void lay_out_in_two_passes(PageCanvas& canvas, Layout& layout) {
  canvas.set_drawing(false);
  int pages = layout.run(0);
  canvas.set_drawing(true);
  layout.run(pages);
}

}  // namespace depot::printing
