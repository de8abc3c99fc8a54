#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"
#include "http/settings_input.h"

namespace depot::embedded {
std::string_view openapi_document();
}  // namespace depot::embedded

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Pages load only what depot serves. Styles may be inline: Element Plus and Swagger UI set style
// attributes. Images may be data: or blob: URLs (icons, an upload's preview).
constexpr const char* kPageSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'";

std::string content_type_for(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".png", "image/png"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  auto found = kTypes.find(file.extension().string());
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

// A file under `root`, or 404; the path never leaves root.
Response static_file(const std::filesystem::path& root, const std::string& relative,
                     const char* cache_control = "no-cache") {
  if (relative.find("..") != std::string::npos || relative.find('\\') != std::string::npos) {
    return problem(error(ErrorCode::not_found, "no such file"));
  }
  std::filesystem::path file = root / relative;
  if (std::filesystem::is_directory(file)) file /= "index.html";
  std::ifstream in(file, std::ios::binary);
  if (!in) return problem(error(ErrorCode::not_found, "no such file: " + relative));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  Response response{200, content_type_for(file), bytes.str(), {}};
  response.with_header("Content-Security-Policy", kPageSecurityPolicy);
  response.with_header("Cache-Control", cache_control);
  return response;
}

}  // namespace

void add_system_routes(Router& router, MerchantService& merchant, InventoryService& inventory,
                       Store& store, const std::string& web_root) {
  router.add(
      Method::get, "/healthz",
      [](Request&) -> asio::awaitable<Response> {
        co_return Response{200, "application/json", R"({"status":"ok"})", {}};
      },
      Access::public_);

  router.add(
      Method::get, "/readyz",
      [&store](Request&) -> asio::awaitable<Response> {
        if (!store.ready()) {
          co_return problem(error(ErrorCode::unavailable, "the store is not ready"));
        }
        co_return Response{200, "application/json", R"({"status":"ready"})", {}};
      },
      Access::public_);

  router.add(
      Method::get, "/api/v1/openapi.json",
      [](Request&) -> asio::awaitable<Response> {
        co_return Response{200,
                           "application/json",
                           std::string(embedded::openapi_document()),
                           {{"Access-Control-Allow-Origin", "*"}}};
      },
      Access::public_);

  router.add(
      Method::get, "/media/{name}",
      [&inventory](Request& req) -> asio::awaitable<Response> {
        const std::string& name = req.params.at("name");
        std::optional<std::string> bytes = inventory.image_bytes(name);
        if (!bytes) co_return problem(error(ErrorCode::not_found, "no such image"));
        std::string type = sniff_image_type(*bytes);
        co_return Response{200,
                           type.empty() ? "application/octet-stream" : type,
                           std::move(*bytes),
                           {{"Cache-Control", "public, max-age=31536000, immutable"},
                            // An image is shown, never run: even bytes that also parse as HTML
                            // or script cannot load anything or act as a page.
                            {"Content-Disposition", "inline; filename=\"" + name + "\""},
                            {"Content-Security-Policy", "default-src 'none'; sandbox"}}};
      },
      Access::public_);

  auto root = std::filesystem::path(web_root);
  // The console (web/dist/console): its index for / and for every client-side route, its
  // content-hashed assets cached for a year, since a new build gives them new names.
  auto console_index = [root](Request&) -> asio::awaitable<Response> {
    co_return static_file(root, "console/index.html");
  };
  router.add(Method::get, "/", console_index, Access::public_);
  router.fallback([console_index](Request& req) -> asio::awaitable<Response> {
    // Under the API, the media and the assets a path that matched nothing names no file: the
    // console's page in its place would be a 200 that is not what was asked for.
    if (req.path.starts_with("/api/") || req.path.starts_with("/media/") ||
        req.path.starts_with("/assets/")) {
      co_return problem(error(ErrorCode::not_found, "no such endpoint: " + req.path));
    }
    co_return co_await console_index(req);
  });
  router.add(
      Method::get, "/assets/{file}",
      [root](Request& req) -> asio::awaitable<Response> {
        co_return static_file(root, "console/assets/" + req.params.at("file"),
                              "public, max-age=31536000, immutable");
      },
      Access::public_);
  router.add(
      Method::get, "/docs",
      [](Request&) -> asio::awaitable<Response> {
        co_return Response{301, "text/plain", "", {{"Location", "/docs/"}}};
      },
      Access::public_);
  router.add(
      Method::get, "/docs/",
      [root](Request&) -> asio::awaitable<Response> {
        co_return static_file(root, "docs/index.html");
      },
      Access::public_);
  router.add(
      Method::get, "/docs/{file}",
      [root](Request& req) -> asio::awaitable<Response> {
        co_return static_file(root, "docs/" + req.params.at("file"));
      },
      Access::public_);

  router.add(Method::get, "/api/v1/settings",
             [&merchant](Request& req) -> asio::awaitable<Response> {
               co_return json_response(200, to_json(merchant.settings(req.actor)));
             });

  router.add(Method::patch, "/api/v1/settings", Permission::manage,
             [&merchant](Request& req) -> asio::awaitable<Response> {
               Result<json::object> body = parse_object(req);
               if (!body.ok()) co_return problem(body.error());
               std::vector<FieldError> errors;
               SettingsPatch patch = read_settings_patch(*body, errors);
               if (auto failed = field_errors(std::move(errors))) co_return problem(*failed);
               Result<MerchantSettings> saved = co_await await_result<MerchantSettings>(
                   [&](auto done) { merchant.update_settings(req.actor, patch, std::move(done)); });
               if (!saved.ok()) co_return problem(saved.error());
               co_return json_response(200, to_json(*saved));
             });

  router.add(Method::get, "/api/v1/events", [&merchant](Request& req) -> asio::awaitable<Response> {
    Result<std::int64_t> after = query_integer(req, "after", 0, 0, INT64_MAX);
    if (!after.ok()) co_return problem(after.error());
    Result<std::int64_t> limit = query_integer(req, "limit", 100, INT32_MIN, INT32_MAX);
    if (!limit.ok()) co_return problem(limit.error());
    Result<EventPage> found = merchant.events(req.actor, *after, static_cast<int>(*limit));
    if (!found.ok()) co_return problem(found.error());
    json::array items;
    for (const EventRecord& r : found->items) items.push_back(to_json(r));
    std::string next = found->next_after_id ? std::to_string(found->next_after_id) : "";
    co_return json_response(200, page(std::move(items), next));
  });
}

}  // namespace depot::http
