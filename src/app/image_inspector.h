#pragma once
// The ImageInspector port: whether an uploaded file is an image, judged by decoding all of it. A
// format's first bytes prove nothing (six bytes of "GIF89a" can open an HTML page), so an upload
// is kept only when its whole image data decodes.
//
// Thread safety: inspect() may be called from any thread at once.

#include <string>
#include <string_view>

#include "domain/result.h"

namespace depot {

struct ImageFacts {
  std::string content_type;  // image/png, image/jpeg, image/gif or image/webp
  int width = 0;
  int height = 0;
};

class ImageInspector {
 public:
  virtual ~ImageInspector() = default;
  // The facts of `bytes` when they are one whole PNG, JPEG, GIF or WebP image that decodes without
  // error and within the size limits; otherwise an `invalid` error whose message says what is
  // wrong, in words for the uploader.
  virtual Result<ImageFacts> inspect(std::string_view bytes) = 0;
};

}  // namespace depot
