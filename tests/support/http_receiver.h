#pragma once
// A local stand-in for a provider's HTTP API on 127.0.0.1 and a free port. Each request is read
// whole, recorded, and answered by the test's handler, so a test can check what a provider would
// check (paths, headers, signatures, fields) and answer as the provider would (success, refusals,
// 5xx, Retry-After, slowness). Keep-alive is honoured, as real providers do.
//
// Thread safety: it serves on its own thread; the handler runs there; the accessors may be called
// from any thread.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace depot::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;                          // path and query, as sent
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
};

struct ReceiverAnswer {
  int status = 200;
  std::string body = "{}";
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};  // wait this long before answering
};

class HttpReceiver {
 public:
  using Handler = std::function<ReceiverAnswer(const ReceivedRequest&)>;

  explicit HttpReceiver(Handler handler = [](const ReceivedRequest&) { return ReceiverAnswer{}; })
      : handler_(std::move(handler)),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~HttpReceiver() {
    io_.stop();
    thread_.join();
  }
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  void set_handler(Handler handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
  }
  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

 private:
  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(boost::asio::use_awaitable);
      boost::asio::co_spawn(io_, serve(std::move(socket)), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      auto [read_error, read] = co_await http::async_read(
          socket, buffer, request, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (read_error) co_return;
      ReceivedRequest received;
      received.method = std::string(request.method_string());
      received.target = std::string(request.target());
      for (const auto& field : request) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        received.headers[name] = std::string(field.value());
      }
      received.body = request.body();
      ReceiverAnswer answer;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(received);
        answer = handler_(received);
      }
      if (answer.delay.count() > 0) {
        boost::asio::steady_timer timer(io_, answer.delay);
        co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      }
      http::response<http::string_body> response{static_cast<http::status>(answer.status),
                                                 request.version()};
      response.set(http::field::content_type, answer.content_type);
      for (const auto& [name, value] : answer.headers) response.set(name, value);
      response.body() = std::move(answer.body);
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      auto [write_error, written] = co_await http::async_write(
          socket, response, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (write_error || !response.keep_alive()) co_return;
    }
  }

  mutable std::mutex mutex_;
  Handler handler_;                        // GUARDED_BY(mutex_)
  std::vector<ReceivedRequest> requests_;  // GUARDED_BY(mutex_)
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace depot::testing
