#include "images/decoding_inspector.h"

// clang-format off: jpeglib.h needs <cstdio> before it.
#include <jpeglib.h>
#include <cstdio>
// clang-format on
#include <gif_lib.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "domain/catalog.h"

namespace depot::images {

namespace {

constexpr std::uint32_t kMaxSide = 16'384;
constexpr std::uint64_t kMaxPixels = 64'000'000;
constexpr std::uint64_t kMaxDecodedPixels = 256'000'000;  // over all frames
// JPEG and WebP are decoded down to about this width: every byte is still read and checked.
constexpr int kCheckWidth = 64;

Error refused(const std::string& why) { return error(ErrorCode::invalid, why); }

std::optional<Error> too_big(std::uint64_t width, std::uint64_t height) {
  if (width == 0 || height == 0) return refused("the image has no pixels");
  if (width > kMaxSide || height > kMaxSide || width * height > kMaxPixels) {
    return refused("the image is " + std::to_string(width) + "x" + std::to_string(height) +
                   " pixels: at most 16384 a side and 64 million in all");
  }
  return std::nullopt;
}

// ---- PNG (libpng reports errors by longjmp: no object with a destructor is made after setjmp)

// What the decoding reads and writes, kept in memory libpng points to: after a longjmp only such
// state is reliable.
struct PngSource {
  std::string_view bytes;
  std::size_t at = 0;
  std::vector<png_byte> row;
  char why[200] = "";
};

void png_read_bytes(png_structp png, png_bytep out, png_size_t n) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (source->bytes.size() - source->at < n) png_error(png, "the PNG data ends early");
  std::memcpy(out, source->bytes.data() + source->at, n);
  source->at += n;
}

void png_fail(png_structp png, png_const_charp message) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(source->why, sizeof source->why, "%s", message);
  png_longjmp(png, 1);
}

void png_ignore_warning(png_structp, png_const_charp) {}

Result<ImageFacts> inspect_png(std::string_view bytes) {
  PngSource source;
  source.bytes = bytes;
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, png_fail, png_ignore_warning);
  if (png == nullptr) return error(ErrorCode::internal, "libpng could not start");
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return refused(std::string("the PNG data is damaged: ") + source.why);
  }
  png_set_read_fn(png, &source, png_read_bytes);
  png_set_user_limits(png, kMaxSide, kMaxSide);
  png_read_info(png, info);
  png_uint_32 width = png_get_image_width(png, info);
  png_uint_32 height = png_get_image_height(png, info);
  if (std::optional<Error> big = too_big(width, height)) {
    png_destroy_read_struct(&png, &info, nullptr);
    return *big;
  }
  int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  source.row.resize(png_get_rowbytes(png, info));
  for (int pass = 0; pass < passes; ++pass) {
    for (png_uint_32 y = 0; y < height; ++y) png_read_row(png, source.row.data(), nullptr);
  }
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  if (source.at != bytes.size()) return refused("the PNG file goes on after its image ends");
  return ImageFacts{"image/png", static_cast<int>(width), static_cast<int>(height)};
}

// ---- JPEG (libjpeg reports errors by longjmp too; its warnings mean corrupt data: refused)

// As for PNG: what must survive a longjmp lives where libjpeg points to.
struct JpegErrors {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  std::vector<JSAMPLE> row;
  char why[JMSG_LENGTH_MAX] = "";
};

[[noreturn]] void jpeg_fail(j_common_ptr jpeg) {
  auto* errors = reinterpret_cast<JpegErrors*>(jpeg->err);
  (*jpeg->err->format_message)(jpeg, errors->why);
  std::longjmp(errors->jump, 1);
}

void jpeg_message(j_common_ptr jpeg, int level) {
  if (level < 0) jpeg_fail(jpeg);  // a warning: the data is corrupt or ends early
}

Result<ImageFacts> inspect_jpeg(std::string_view bytes) {
  jpeg_decompress_struct jpeg{};
  JpegErrors errors{};
  jpeg.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jpeg_fail;
  errors.manager.emit_message = jpeg_message;
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&jpeg);
    return refused(std::string("the JPEG data is damaged: ") + errors.why);
  }
  jpeg_create_decompress(&jpeg);
  jpeg_mem_src(&jpeg, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&jpeg, TRUE);
  if (std::optional<Error> big = too_big(jpeg.image_width, jpeg.image_height)) {
    jpeg_destroy_decompress(&jpeg);
    return *big;
  }
  jpeg.scale_num = 1;
  jpeg.scale_denom = 8;
  jpeg.dct_method = JDCT_IFAST;
  jpeg_start_decompress(&jpeg);
  errors.row.resize(static_cast<std::size_t>(jpeg.output_width) * jpeg.output_components);
  JSAMPROW rows[] = {errors.row.data()};
  while (jpeg.output_scanline < jpeg.output_height) jpeg_read_scanlines(&jpeg, rows, 1);
  jpeg_finish_decompress(&jpeg);
  int width = static_cast<int>(jpeg.image_width);
  int height = static_cast<int>(jpeg.image_height);
  jpeg_destroy_decompress(&jpeg);
  // Bytes after the end of the image are allowed: phones append further images (MPF) there.
  return ImageFacts{"image/jpeg", width, height};
}

// ---- GIF (giflib answers errors as values)

struct GifSource {
  std::string_view bytes;
  std::size_t at = 0;
};

int gif_read_bytes(GifFileType* gif, GifByteType* out, int n) {
  auto* source = static_cast<GifSource*>(gif->UserData);
  std::size_t take = std::min(static_cast<std::size_t>(n), source->bytes.size() - source->at);
  std::memcpy(out, source->bytes.data() + source->at, take);
  source->at += take;
  return static_cast<int>(take);
}

Error gif_damaged(int code) {
  const char* why = GifErrorString(code);
  return refused(std::string("the GIF data is damaged: ") + (why != nullptr ? why : "unreadable"));
}

// Reads the records of an opened GIF up to its end; the facts, or what is wrong.
Result<ImageFacts> read_gif(GifFileType* gif, const GifSource& source) {
  if (std::optional<Error> big = too_big(gif->SWidth, gif->SHeight)) return *big;
  std::vector<GifPixelType> line;
  std::uint64_t decoded = 0;
  int frames = 0;
  while (true) {
    GifRecordType record = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif, &record) == GIF_ERROR) return gif_damaged(gif->Error);
    if (record == TERMINATE_RECORD_TYPE) break;
    if (record == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType* block = nullptr;
      if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return gif_damaged(gif->Error);
      while (block != nullptr) {
        if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return gif_damaged(gif->Error);
      }
      continue;
    }
    if (record != IMAGE_DESC_RECORD_TYPE) return refused("the GIF data is damaged");
    if (DGifGetImageDesc(gif) == GIF_ERROR) return gif_damaged(gif->Error);
    const GifImageDesc& frame = gif->Image;
    if (frame.Width <= 0 || frame.Height <= 0 || frame.Left + frame.Width > gif->SWidth ||
        frame.Top + frame.Height > gif->SHeight) {
      return refused("a frame of the GIF lies outside its picture");
    }
    decoded += static_cast<std::uint64_t>(frame.Width) * frame.Height;
    if (decoded > kMaxDecodedPixels) return refused("the GIF has too many frames to decode");
    line.resize(static_cast<std::size_t>(frame.Width));
    for (int y = 0; y < frame.Height; ++y) {
      if (DGifGetLine(gif, line.data(), frame.Width) == GIF_ERROR) return gif_damaged(gif->Error);
    }
    ++frames;
  }
  if (frames == 0) return refused("the GIF holds no image");
  if (source.at != source.bytes.size()) return refused("the GIF file goes on after its end");
  return ImageFacts{"image/gif", gif->SWidth, gif->SHeight};
}

Result<ImageFacts> inspect_gif(std::string_view bytes) {
  GifSource source;
  source.bytes = bytes;
  int code = 0;
  GifFileType* gif = DGifOpen(&source, gif_read_bytes, &code);
  if (gif == nullptr) return gif_damaged(code);
  Result<ImageFacts> facts = read_gif(gif, source);
  DGifCloseFile(gif, &code);
  return facts;
}

// ---- WebP (libwebp answers errors as values)

// Decodes one still picture or frame at a small scale: all of its data is read and checked.
bool webp_decodes(const std::uint8_t* data, std::size_t size, int width, int height) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return false;
  config.options.use_scaling = 1;
  config.options.scaled_width = std::min(width, kCheckWidth);
  config.options.scaled_height = std::max(
      1, static_cast<int>(static_cast<std::int64_t>(height) * config.options.scaled_width / width));
  config.output.colorspace = MODE_RGBA;
  bool ok = WebPDecode(data, size, &config) == VP8_STATUS_OK;
  WebPFreeDecBuffer(&config.output);
  return ok;
}

Result<ImageFacts> inspect_webp(std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(data, bytes.size(), &features) != VP8_STATUS_OK) {
    return refused("the WebP data is damaged");
  }
  if (std::optional<Error> big = too_big(features.width, features.height)) return *big;
  ImageFacts facts{"image/webp", features.width, features.height};
  if (!features.has_animation) {
    if (!webp_decodes(data, bytes.size(), features.width, features.height)) {
      return refused("the WebP data is damaged");
    }
    return facts;
  }
  WebPData whole{data, bytes.size()};
  WebPDemuxer* demux = WebPDemux(&whole);
  if (demux == nullptr) return refused("the animated WebP data is damaged");
  WebPIterator frame;
  bool ok = WebPDemuxGetFrame(demux, 1, &frame) != 0;
  std::uint64_t decoded = 0;
  while (ok) {
    decoded += static_cast<std::uint64_t>(frame.width) * frame.height;
    ok = decoded <= kMaxDecodedPixels && frame.width > 0 && frame.height > 0 &&
         webp_decodes(frame.fragment.bytes, frame.fragment.size, frame.width, frame.height);
    if (!ok || !WebPDemuxNextFrame(&frame)) break;
  }
  WebPDemuxReleaseIterator(&frame);
  WebPDemuxDelete(demux);
  if (!ok) return refused("a frame of the animated WebP is damaged or too large");
  return facts;
}

}  // namespace

Result<ImageFacts> DecodingInspector::inspect(std::string_view bytes) {
  std::string type = sniff_image_type(bytes);
  if (type == "image/png") return inspect_png(bytes);
  if (type == "image/jpeg") return inspect_jpeg(bytes);
  if (type == "image/gif") return inspect_gif(bytes);
  if (type == "image/webp") return inspect_webp(bytes);
  return refused("the file is not a PNG, JPEG, GIF or WebP image");
}

}  // namespace depot::images
