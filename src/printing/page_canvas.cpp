#include "printing/page_canvas.h"

#include <pango/pangocairo.h>

#include <algorithm>
#include <string>

namespace depot::printing {

namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;

// The first family installed wins; fontconfig falls back to any CJK font after them.
constexpr const char* kFamilies = "WenQuanYi Micro Hei,Noto Sans CJK SC,sans-serif";

// Label paper is small: 3 mm margins (thermal printers lose about 2 mm at the edges), type of
// 7.5 pt, two-line product names. A4 has room for 15 mm margins and 10 pt type.
const PageStyle kLabelStyle{.width = 100 * kPointsPerMm,
                            .height = 150 * kPointsPerMm,
                            .margin = 3 * kPointsPerMm,
                            .body_size = 7.5,
                            .small_size = 6,
                            .title_size = 12,
                            .cell_padding = 1.5,
                            .key_width = 56,
                            .label_margin = 0,
                            .barcode_height = 12 * kPointsPerMm,
                            .max_module = 1.0,
                            .name_lines = 2,
                            .order_lines = 3,
                            .note_lines = 4};
const PageStyle kA4Style{.width = 210 * kPointsPerMm,
                         .height = 297 * kPointsPerMm,
                         .margin = 15 * kPointsPerMm,
                         .body_size = 10,
                         .small_size = 8,
                         .title_size = 18,
                         .cell_padding = 3,
                         .key_width = 90,
                         .label_margin = 15 * kPointsPerMm,
                         .barcode_height = 16 * kPointsPerMm,
                         .max_module = 1.4,
                         .name_lines = 3,
                         .order_lines = 4,
                         .note_lines = 10};

PangoFontDescription* font_description(double size, bool bold) {
  PangoFontDescription* font = pango_font_description_from_string(kFamilies);
  pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
  return font;
}

}  // namespace

const PageStyle& page_style(PaperSize size) {
  return size == PaperSize::label ? kLabelStyle : kA4Style;
}

PageCanvas::PageCanvas(cairo_t* cairo, const PageStyle& style)
    : cairo_(cairo), style_(style), layout_(pango_cairo_create_layout(cairo)) {
  fonts_[static_cast<int>(Font::body)] = font_description(style.body_size, false);
  fonts_[static_cast<int>(Font::bold)] = font_description(style.body_size, true);
  fonts_[static_cast<int>(Font::small)] = font_description(style.small_size, false);
  fonts_[static_cast<int>(Font::title)] = font_description(style.title_size, true);
  pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
  for (Font font : {Font::body, Font::bold, Font::small, Font::title}) {
    line_heights_[static_cast<int>(font)] =
        measure("汉 Ag", TextBox{.width = style.width, .font = font});
  }
}

PageCanvas::~PageCanvas() {
  for (PangoFontDescription* font : fonts_) pango_font_description_free(font);
  g_object_unref(layout_);
}

double PageCanvas::bottom() const {
  return style_.height - style_.margin - line_height(Font::small) - style_.cell_padding;
}

void PageCanvas::lay_out(std::string_view text, const TextBox& box) {
  pango_layout_set_font_description(layout_, fonts_[static_cast<int>(box.font)]);
  pango_layout_set_width(layout_, static_cast<int>(box.width * PANGO_SCALE));
  // A height in lines would count per paragraph; a height in points holds across line breaks.
  pango_layout_set_height(
      layout_, box.max_lines > 0
                   ? static_cast<int>((box.max_lines + 0.5) * line_height(box.font) * PANGO_SCALE)
                   : -1);
  pango_layout_set_ellipsize(layout_,
                             box.max_lines > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  pango_layout_set_alignment(layout_, box.align == Align::left     ? PANGO_ALIGN_LEFT
                                      : box.align == Align::center ? PANGO_ALIGN_CENTER
                                                                   : PANGO_ALIGN_RIGHT);
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
}

double PageCanvas::measure(std::string_view text, const TextBox& box) {
  lay_out(text, box);
  int width = 0;
  int height = 0;
  pango_layout_get_size(layout_, &width, &height);
  return static_cast<double>(height) / PANGO_SCALE;
}

double PageCanvas::text(std::string_view text, const TextBox& box) {
  double height = measure(text, box);
  if (drawing_) {
    cairo_move_to(cairo_, box.x, box.y);
    pango_cairo_show_layout(cairo_, layout_);
  }
  return height;
}

double PageCanvas::field(std::string_view key, std::string_view value, double y, int max_lines) {
  double key_height =
      text(key, TextBox{.x = left(),
                        .y = y + (line_height(Font::body) - line_height(Font::small)),
                        .width = style_.key_width,
                        .font = Font::small,
                        .max_lines = 1});
  double value_height = text(value, TextBox{.x = left() + style_.key_width,
                                            .y = y,
                                            .width = content_width() - style_.key_width,
                                            .font = Font::body,
                                            .max_lines = max_lines});
  return std::max({key_height, value_height, line_height(Font::body)}) + style_.cell_padding;
}

void PageCanvas::rule(double y, double thickness) {
  if (!drawing_) return;
  cairo_set_line_width(cairo_, thickness);
  cairo_move_to(cairo_, left(), y);
  cairo_line_to(cairo_, right(), y);
  cairo_stroke(cairo_);
}

void PageCanvas::shade(double y, double height) {
  if (!drawing_) return;
  cairo_save(cairo_);
  cairo_set_source_rgb(cairo_, 0.88, 0.88, 0.88);
  cairo_rectangle(cairo_, left(), y, content_width(), height);
  cairo_fill(cairo_);
  cairo_restore(cairo_);
}

void PageCanvas::end_page(int page, int pages) {
  if (!drawing_) return;
  std::string number = std::to_string(page) + "/" + std::to_string(pages);
  text("第 " + number + " 页 Page " + number,
       TextBox{.x = left(),
               .y = style_.height - style_.margin - line_height(Font::small),
               .width = content_width(),
               .font = Font::small,
               .align = Align::right});
  cairo_show_page(cairo_);
}

void PageCanvas::end_bare_page() {
  if (drawing_) cairo_show_page(cairo_);
}

}  // namespace depot::printing
