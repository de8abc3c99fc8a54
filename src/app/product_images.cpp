#include "app/product_images.h"

#include <cstdio>
#include <random>

#include "app/audit.h"

namespace depot {

namespace {

Error product_not_found(const std::string& sku) {
  return error(ErrorCode::not_found, "product " + sku + " was not found");
}

// A name no one can guess: images are served without a key.
std::string random_name(const std::string& extension) {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  char text[40];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(generator()),
                static_cast<unsigned long long>(generator()));
  return std::string(text) + "." + extension;
}

}  // namespace

void ProductImages::add(const Actor& actor, std::string sku, const std::string& bytes,
                        Callback<ProductImage> done) {
  if (Status allowed = require(actor, Permission::write_inventory); !allowed.ok()) {
    return done(allowed.error());
  }
  if (sniff_image_type(bytes).empty()) {
    return done(Error{ErrorCode::unsupported_media,
                      "the file is not a PNG, JPEG, GIF or WebP image",
                      {{"file", "must be a PNG, JPEG, GIF or WebP image"}}});
  }
  if (bytes.size() > kMaxImageBytes) {
    return done(Error{ErrorCode::too_large,
                      "the image is " + std::to_string(bytes.size()) + " bytes",
                      {{"file", "must be at most 1 MiB (1048576 bytes)"}}});
  }
  Result<ImageFacts> facts = inspector_.inspect(bytes);
  if (!facts.ok()) {
    if (facts.error().code != ErrorCode::invalid) return done(facts.error());
    return done(invalid_field("file", facts.error().message));
  }
  if (!store_.read(actor.tenant_id)->find_product(sku)) return done(product_not_found(sku));
  ProductImage image{0, random_name(facts->content_type.substr(6)), facts->content_type,
                     static_cast<std::int64_t>(bytes.size())};
  // The file is written before the row that points at it: a crash leaves an orphan file, never a
  // row without its image.
  if (Status stored = media_.put(image.file_name, bytes); !stored.ok()) return done(stored.error());
  run_write<ProductImage>(
      store_, actor.tenant_id,
      [this, actor, sku = std::move(sku), image](WriteTx& tx) mutable -> Result<ProductImage> {
        if (!tx.find_product(sku)) return product_not_found(sku);
        Instant now = clock_.now();
        image.id = tx.add_product_image(sku, image, now);
        record_audit(tx, actor.name, "product.add_image", audit_object("product", sku),
                     {{"images", "", "/media/" + image.file_name}}, now);
        return image;
      },
      std::move(done));
}

}  // namespace depot
