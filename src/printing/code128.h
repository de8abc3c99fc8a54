#pragma once
// An order number as a Code 128 symbol, encoded by zint and kept as its bars, so the page draws
// them as vector rectangles (sharp at any printer resolution). The quiet zones around the symbol
// (10 modules each side) are the page's to leave clear.

#include <cairo.h>

#include <string_view>
#include <vector>

#include "domain/result.h"

namespace depot::printing {

inline constexpr int kQuietZoneModules = 10;

class Code128 {
 public:
  // The symbol for `text`; `invalid` when Code 128 cannot carry it (empty, too long, or holding
  // characters outside Latin-1), with zint's reason.
  static Result<Code128> encode(std::string_view text);

  int modules() const { return modules_; }
  // Draws the bars with their top-left corner at (x, y), each module `module` points wide.
  void draw(cairo_t* cairo, double x, double y, double module, double height) const;

 private:
  struct Bar {
    double start = 0;  // in modules from the symbol's left edge
    double width = 0;  // in modules
  };

  int modules_ = 0;
  std::vector<Bar> bars_;
};

}  // namespace depot::printing
