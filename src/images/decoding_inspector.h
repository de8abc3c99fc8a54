#pragma once
// The ImageInspector of libpng, libjpeg-turbo, giflib and libwebp: an upload is decoded whole,
// every row of every frame, so a file that only starts like an image is refused. Limits keep a
// small file from costing much: at most 16,384 pixels a side, 64 million pixels an image, 256
// million decoded over a GIF's or an animated WebP's frames. JPEG and WebP are decoded at a reduced
// scale, which reads and checks all of their data while keeping little of it.
//
// Thread safety: stateless; inspect() may run on any number of threads at once.

#include "app/image_inspector.h"

namespace depot::images {

class DecodingInspector : public ImageInspector {
 public:
  Result<ImageFacts> inspect(std::string_view bytes) override;
};

}  // namespace depot::images
