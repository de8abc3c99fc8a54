#include <boost/asio/awaitable.hpp>

#include <algorithm>

#include "http/await.h"
#include "http/json_output.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;

namespace {

// What a multipart envelope may add around an image of the largest size: boundaries, the part's
// headers, and a few small fields a browser sends along.
constexpr std::size_t kEnvelopeBytes = 64 * 1024;

}  // namespace

void add_product_image_routes(Router& router, ProductImages& images) {
  router.add(
      Method::post, "/api/v1/products/{sku}/images", Permission::write_inventory,
      [&images](Request& req) -> asio::awaitable<Response> {
        Result<std::vector<FormPart>> parts = parse_multipart(req.header("content-type"), req.body);
        if (!parts.ok()) co_return problem(parts.error());
        auto file = std::find_if(parts->begin(), parts->end(),
                                 [](const FormPart& p) { return p.name == "file"; });
        if (file == parts->end()) {
          co_return problem(invalid_field("file", "is required: a part named file"));
        }
        Result<ProductImage> image = co_await await_result<ProductImage>([&](auto done) {
          images.add(req.actor, req.params.at("sku"), std::string(file->data), std::move(done));
        });
        if (!image.ok()) co_return problem(image.error());
        co_return json_response(201, to_json(*image))
            .with_header("Location", "/media/" + image->file_name);
      });
  // The limit is the image's own (ProductImages::kMaxImageBytes), not its envelope's.
  router.allow_body(Method::post, "/api/v1/products/{sku}/images",
                    ProductImages::kMaxImageBytes + kEnvelopeBytes);
}

}  // namespace depot::http
