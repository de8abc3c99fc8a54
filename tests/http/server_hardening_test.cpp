// The server's own answers through the real server on loopback: an exception in a handler becomes a
// 500 problem that says nothing of its cause (SQL, file paths, messages are logged, not sent),
// every answer carries the security headers and an HTML answer a strict policy unless it sets its
// own, and a route may allow a larger body than the server's limit while others keep it.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <stdexcept>
#include <thread>

#include "http/server.h"
#include "support/bare_router.h"

namespace depot::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

constexpr std::size_t kServerLimit = 1000;
constexpr std::size_t kUploadLimit = 5000;

class ServerHardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(
        Method::get, "/boom",
        [](Request&) -> asio::awaitable<Response> {
          throw std::runtime_error(
              "SQL logic error: near \"FROM\": SELECT key_hash FROM api_keys WHERE id = 7");
          co_return Response{};
        },
        Access::public_);
    router.add(
        Method::get, "/page",
        [](Request&) -> asio::awaitable<Response> {
          co_return Response{200, "text/html; charset=utf-8", "<p>hi</p>", {}};
        },
        Access::public_);
    router.add(
        Method::get, "/own-policy",
        [](Request&) -> asio::awaitable<Response> {
          co_return Response{
              200, "text/html", "<p>hi</p>", {{"Content-Security-Policy", "default-src 'self'"}}};
        },
        Access::public_);
    for (const char* path : {"/small", "/upload"}) {
      router.add(
          Method::post, path,
          [](Request& req) -> asio::awaitable<Response> {
            co_return Response{200, "text/plain", std::to_string(req.body.size()), {}};
          },
          Access::public_);
    }
    router.allow_body(Method::post, "/upload", kUploadLimit);
    server.start();
    runner = std::thread([this] { io.run(); });
  }
  void TearDown() override {
    server.stop();
    runner.join();
    bare.store.close();
  }

  bhttp::response<bhttp::string_body> ask(bhttp::verb verb, const std::string& target,
                                          std::string body = "") {
    asio::io_context client_io;
    asio::ip::tcp::socket socket{client_io};
    socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
    bhttp::request<bhttp::string_body> request{verb, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    request.body() = std::move(body);
    request.prepare_payload();
    bhttp::write(socket, request);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket, buffer, response);
    return response;
  }

  testing::BareRouter bare;
  Router& router = bare.router;
  asio::io_context io{1};
  Server server{{&io},
                {asio::ip::make_address("127.0.0.1"), 0},
                router,
                ServerOptions{.max_body_bytes = kServerLimit}};
  std::thread runner;
};

TEST_F(ServerHardeningTest, AnExceptionIsA500ThatTellsNothingOfItsCause) {
  auto got = ask(bhttp::verb::get, "/boom");
  EXPECT_EQ(got.result_int(), 500);
  EXPECT_EQ(got[bhttp::field::content_type], "application/problem+json");
  EXPECT_NE(got.body().find("an internal error occurred"), std::string::npos) << got.body();
  for (const char* leak : {"SQL", "SELECT", "api_keys", "key_hash", "logic error"}) {
    EXPECT_EQ(got.body().find(leak), std::string::npos) << leak << " in " << got.body();
  }
  EXPECT_FALSE(got["X-Request-Id"].empty()) << "the id the log line carries too";
}

TEST_F(ServerHardeningTest, EveryAnswerCarriesTheSecurityHeaders) {
  for (const char* target : {"/boom", "/page", "/no-such-route"}) {
    auto got = ask(bhttp::verb::get, target);
    EXPECT_EQ(got["X-Content-Type-Options"], "nosniff") << target;
    EXPECT_EQ(got["X-Frame-Options"], "DENY") << target;
    EXPECT_EQ(got["Referrer-Policy"], "no-referrer") << target;
  }
}

TEST_F(ServerHardeningTest, AnHtmlAnswerGetsAStrictPolicyUnlessItSetsItsOwn) {
  auto page = ask(bhttp::verb::get, "/page");
  EXPECT_EQ(page["Content-Security-Policy"],
            "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  EXPECT_EQ(ask(bhttp::verb::get, "/own-policy")["Content-Security-Policy"], "default-src 'self'");
  EXPECT_TRUE(ask(bhttp::verb::get, "/boom")["Content-Security-Policy"].empty())
      << "JSON answers need no page policy";
}

TEST_F(ServerHardeningTest, ARouteMayAllowALargerBodyWhileOthersKeepTheServerLimit) {
  std::string body(3000, 'x');
  auto small = ask(bhttp::verb::post, "/small", body);
  EXPECT_EQ(small.result_int(), 413);
  EXPECT_NE(small.body().find("1000 bytes"), std::string::npos) << small.body();
  auto upload = ask(bhttp::verb::post, "/upload", body);
  EXPECT_EQ(upload.result_int(), 200) << upload.body();
  EXPECT_EQ(upload.body(), "3000");
  auto too_big = ask(bhttp::verb::post, "/upload", std::string(kUploadLimit + 1, 'x'));
  EXPECT_EQ(too_big.result_int(), 413);
  EXPECT_NE(too_big.body().find("5000 bytes"), std::string::npos) << too_big.body();
}

}  // namespace
}  // namespace depot::http
