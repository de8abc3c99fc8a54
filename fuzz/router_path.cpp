// Paths matched against depot's route table (every path and method of docs/openapi.json, which
// a test keeps equal to the router's), the way the server decodes a request target first.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <filesystem>

#include "fuzz_input.h"
#include "http/problem.h"
#include "http/router.h"
#include "http/url.h"
#include "store/sqlite/sqlite_store.h"

namespace depot::embedded {
std::string_view openapi_document();
}  // namespace depot::embedded

using namespace depot;
using namespace depot::http;

namespace {

// The router and what it needs; the store is never reached (every route is public).
struct Fixture {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("depot-fuzz-router-" + std::to_string(::getpid()));
  SystemClock clock;
  std::unique_ptr<sqlite::SqliteStore> store;
  std::unique_ptr<AccessService> access;
  RateLimiter limiter{0, 1};
  std::unique_ptr<Router> router;
  boost::asio::io_context io;

  Fixture() {
    std::filesystem::create_directories(dir);
    store = std::make_unique<sqlite::SqliteStore>((dir / "depot.db").string());
    access = std::make_unique<AccessService>(*store, clock);
    router = std::make_unique<Router>(*access, limiter);
    const boost::json::object document =
        boost::json::parse(embedded::openapi_document()).as_object();
    const std::pair<std::string_view, Method> methods[] = {{"get", Method::get},
                                                           {"post", Method::post},
                                                           {"patch", Method::patch},
                                                           {"put", Method::put},
                                                           {"delete", Method::del}};
    for (const auto& [path, operations] : document.at("paths").as_object()) {
      for (const auto& [name, method] : methods) {
        if (!operations.as_object().contains(name)) continue;
        router->add(
            method, std::string(path),
            [](Request& request) -> boost::asio::awaitable<Response> {
              std::string seen;
              for (const auto& [param, value] : request.params) seen += param + "=" + value + ";";
              co_return Response{200, "text/plain", seen, {}};
            },
            Access::public_);
      }
    }
  }
  ~Fixture() {
    router.reset();
    access.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  std::string_view input = fuzz::text_of(data, size);
  if (input.empty()) return 0;
  Request request;
  request.method = static_cast<Method>(static_cast<unsigned char>(input[0]) % 8);
  std::string_view target = input.substr(1);
  std::size_t question = target.find('?');
  request.path = url_decode(target.substr(0, question), false);
  if (question != std::string_view::npos) request.query = parse_query(target.substr(question + 1));
  boost::asio::co_spawn(fixture.io, fixture.router->dispatch(request),
                        [](std::exception_ptr failed, Response) {
                          if (failed) std::rethrow_exception(failed);
                        });
  fixture.io.restart();
  fixture.io.run();
  return 0;
}
