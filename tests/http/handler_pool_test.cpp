// Handlers on a pool of their own (Router::run_handlers_on), through the real server on loopback:
// a handler that blocks, as a read across the network does, holds no request thread, so the one
// request thread still answers other connections; and a streamed answer made on the pool is
// written whole by the request's thread.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "http/server.h"
#include "support/bare_router.h"

namespace depot::http {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

class HandlerPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(
        Method::get, "/blocked",
        [this](Request&) -> asio::awaitable<Response> {
          handler_thread = std::this_thread::get_id();
          blocked_started.set_value();
          released.wait();
          co_return Response{200, "text/plain", "released", {}};
        },
        Access::public_);
    router.add(
        Method::get, "/quick",
        [](Request&) -> asio::awaitable<Response> {
          co_return Response{200, "text/plain", "quick", {}};
        },
        Access::public_);
    router.add(
        Method::get, "/stream",
        [this](Request&) -> asio::awaitable<Response> {
          auto stream = std::make_shared<ResponseStream>(": keepalive\n\n", 10s);
          stream->push("first\n");
          // A piece given later, from another thread, as a feed's subscriber gives it.
          producer = std::thread([stream] {
            std::this_thread::sleep_for(50ms);
            stream->push("second\n");
            stream->close();
          });
          Response response{200, "text/plain", "", {}};
          response.stream = std::move(stream);
          co_return response;
        },
        Access::public_);
    router.run_handlers_on(handlers);
    server.start();
    runner = std::thread([this] {
      request_thread = std::this_thread::get_id();
      io.run();
    });
  }
  void TearDown() override {
    release_blocked();  // also when a check failed with it held, so that the server can stop
    server.stop();
    runner.join();
    handlers.join();
    if (producer.joinable()) producer.join();
    bare.store.close();
  }

  void release_blocked() {
    if (!released_already) release.set_value();
    released_already = true;
  }

  // GET `target` on a connection of its own, answered on another thread.
  std::future<bhttp::response<bhttp::string_body>> ask(const std::string& target) {
    unsigned short port = server.port();
    return std::async(std::launch::async, [port, target] {
      asio::io_context client_io;
      asio::ip::tcp::socket socket{client_io};
      socket.connect({asio::ip::make_address("127.0.0.1"), port});
      bhttp::request<bhttp::string_body> request{bhttp::verb::get, target, 11};
      request.set(bhttp::field::host, "127.0.0.1");
      bhttp::write(socket, request);
      beast::flat_buffer buffer;
      bhttp::response<bhttp::string_body> response;
      beast::error_code ignored;
      bhttp::read(socket, buffer, response, ignored);
      return response;
    });
  }

  testing::BareRouter bare;
  Router& router = bare.router;
  asio::thread_pool handlers{2};
  asio::io_context io{1};
  Server server{{&io}, {asio::ip::make_address("127.0.0.1"), 0}, router, ServerOptions{}};
  std::thread runner;
  std::thread producer;
  std::thread::id request_thread;
  std::thread::id handler_thread;
  std::promise<void> blocked_started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bool released_already = false;
};

TEST_F(HandlerPoolTest, AHandlerThatBlocksHoldsNoRequestThread) {
  auto blocked = ask("/blocked");
  ASSERT_EQ(blocked_started.get_future().wait_for(5s), std::future_status::ready);

  auto quick = ask("/quick");
  if (quick.wait_for(5s) != std::future_status::ready) {
    release_blocked();  // before the futures' destructors wait for their answers
    FAIL() << "the only request thread waits on the blocked handler";
  }
  EXPECT_EQ(quick.get().body(), "quick");
  EXPECT_NE(handler_thread, request_thread);

  release_blocked();
  ASSERT_EQ(blocked.wait_for(5s), std::future_status::ready);
  auto answer = blocked.get();
  EXPECT_EQ(answer.result_int(), 200);
  EXPECT_EQ(answer.body(), "released");
}

TEST_F(HandlerPoolTest, AStreamMadeOnThePoolIsWrittenWhole) {
  auto streamed = ask("/stream");
  ASSERT_EQ(streamed.wait_for(5s), std::future_status::ready);
  auto answer = streamed.get();
  EXPECT_EQ(answer.result_int(), 200);
  EXPECT_EQ(answer.body(), "first\nsecond\n");
}

}  // namespace
}  // namespace depot::http
