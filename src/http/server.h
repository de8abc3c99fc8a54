#pragma once
// The HTTP/1.1 server: one single-threaded io_context per thread, connections dealt out to them in
// turn, one coroutine per connection (so no strands and no locks on the request path), keep-alive,
// a body limit, streamed responses (Server-Sent Events), and a graceful stop that lets in-flight
// requests finish while idle connections close and streams end.
// A client that is slow or silent costs only its own connection: a request's header and its body
// each have a deadline, an idle keep-alive connection is closed, and past a cap on connections a
// new one is answered 503 and closed rather than let the process run out of file descriptors.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <vector>

#include "concurrency/mutex.h"
#include "http/http_metrics.h"
#include "http/request_id.h"
#include "http/router.h"

namespace depot::http {

struct ServerOptions {
  std::size_t max_body_bytes = 1 << 20;
  // From a request's first byte (a new connection's: from its accept) to the end of its header.
  std::chrono::seconds header_timeout{10};
  // From the end of a request's header to the end of its body, however it trickles in.
  std::chrono::seconds body_timeout{60};
  // How long a keep-alive connection may wait for its next request.
  std::chrono::seconds idle_timeout{30};
  // How long writing one piece of an answer may take (a client that stopped reading).
  std::chrono::seconds send_timeout{60};
  // Connections open at once; a new one past it is answered 503 and closed.
  std::size_t max_connections = 10'000;
  HttpMetrics* metrics = nullptr;  // counts every answer when set
};

class Server {
 public:
  // `contexts` (at least one) each run on their own thread; the first also accepts.
  Server(std::vector<boost::asio::io_context*> contexts,
         const boost::asio::ip::tcp::endpoint& endpoint, Router& router, ServerOptions options);
  ~Server();

  unsigned short port() const;
  void start();
  // Stops accepting; idle connections close now, busy ones after their current response, and
  // streamed responses end at once.
  void stop();

  struct Connection;

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  // Answers a connection past max_connections with 503 and closes it.
  boost::asio::awaitable<void> refuse(boost::asio::ip::tcp::socket socket);
  // Writes a streamed response (Response::stream) until its producer closes it, the client goes
  // away or the server stops; the connection is not used again after it.
  boost::asio::awaitable<void> write_stream(std::shared_ptr<Connection> connection,
                                            Response response, unsigned version, bool head);
  // Every answer, before it is written: stamped with its request's id, counted and logged.
  void answered(const Request& request, Response& response,
                std::chrono::steady_clock::time_point started);
  // The same for a request refused before it could be read whole, from what was read of it.
  void answered_unread(Method method, std::string_view target, std::string_view offered_id,
                       Response& response);

  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  std::vector<boost::asio::io_context*> contexts_;
  std::vector<WorkGuard> keep_running_;  // until stop(): contexts without connections stay up
  std::size_t next_context_ = 0;
  boost::asio::ip::tcp::acceptor acceptor_;
  Router& router_;
  ServerOptions options_;
  RequestIds request_ids_;
  std::atomic<bool> stopping_{false};
  Mutex connections_mutex_;
  std::set<std::shared_ptr<Connection>> connections_ GUARDED_BY(connections_mutex_);
  std::atomic<std::size_t> refusing_{0};  // refusals being written, each holding a socket
  bool at_cap_ = false;  // touched by the accept loop alone: warns once per time at the cap
};

}  // namespace depot::http
