#pragma once
// A local stand-in for the Amap web service on 127.0.0.1 and a free port: it checks what Amap
// checks (the path, the key, a present address), answers from a small table of addresses, and
// counts the requests it read. It may wait before answering, to play a slow service.
//
// Thread safety: it serves on its own thread; the accessors may be called from any thread.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace depot::testing {

class AmapReceiver {
 public:
  // Amap's own example of a municipality answer, with `city` as an empty array.
  static constexpr std::string_view kBeijingAddress = "北京市朝阳区阜通东大街6号";
  static constexpr std::string_view kShanghaiAddress = "上海市浦东新区世纪大道100号";
  static constexpr std::string_view kGarbledAddress = "上海市浦东新区乱码路1号";

  explicit AmapReceiver(std::string key, std::chrono::milliseconds delay = {})
      : key_(std::move(key)),
        delay_(delay),
        acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~AmapReceiver() {
    io_.stop();
    thread_.join();
  }
  AmapReceiver(const AmapReceiver&) = delete;
  AmapReceiver& operator=(const AmapReceiver&) = delete;

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  int requests() const { return requests_.load(); }
  // The query parameters of the last request read, decoded.
  std::map<std::string, std::string> last_query() const {
    std::lock_guard lock(mutex_);
    return last_query_;
  }

 private:
  boost::asio::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(boost::asio::use_awaitable);
      boost::asio::co_spawn(io_, serve(std::move(socket)), boost::asio::detached);
    }
  }

  // One request per connection, then close: enough for a client that must not rely on more.
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(socket, buffer, request, boost::asio::use_awaitable);
    ++requests_;
    if (delay_.count() > 0) {
      boost::asio::steady_timer timer(io_, delay_);
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "application/json;charset=UTF-8");
    std::string target(request.target());
    std::string path = target.substr(0, target.find('?'));
    if (path != "/v3/geocode/geo") {
      response.result(http::status::not_found);
      response.body() = R"({"status":"0","info":"NOT_FOUND"})";
    } else {
      response.body() = answer(parse_query(target));
    }
    response.keep_alive(false);
    response.prepare_payload();
    co_await http::async_write(socket, response, boost::asio::use_awaitable);
    boost::system::error_code ignored;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  }

  std::string answer(std::map<std::string, std::string> query) {
    std::string address = query["address"];
    std::string key = query["key"];
    {
      std::lock_guard lock(mutex_);
      last_query_ = std::move(query);
    }
    if (key != key_) return R"({"status":"0","info":"INVALID_USER_KEY","infocode":"10001"})";
    if (address.empty()) {
      return R"({"status":"0","info":"MISSING_REQUIRED_PARAMS","infocode":"20001"})";
    }
    if (address == kShanghaiAddress) {
      return R"({"status":"1","info":"OK","infocode":"10000","count":"1","geocodes":[)"
             R"({"formatted_address":"上海市浦东新区世纪大道100号","country":"中国",)"
             R"("province":"上海市","citycode":"021","city":"上海市","district":"浦东新区",)"
             R"("township":[],"neighborhood":{"name":[],"type":[]},"adcode":"310115",)"
             R"("street":"世纪大道","number":"100号","location":"121.5,31.2","level":"门牌号"}]})";
    }
    if (address == kBeijingAddress) {
      return R"({"status":"1","info":"OK","infocode":"10000","count":"1","geocodes":[)"
             R"({"formatted_address":"北京市朝阳区阜通东大街6号","country":"中国",)"
             R"("province":"北京市","citycode":"010","city":[],"district":"朝阳区",)"
             R"("township":[],"adcode":"110105","street":"阜通东大街","number":"6号",)"
             R"("location":"116.483038,39.990633","level":"门牌号"}]})";
    }
    if (address == kGarbledAddress) return "<html>502 Bad Gateway</html>";
    return R"({"status":"1","info":"OK","infocode":"10000","count":"0","geocodes":[]})";
  }

  static std::map<std::string, std::string> parse_query(std::string_view target) {
    std::map<std::string, std::string> query;
    auto start = target.find('?');
    if (start == std::string_view::npos) return query;
    std::string_view rest = target.substr(start + 1);
    while (!rest.empty()) {
      std::string_view pair = rest.substr(0, rest.find('&'));
      rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
      auto equals = pair.find('=');
      if (equals == std::string_view::npos) continue;
      query[decode(pair.substr(0, equals))] = decode(pair.substr(equals + 1));
    }
    return query;
  }

  static std::string decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += text[i] == '+' ? ' ' : text[i];
      }
    }
    return out;
  }

  const std::string key_;
  const std::chrono::milliseconds delay_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<int> requests_ = 0;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> last_query_;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace depot::testing
