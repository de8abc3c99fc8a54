#pragma once
// Uploading a product's images (SPEC INV-5): a file is kept when it decodes whole as a PNG, JPEG,
// GIF or WebP image of at most kMaxImageBytes, then served under /media/<file_name>.
//
// Thread safety: add() may be called from any thread; it blocks while the image is decoded and
// its file written, then the row is committed on the writer and `done` runs there.

#include <cstddef>
#include <string>

#include "app/actor.h"
#include "app/image_inspector.h"
#include "app/ports.h"
#include "app/write.h"

namespace depot {

class ProductImages {
 public:
  static constexpr std::size_t kMaxImageBytes = 1 << 20;

  ProductImages(Store& store, Clock& clock, MediaStore& media, ImageInspector& inspector)
      : store_(store), clock_(clock), media_(media), inspector_(inspector) {}

  // Refuses (naming the field `file`) a file that is not a whole image or is too large.
  void add(const Actor& actor, std::string sku, const std::string& bytes,
           Callback<ProductImage> done);

 private:
  Store& store_;
  Clock& clock_;
  MediaStore& media_;
  ImageInspector& inspector_;
};

}  // namespace depot
