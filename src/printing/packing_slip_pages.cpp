#include <algorithm>

#include "printing/document_pages.h"

namespace depot::printing {

namespace {

// SKU, name, location, quantity, as shares of the content width.
struct SlipColumns {
  Column sku, name, location, quantity;
};

SlipColumns slip_columns(const PageCanvas& canvas) {
  auto [sku, name, location, quantity] = columns_across<4>(canvas, {0.24, 0.42, 0.20, 0.14});
  return {sku, name, location, quantity};
}

// One pass over the slip: measuring (drawing off) it counts the pages; drawing, it prints them
// with "page n of `pages`" at their foot.
class SlipLayout {
 public:
  SlipLayout(PageCanvas& canvas, const PackingSlip& slip, const Code128& barcode,
             const std::string& date)
      : canvas_(canvas),
        style_(canvas.style()),
        slip_(slip),
        barcode_(barcode),
        date_(date),
        columns_(slip_columns(canvas)) {}

  int run(int pages) {
    pages_ = pages;
    page_ = 1;
    y_ = first_header();
    table_header();
    for (const SlipLine& line : slip_.lines) {
      double height = row_height(line);
      if (y_ + height > canvas_.bottom()) next_page();
      draw_row(line, height);
      y_ += height;
    }
    trailer();
    canvas_.end_page(page_, pages_);
    return page_;
  }

 private:
  double gap() const { return style_.cell_padding * 2; }

  TextBox box(double x, double width, Font font, int max_lines = 0,
              Align align = Align::left) const {
    return TextBox{
        .x = x, .y = y_, .width = width, .font = font, .max_lines = max_lines, .align = align};
  }
  TextBox cell(const Column& column, Font font, int max_lines, Align align = Align::left) const {
    double padding = style_.cell_padding;
    TextBox text = box(column.x + padding, column.width - 2 * padding, font, max_lines, align);
    text.y += padding;
    return text;
  }

  double first_header() {
    y_ = canvas_.top();
    y_ += canvas_.text(slip_.merchant, box(canvas_.left(), canvas_.content_width(), Font::bold, 1));
    y_ += canvas_.text("发货单 Packing slip",
                       box(canvas_.left(), canvas_.content_width(), Font::title, 1)) +
          gap();
    double width = canvas_.content_width();
    double module =
        std::min(style_.max_module, width / (barcode_.modules() + 2 * kQuietZoneModules));
    double x = canvas_.left() + (width - barcode_.modules() * module) / 2;
    if (canvas_.drawing()) barcode_.draw(canvas_.cairo(), x, y_, module, style_.barcode_height);
    y_ += style_.barcode_height + style_.cell_padding;
    y_ += canvas_.text(slip_.order_no, box(canvas_.left(), width, Font::body, 1, Align::center)) +
          gap();
    y_ += canvas_.field("订单号 Order", slip_.order_no, y_, 2);
    y_ += canvas_.field("日期 Date", date_, y_, 1);
    y_ += canvas_.field("收件人 Recipient", slip_.customer_name, y_, 2);
    y_ += canvas_.field("电话 Phone", slip_.phone, y_, 1);
    y_ += canvas_.field("地址 Address", slip_.address, y_, 4);
    if (!slip_.carrier.empty() || !slip_.tracking_no.empty()) {
      y_ += canvas_.field("承运商 Carrier", slip_.carrier, y_, 1);
      y_ += canvas_.field("运单号 Tracking", slip_.tracking_no, y_, 1);
    }
    return y_ + style_.cell_padding;
  }

  void next_page() {
    canvas_.end_page(page_, pages_);
    ++page_;
    y_ = canvas_.top();
    y_ += canvas_.text(slip_.merchant, box(canvas_.left(), canvas_.content_width(), Font::bold, 1));
    y_ += canvas_.text("发货单 Packing slip（续 continued）· 订单号 Order " + slip_.order_no,
                       box(canvas_.left(), canvas_.content_width(), Font::bold, 2)) +
          gap();
    table_header();
  }

  void table_header() {
    double height = canvas_.line_height(Font::bold) + 2 * style_.cell_padding;
    canvas_.shade(y_, height);
    canvas_.text("SKU", cell(columns_.sku, Font::bold, 1));
    canvas_.text("品名 Name", cell(columns_.name, Font::bold, 1));
    canvas_.text("库位 Location", cell(columns_.location, Font::bold, 1));
    canvas_.text("数量 Qty", cell(columns_.quantity, Font::bold, 1, Align::right));
    y_ += height;
  }

  double row_height(const SlipLine& line) {
    double height =
        std::max({canvas_.measure(line.sku, cell(columns_.sku, Font::body, 2)),
                  canvas_.measure(line.name, cell(columns_.name, Font::body, style_.name_lines)),
                  canvas_.measure(line.location, cell(columns_.location, Font::body, 2)),
                  canvas_.line_height(Font::body)});
    return height + 2 * style_.cell_padding;
  }

  void draw_row(const SlipLine& line, double height) {
    if (!canvas_.drawing()) return;
    canvas_.text(line.sku, cell(columns_.sku, Font::body, 2));
    canvas_.text(line.name, cell(columns_.name, Font::body, style_.name_lines));
    canvas_.text(line.location, cell(columns_.location, Font::body, 2));
    canvas_.text(std::to_string(line.quantity),
                 cell(columns_.quantity, Font::body, 1, Align::right));
    canvas_.rule(y_ + height, 0.3);
  }

  // The total and the notes, together on the last page.
  void trailer() {
    std::int64_t units = 0;
    for (const SlipLine& line : slip_.lines) units += line.quantity;
    std::string total = "合计 Total " + std::to_string(units);
    double height = canvas_.line_height(Font::bold) + gap();
    if (!slip_.notes.empty()) {
      height +=
          canvas_.measure(slip_.notes, TextBox{.width = canvas_.content_width() - style_.key_width,
                                               .max_lines = style_.note_lines}) +
          style_.cell_padding;
    }
    if (y_ + height > canvas_.bottom()) next_page();
    y_ += canvas_.text(total, cell(Column{canvas_.left(), canvas_.content_width()}, Font::bold, 1,
                                   Align::right)) +
          gap();
    if (!slip_.notes.empty()) canvas_.field("备注 Notes", slip_.notes, y_, style_.note_lines);
  }

  PageCanvas& canvas_;
  const PageStyle& style_;
  const PackingSlip& slip_;
  const Code128& barcode_;
  const std::string& date_;
  SlipColumns columns_;
  int pages_ = 0;
  int page_ = 1;
  double y_ = 0;
};

}  // namespace

void draw_packing_slip(PageCanvas& canvas, const PackingSlip& slip, const Code128& barcode,
                       const std::string& date) {
  SlipLayout layout(canvas, slip, barcode, date);
  lay_out_in_two_passes(canvas, layout);
}

}  // namespace depot::printing
