#include <algorithm>
#include <set>

#include "printing/document_pages.h"

namespace depot::printing {

namespace {

// SKU, name, quantity, orders, as shares of the content width; the location heads its group.
struct PickColumns {
  Column sku, name, quantity, orders;
};

PickColumns pick_columns(const PageCanvas& canvas) {
  auto [sku, name, quantity, orders] = columns_across<4>(canvas, {0.22, 0.33, 0.11, 0.34});
  return {sku, name, quantity, orders};
}

std::string join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += ", ";
    joined += part;
  }
  return joined;
}

std::string location_heading(const std::string& location, bool continued) {
  std::string heading = location.empty() ? "未指定库位 No location" : "库位 Location " + location;
  if (continued) heading += "（续 continued）";
  return heading;
}

// One pass over the list, as SlipLayout does for a packing slip.
class PickLayout {
 public:
  PickLayout(PageCanvas& canvas, const PickList& list, const std::string& date)
      : canvas_(canvas),
        style_(canvas.style()),
        list_(list),
        date_(date),
        columns_(pick_columns(canvas)) {}

  int run(int pages) {
    pages_ = pages;
    page_ = 1;
    first_header();
    const std::string* location = nullptr;
    for (const PickLine& line : list_.lines) {
      double height = row_height(line);
      bool new_group = location == nullptr || *location != line.location;
      double heading = new_group ? heading_height() : 0;
      if (y_ + heading + height > canvas_.bottom()) {
        next_page();
        // A group that goes on over the break is headed again on the new page.
        if (!new_group) group_heading(line.location, true);
      }
      if (new_group) group_heading(line.location, false);
      location = &line.location;
      draw_row(line, height);
      y_ += height;
    }
    canvas_.end_page(page_, pages_);
    return page_;
  }

 private:
  double gap() const { return style_.cell_padding * 2; }

  TextBox full_width(Font font, int max_lines = 0) const {
    return TextBox{.x = canvas_.left(),
                   .y = y_,
                   .width = canvas_.content_width(),
                   .font = font,
                   .max_lines = max_lines};
  }
  TextBox cell(const Column& column, Font font, int max_lines, Align align = Align::left) const {
    double padding = style_.cell_padding;
    return TextBox{.x = column.x + padding,
                   .y = y_ + padding,
                   .width = column.width - 2 * padding,
                   .font = font,
                   .max_lines = max_lines,
                   .align = align};
  }

  void first_header() {
    y_ = canvas_.top();
    y_ += canvas_.text("拣货单 Pick list", full_width(Font::title, 1)) + style_.cell_padding;
    y_ += canvas_.text(list_.title, full_width(Font::bold, 2)) + gap();
    y_ += canvas_.field("日期 Date", date_, y_, 1);
    y_ += canvas_.field("汇总 Summary", summary(), y_, 2) + style_.cell_padding;
    table_header();
  }

  std::string summary() const {
    std::set<std::string_view> locations, skus, orders;
    std::int64_t units = 0;
    for (const PickLine& line : list_.lines) {
      locations.insert(line.location);
      skus.insert(line.sku);
      orders.insert(line.order_nos.begin(), line.order_nos.end());
      units += line.quantity;
    }
    return std::to_string(locations.size()) + " 个库位 locations · " + std::to_string(skus.size()) +
           " 种商品 SKUs · " + std::to_string(units) + " 件 units · " +
           std::to_string(orders.size()) + " 单 orders";
  }

  void next_page() {
    canvas_.end_page(page_, pages_);
    ++page_;
    y_ = canvas_.top();
    y_ += canvas_.text("拣货单 Pick list（续 continued）· " + list_.title,
                       full_width(Font::bold, 2)) +
          gap();
    table_header();
  }

  void table_header() {
    double height = canvas_.line_height(Font::bold) + 2 * style_.cell_padding;
    canvas_.shade(y_, height);
    canvas_.text("SKU", cell(columns_.sku, Font::bold, 1));
    canvas_.text("品名 Name", cell(columns_.name, Font::bold, 1));
    canvas_.text("数量 Qty", cell(columns_.quantity, Font::bold, 1, Align::right));
    canvas_.text("订单 Orders", cell(columns_.orders, Font::bold, 1));
    y_ += height;
  }

  double heading_height() const {
    return canvas_.line_height(Font::bold) + 2 * style_.cell_padding;
  }

  void group_heading(const std::string& location, bool continued) {
    double height = heading_height();
    canvas_.rule(y_, 0.8);
    canvas_.text(location_heading(location, continued),
                 cell(Column{canvas_.left(), canvas_.content_width()}, Font::bold, 1));
    y_ += height;
  }

  double row_height(const PickLine& line) {
    double height =
        std::max({canvas_.measure(line.sku, cell(columns_.sku, Font::body, 2)),
                  canvas_.measure(line.name, cell(columns_.name, Font::body, style_.name_lines)),
                  canvas_.measure(join(line.order_nos),
                                  cell(columns_.orders, Font::small, style_.order_lines)),
                  canvas_.line_height(Font::body)});
    return height + 2 * style_.cell_padding;
  }

  void draw_row(const PickLine& line, double height) {
    if (!canvas_.drawing()) return;
    canvas_.text(line.sku, cell(columns_.sku, Font::body, 2));
    canvas_.text(line.name, cell(columns_.name, Font::body, style_.name_lines));
    canvas_.text(std::to_string(line.quantity),
                 cell(columns_.quantity, Font::bold, 1, Align::right));
    canvas_.text(join(line.order_nos), cell(columns_.orders, Font::small, style_.order_lines));
    canvas_.rule(y_ + height, 0.3);
  }

  PageCanvas& canvas_;
  const PageStyle& style_;
  const PickList& list_;
  const std::string& date_;
  PickColumns columns_;
  int pages_ = 0;
  int page_ = 1;
  double y_ = 0;
};

}  // namespace

void draw_pick_list(PageCanvas& canvas, const PickList& list, const std::string& date) {
  PickLayout layout(canvas, list, date);
  lay_out_in_two_passes(canvas, layout);
}

}  // namespace depot::printing
