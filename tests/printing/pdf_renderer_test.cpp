// The PDF renderer, its output read back by other implementations from Debian: poppler-utils'
// pdfinfo (a valid PDF, its page count and size), pdftotext (the Chinese text is real text),
// pdfimages (a PNG label placed as an image) and pdftoppm, whose 300 dpi rendering zbarimg scans
// for the Code 128 of the order number.
#include "printing/pdf_renderer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "printing/code128.h"
#include "support/test_support.h"

namespace depot::printing {
namespace {

// The command's standard output (its errors too); the test fails when it exits non-zero.
std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return output;
  }
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << ":\n" << output;
  return output;
}

Instant at(std::int64_t seconds) { return Instant{std::chrono::seconds{seconds}}; }

// 2026-01-31 08:05 in Beijing.
constexpr std::int64_t kOrderTime = 1769817900;

PackingSlip chinese_slip(std::string order_no, int lines = 3) {
  PackingSlip slip;
  slip.merchant = "晨光茶铺 Morning Tea";
  slip.order_no = std::move(order_no);
  slip.created_at = at(kOrderTime);
  slip.customer_name = "张三丰";
  slip.phone = "138****5678";
  slip.address = "北京市朝阳区建国路88号SOHO现代城5号楼1203室";
  slip.carrier = "顺丰速运 SF";
  slip.tracking_no = "SF1234567890123";
  std::vector<std::string> names = {"有机绿茶 250克 罐装", "白瓷茶杯（两只装）",
                                    "云南普洱茶饼 357克 2019年 古树春茶 限量珍藏版 礼盒装"};
  for (int i = 0; i < lines; ++i) {
    slip.lines.push_back(SlipLine{"SKU-" + std::to_string(100 + i),
                                  names[static_cast<std::size_t>(i) % names.size()],
                                  "WH1/A-" + std::to_string(i + 1), i + 1});
  }
  slip.notes = "请用礼盒包装，周末送货";
  return slip;
}

PickList chinese_pick_list() {
  PickList list;
  list.title = "批次 42 顺丰 SF";
  list.created_at = at(kOrderTime);
  list.lines = {{"WH1/A-01", "SKU-100", "有机绿茶 250克 罐装", 3, {"D-1001", "D-1002"}},
                {"WH1/A-01", "SKU-101", "白瓷茶杯（两只装）", 1, {"D-1002"}},
                {"WH1/B-07", "SKU-102", "云南普洱茶饼", 2, {"D-1003"}}};
  return list;
}

// A carrier's PNG label as an aggregator sends one: 600×900 px, black on white (with a grey box
// when `grey`), a Code 128 of the tracking number across it.
std::string png_label(const std::string& tracking_no, bool grey = false) {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 900);
  cairo_t* cairo = cairo_create(surface);
  cairo_set_source_rgb(cairo, 1, 1, 1);
  cairo_paint(cairo);
  cairo_set_source_rgb(cairo, 0, 0, 0);
  cairo_rectangle(cairo, 10, 10, 580, 880);
  cairo_set_line_width(cairo, 4);
  cairo_stroke(cairo);
  if (grey) {
    cairo_set_source_rgb(cairo, 0.5, 0.5, 0.5);
    cairo_rectangle(cairo, 60, 600, 200, 100);
    cairo_fill(cairo);
    cairo_set_source_rgb(cairo, 0, 0, 0);
  }
  Result<Code128> code = Code128::encode(tracking_no);
  EXPECT_TRUE(code.ok());
  if (code.ok()) code->draw(cairo, 60, 300, 3, 200);
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

// A carrier's PDF label: one 100×150 mm page with its text.
std::string pdf_label(const std::string& text) {
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &pdf, 283.46, 425.2);
  cairo_t* cairo = cairo_create(surface);
  cairo_select_font_face(cairo, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cairo, 18);
  cairo_move_to(cairo, 20, 60);
  cairo_show_text(cairo, text.c_str());
  cairo_rectangle(cairo, 20, 100, 240, 80);
  cairo_fill(cairo);
  cairo_destroy(cairo);
  cairo_surface_finish(surface);
  cairo_surface_destroy(surface);
  return pdf;
}

CarrierLabel carrier_label(std::string order_no, std::string format, std::string bytes) {
  return CarrierLabel{std::move(order_no), "SF1234567890123",
                      WaybillLabel{std::move(format), std::move(bytes)}};
}

// A source handing out `documents` in order.
PrintableSource source_of(std::vector<Printable> documents) {
  auto shared = std::make_shared<std::vector<Printable>>(std::move(documents));
  auto index = std::make_shared<std::size_t>(0);
  return [shared, index]() -> std::optional<Printable> {
    if (*index == shared->size()) return std::nullopt;
    return (*shared)[(*index)++];
  };
}

Status render_to(const std::string& path, std::vector<Printable> documents, PaperSize size) {
  std::ofstream out(path, std::ios::binary);
  PdfRenderer renderer;
  return renderer.render(source_of(std::move(documents)), size,
                         [&out](std::string_view bytes) { out.write(bytes.data(), bytes.size()); });
}

std::string text_of(const std::string& pdf, int page) {
  std::string range = " -f " + std::to_string(page) + " -l " + std::to_string(page);
  return run("pdftotext -enc UTF-8" + range + " " + pdf + " -");
}

// What zbarimg reads on `page` rendered at 300 dpi: "CODE-128:<data>" per symbol found.
std::string barcodes_on(const std::string& pdf, int page, const testing::TempDir& dir) {
  std::string prefix = dir.file("page");
  std::string number = std::to_string(page);
  run("pdftoppm -r 300 -png -singlefile -f " + number + " -l " + number + " " + pdf + " " + prefix);
  return run("zbarimg -q --nodbus " + prefix + ".png");
}

// A document's text with its layout dropped: pdftotext breaks lines where the page does.
std::string squeezed(std::string text) {
  std::erase_if(text, [](char c) { return c == ' ' || c == '\n'; });
  return text;
}

TEST(PdfRenderer, PrintsAPackingSlipOnLabelPaperWithChineseTextAndABarcode) {
  testing::TempDir dir;
  std::string pdf = dir.file("slip.pdf");
  ASSERT_OK(render_to(pdf, {chinese_slip("D20260131-0001")}, PaperSize::label));

  std::string info = run("pdfinfo " + pdf);
  EXPECT_NE(info.find("Pages:           1\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Page size:       283.465 x 425.197 pts\n"), std::string::npos) << info;

  std::string text = text_of(pdf, 1);
  for (std::string expected : {"晨光茶铺",
                               "发货单",
                               "Packing slip",
                               "订单号",
                               "Order",
                               "D20260131-0001",
                               "2026-01-3108:05",
                               "张三丰",
                               "138****5678",
                               "北京市朝阳区建国路88号",
                               "顺丰速运",
                               "SF1234567890123",
                               "有机绿茶250克罐装",
                               "白瓷茶杯",
                               "WH1/A-1",
                               "SKU-102",
                               "库位",
                               "合计Total6",
                               "请用礼盒包装，周末送货",
                               "第1/1页"}) {
    EXPECT_NE(squeezed(text).find(squeezed(expected)), std::string::npos) << expected << "\n"
                                                                          << text;
  }
  EXPECT_EQ(barcodes_on(pdf, 1, dir), "CODE-128:D20260131-0001\n");
}

TEST(PdfRenderer, PrintsAPackingSlipOnA4) {
  testing::TempDir dir;
  std::string pdf = dir.file("slip.pdf");
  ASSERT_OK(render_to(pdf, {chinese_slip("D20260131-0002")}, PaperSize::a4));

  std::string info = run("pdfinfo " + pdf);
  EXPECT_NE(info.find("Pages:           1\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Page size:       595.276 x 841.89 pts (A4)\n"), std::string::npos) << info;
  std::string text = squeezed(text_of(pdf, 1));
  EXPECT_NE(text.find("发货单"), std::string::npos) << text;
  EXPECT_NE(text.find("云南普洱茶饼357克2019年古树春茶限量珍藏版礼盒装"), std::string::npos)
      << text;
  EXPECT_EQ(barcodes_on(pdf, 1, dir), "CODE-128:D20260131-0002\n");
}

TEST(PdfRenderer, ContinuesALongPackingSlipOnFurtherPages) {
  testing::TempDir dir;
  std::string pdf = dir.file("slip.pdf");
  ASSERT_OK(render_to(pdf, {chinese_slip("D20260131-0003", 40)}, PaperSize::label));

  std::string info = run("pdfinfo " + pdf);
  int pages = std::stoi(info.substr(info.find("Pages:") + 6));
  ASSERT_GT(pages, 1) << info;
  std::string first = squeezed(text_of(pdf, 1));
  std::string last = squeezed(text_of(pdf, pages));
  std::string count = std::to_string(pages);
  EXPECT_NE(first.find("第1/" + count + "页"), std::string::npos) << first;
  EXPECT_NE(last.find("第" + count + "/" + count + "页"), std::string::npos) << last;
  EXPECT_NE(last.find("续continued"), std::string::npos) << last;
  EXPECT_NE(last.find("D20260131-0003"), std::string::npos) << last;
  EXPECT_NE(last.find("合计Total820"), std::string::npos) << last;  // 1 + 2 + … + 40
  std::string all;
  for (int page = 1; page <= pages; ++page) all += squeezed(text_of(pdf, page));
  for (int line = 100; line < 140; ++line) {
    EXPECT_NE(all.find("SKU-" + std::to_string(line)), std::string::npos) << line;
  }
}

TEST(PdfRenderer, MergesAPickListCarrierLabelsAndASlipIntoOnePdf) {
  testing::TempDir dir;
  std::string pdf = dir.file("batch.pdf");
  ASSERT_OK(
      render_to(pdf,
                {chinese_pick_list(), carrier_label("D-1001", "png", png_label("SF0000000001")),
                 carrier_label("D-1002", "pdf", pdf_label("PDF LABEL SF0000000002")),
                 chinese_slip("D-1003", 2)},
                PaperSize::label));

  std::string info = run("pdfinfo " + pdf);
  EXPECT_NE(info.find("Pages:           4\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Page size:       283.465 x 425.197 pts\n"), std::string::npos) << info;

  std::string pick = squeezed(text_of(pdf, 1));
  for (std::string expected : {"拣货单", "Picklist", "批次42顺丰SF", "库位LocationWH1/A-01",
                               "库位LocationWH1/B-07", "有机绿茶", "D-1001,D-1002", "D-1003",
                               "2个库位locations", "3种商品SKUs", "6件units", "3单orders"}) {
    EXPECT_NE(pick.find(expected), std::string::npos) << expected << "\n" << pick;
  }
  // The locations come in order, each once, their SKUs under them.
  EXPECT_LT(pick.find("WH1/A-01"), pick.find("SKU-101"));
  EXPECT_LT(pick.find("SKU-101"), pick.find("WH1/B-07"));

  std::string images = run("pdfimages -list " + pdf);
  // Black and white: a 1-bit stencil mask.
  EXPECT_NE(images.find("   2     0 stencil   600   900"), std::string::npos) << images;
  EXPECT_EQ(barcodes_on(pdf, 2, dir), "CODE-128:SF0000000001\n");
  EXPECT_NE(text_of(pdf, 3).find("PDF LABEL SF0000000002"), std::string::npos);
  EXPECT_NE(squeezed(text_of(pdf, 4)).find("发货单"), std::string::npos);
  EXPECT_EQ(barcodes_on(pdf, 4, dir), "CODE-128:D-1003\n");
}

TEST(PdfRenderer, PlacesAGreyLabelOnA4AsAnImage) {
  testing::TempDir dir;
  std::string pdf = dir.file("labels.pdf");
  ASSERT_OK(render_to(pdf, {carrier_label("D-1001", "png", png_label("SF0000000003", true))},
                      PaperSize::a4));
  std::string info = run("pdfinfo " + pdf);
  EXPECT_NE(info.find("Pages:           1\n"), std::string::npos) << info;
  EXPECT_NE(info.find("(A4)"), std::string::npos) << info;
  std::string images = run("pdfimages -list " + pdf);
  EXPECT_NE(images.find("   1     0 image     600   900  gray"), std::string::npos) << images;
  EXPECT_EQ(barcodes_on(pdf, 1, dir), "CODE-128:SF0000000003\n");
}

TEST(PdfRenderer, RefusesALabelThatIsNeitherAPngNorAPdfNamingTheOrder) {
  PdfRenderer renderer;
  std::string png = png_label("SF0000000004");
  for (const std::string& bytes :
       {std::string("<html>not a label</html>"), png.substr(0, png.size() / 2),
        std::string("%PDF-1.5\ngarbage"), std::string()}) {
    std::string written;
    Status status =
        renderer.render(source_of({chinese_slip("D-2001"), carrier_label("D-2002", "png", bytes)}),
                        PaperSize::label, [&written](std::string_view chunk) { written += chunk; });
    ASSERT_FALSE(status.ok()) << bytes.size();
    EXPECT_EQ(status.error().code, ErrorCode::invalid);
    EXPECT_EQ(status.error().message, "label of order D-2002 is not a readable PNG or PDF");
  }
}

TEST(PdfRenderer, RefusesAnOrderNumberCode128CannotCarry) {
  PdfRenderer renderer;
  Status status = renderer.render(source_of({chinese_slip("订单-1")}), PaperSize::label,
                                  [](std::string_view) {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::invalid);
  EXPECT_NE(status.error().message.find("订单-1"), std::string::npos) << status.error().message;
}

TEST(PdfRenderer, RefusesNothingToPrint) {
  PdfRenderer renderer;
  bool written = false;
  Status status = renderer.render(source_of({}), PaperSize::a4,
                                  [&written](std::string_view) { written = true; });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::invalid);
  EXPECT_FALSE(written);
}

TEST(PdfRenderer, ReportsASinkThatFails) {
  PdfRenderer renderer;
  Status status = renderer.render(source_of({chinese_slip("D-3001")}), PaperSize::label,
                                  [](std::string_view) { throw std::runtime_error("disk full"); });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::unavailable);
  EXPECT_NE(status.error().message.find("disk full"), std::string::npos) << status.error().message;
}

TEST(PdfRenderer, RendersOnSeveralThreadsAtOnce) {
  testing::TempDir dir;
  std::string png = png_label("SF0000000005");
  std::string label_pdf = pdf_label("PDF LABEL SF0000000006");
  std::vector<std::thread> threads;
  std::vector<Status> results(4);
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      std::vector<Printable> documents;
      for (int order = 0; order < 5; ++order) {
        documents.push_back(chinese_slip("D-" + std::to_string(i) + "-" + std::to_string(order)));
        documents.push_back(carrier_label("D-" + std::to_string(order), "png", png));
        documents.push_back(carrier_label("D-" + std::to_string(order), "pdf", label_pdf));
      }
      results[i] = render_to(dir.file(std::to_string(i) + ".pdf"), std::move(documents),
                             i % 2 == 0 ? PaperSize::label : PaperSize::a4);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_OK(results[i]);
    std::string info = run("pdfinfo " + dir.file(std::to_string(i) + ".pdf"));
    EXPECT_NE(info.find("Pages:           15\n"), std::string::npos) << info;
  }
}

}  // namespace
}  // namespace depot::printing
