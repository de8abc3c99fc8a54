#include "printing/code128.h"

#include <zint.h>

#include <memory>
#include <string>

namespace depot::printing {

namespace {

struct SymbolDeleter {
  void operator()(zint_symbol* symbol) const { ZBarcode_Delete(symbol); }
};

}  // namespace

Result<Code128> Code128::encode(std::string_view text) {
  std::unique_ptr<zint_symbol, SymbolDeleter> symbol(ZBarcode_Create());
  if (!symbol) return error(ErrorCode::internal, "zint cannot allocate a symbol");
  symbol->symbology = BARCODE_CODE128;
  symbol->input_mode = UNICODE_MODE;  // UTF-8 in; zint refuses what Latin-1 cannot hold
  symbol->show_hrt = 0;               // the page sets the number under the bars in its own font
  const auto* data = reinterpret_cast<const unsigned char*>(text.data());
  int length = static_cast<int>(text.size());
  if (text.empty() || ZBarcode_Encode(symbol.get(), data, length) >= ZINT_ERROR ||
      ZBarcode_Buffer_Vector(symbol.get(), 0) >= ZINT_ERROR) {
    std::string reason = text.empty() ? "it is empty" : symbol->errtxt;
    return error(ErrorCode::invalid,
                 "order number " + std::string(text) + " cannot be printed as Code 128: " + reason);
  }
  // zint's vector units are a fixed multiple of the module; its width spans exactly the symbol.
  Code128 code;
  code.modules_ = symbol->width;
  double units_per_module = symbol->vector->width / symbol->width;
  for (const zint_vector_rect* rect = symbol->vector->rectangles; rect != nullptr;
       rect = rect->next) {
    code.bars_.push_back(Bar{rect->x / units_per_module, rect->width / units_per_module});
  }
  return code;
}

void Code128::draw(cairo_t* cairo, double x, double y, double module, double height) const {
  for (const Bar& bar : bars_) {
    cairo_rectangle(cairo, x + bar.start * module, y, bar.width * module, height);
  }
  cairo_fill(cairo);
}

}  // namespace depot::printing
