// How fast the PDF renderer (src/printing/) merges a batch into one PDF: per order, a carrier's
// PNG label (600×900 px, black on white with a Code 128, as an aggregator sends one) and a packing
// slip of three lines in Chinese, on 100×150 mm paper. Prints one JSON object with the median of
// several runs.
//
//   depot_print_bench [--orders N] [--runs R] [--distinct D] [--only labels|slips] [--gray]
//                     [--out FILE]
//
// The labels are D distinct images (default 100) used in turn; with D above the renderer's cache
// of recent images (8) every label is decoded and embedded again, as distinct labels would be, so
// a small D only saves this program the time of generating the PNGs. The labels are pure black
// and white, as a thermal printer prints them; --gray draws their text with grey anti-aliased
// edges instead, which the renderer must embed as 8-bit images (the slower path). --out keeps the
// last PDF.

#include <cairo.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "printing/code128.h"
#include "printing/pdf_renderer.h"

namespace {

using namespace depot;

std::string png_label(int number, bool gray) {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 900);
  cairo_t* cairo = cairo_create(surface);
  if (!gray) {
    cairo_set_antialias(cairo, CAIRO_ANTIALIAS_NONE);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_NONE);
    cairo_set_font_options(cairo, options);
    cairo_font_options_destroy(options);
  }
  cairo_set_source_rgb(cairo, 1, 1, 1);
  cairo_paint(cairo);
  cairo_set_source_rgb(cairo, 0, 0, 0);
  cairo_set_line_width(cairo, 4);
  cairo_rectangle(cairo, 10, 10, 580, 880);
  cairo_stroke(cairo);
  char tracking[32];
  std::snprintf(tracking, sizeof tracking, "SF%013d", number);
  cairo_select_font_face(cairo, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cairo, 40);
  cairo_move_to(cairo, 60, 120);
  cairo_show_text(cairo, tracking);
  if (auto code = printing::Code128::encode(tracking); code.ok()) {
    code->draw(cairo, 60, 300, 3, 200);
  }
  for (int row = 0; row < 6; ++row) {
    cairo_rectangle(cairo, 40, 560 + row * 50, 200 + (number * 37 + row * 53) % 320, 18);
  }
  cairo_fill(cairo);
  cairo_destroy(cairo);
  std::string png;
  cairo_surface_write_to_png_stream(
      surface,
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &png);
  cairo_surface_destroy(surface);
  return png;
}

PackingSlip slip(int number) {
  PackingSlip slip;
  slip.merchant = "晨光茶铺 Morning Tea";
  slip.order_no = "D20260131-" + std::to_string(100000 + number);
  slip.created_at = Instant{std::chrono::seconds{1769817900 + number}};
  slip.customer_name = "张三丰";
  slip.phone = "138****5678";
  slip.address = "北京市朝阳区建国路88号SOHO现代城5号楼" + std::to_string(number % 30) + "03室";
  slip.carrier = "顺丰速运 SF";
  slip.tracking_no = "SF" + std::to_string(1000000000000 + number);
  slip.lines = {{"SKU-100", "有机绿茶 250克 罐装", "WH1/A-01", 2},
                {"SKU-101", "白瓷茶杯（两只装）", "WH1/A-02", 1},
                {"SKU-102", "云南普洱茶饼 357克 2019年 古树春茶 限量珍藏版 礼盒装", "WH1/B-07", 1}};
  slip.notes = "请用礼盒包装，周末送货";
  return slip;
}

long peak_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  int orders = 1000;
  int runs = 3;
  int distinct = 100;
  std::string out;
  std::string only;
  bool gray = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--gray") == 0) gray = true;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--orders") == 0) orders = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--runs") == 0) runs = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--distinct") == 0) distinct = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--out") == 0) out = argv[i + 1];
    if (std::strcmp(argv[i], "--only") == 0) only = argv[i + 1];
  }
  std::vector<std::string> labels;
  for (int i = 0; i < distinct; ++i) labels.push_back(png_label(i, gray));

  int pages = only.empty() ? 2 * orders : orders;
  printing::PdfRenderer renderer;
  std::vector<double> seconds;
  std::size_t bytes = 0;
  for (int run = 0; run < runs; ++run) {
    int next = 0;
    PrintableSource source = [&]() -> std::optional<Printable> {
      if (next == pages) return std::nullopt;
      int order = only.empty() ? next / 2 : next;
      bool label = only.empty() ? next % 2 == 0 : only == "labels";
      ++next;
      if (label) {
        return CarrierLabel{
            "D20260131-" + std::to_string(100000 + order), "SF",
            WaybillLabel{"png", labels[static_cast<std::size_t>(order % distinct)]}};
      }
      return slip(order);
    };
    std::string pdf;
    auto start = std::chrono::steady_clock::now();
    Status status =
        renderer.render(source, PaperSize::label, [&pdf](std::string_view chunk) { pdf += chunk; });
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!status.ok()) {
      std::fprintf(stderr, "render failed: %s\n", status.error().message.c_str());
      return 1;
    }
    bytes = pdf.size();
    if (!out.empty() && run + 1 == runs) std::ofstream(out, std::ios::binary) << pdf;
  }
  std::sort(seconds.begin(), seconds.end());
  double median = seconds[seconds.size() / 2];
  std::printf(
      "{\"orders\": %d, \"only\": \"%s\", \"pages\": %d, \"distinct_labels\": %d, \"gray_labels\": "
      "%s, \"runs\": %d, "
      "\"median_seconds\": %.3f, \"min_seconds\": %.3f, \"max_seconds\": %.3f, "
      "\"pages_per_second\": %.1f, \"pdf_bytes\": %zu, \"peak_rss_kib\": %ld}\n",
      orders, only.empty() ? "labels and slips" : only.c_str(), pages, distinct,
      gray ? "true" : "false", runs, median, seconds.front(), seconds.back(), pages / median, bytes,
      peak_rss_kib());
  return 0;
}
