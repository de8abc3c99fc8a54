#include "http/server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/access_log.h"
#include "http/problem.h"
#include "http/url.h"
#include "logging/log_fields.h"

namespace depot::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Refusals past the connection cap: how many may be in progress, and how long each may take.
constexpr std::size_t kRefusalsAtOnce = 64;
constexpr auto kRefusalTime = std::chrono::seconds(2);

struct Server::Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::string client_address;  // the peer's IP address, for limits per client
  // Both touched only on the connection's own thread.
  bool busy = false;
  std::function<void()> end_stream;  // set while a streamed response is written
};

namespace {

Method method_of(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get:
      return Method::get;
    case bhttp::verb::post:
      return Method::post;
    case bhttp::verb::patch:
      return Method::patch;
    case bhttp::verb::put:
      return Method::put;
    case bhttp::verb::delete_:
      return Method::del;
    case bhttp::verb::head:
      return Method::head;
    case bhttp::verb::options:
      return Method::options;
    default:
      return Method::other;
  }
}

Request to_request(bhttp::request<bhttp::string_body>&& raw) {
  Request request;
  request.method = method_of(raw.method());
  std::string_view target = raw.target();
  std::size_t question = target.find('?');
  request.path = url_decode(target.substr(0, question), false);
  if (question != std::string_view::npos) {
    request.query = parse_query(target.substr(question + 1));
  }
  for (const auto& field : raw) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers[name] = std::string(field.value());
  }
  request.body = std::move(raw.body());
  return request;
}

// An HTML answer that sets no policy of its own may load nothing, run nothing and be framed by
// no one: a page that needs more says so itself.
constexpr const char* kStrictPagePolicy =
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// The header fields every answer carries, then the handler's own (which may replace them): no
// content sniffing, no framing, and no Referer leaking a path (a tracking link's token) to
// another site.
template <class Fields>
void set_header_fields(Fields& wire, const Response& response) {
  wire.set(bhttp::field::server, "depot");
  wire.set(bhttp::field::content_type, response.content_type);
  wire.set("X-Content-Type-Options", "nosniff");
  wire.set("X-Frame-Options", "DENY");
  wire.set("Referrer-Policy", "no-referrer");
  if (response.content_type.starts_with("text/html")) {
    wire.set("Content-Security-Policy", kStrictPagePolicy);
  }
  for (const auto& [name, value] : response.headers) wire.set(name, value);
}

template <class Body>
bhttp::response<Body> wire_header(const Response& response, unsigned version) {
  bhttp::response<Body> wire{static_cast<bhttp::status>(response.status), version};
  set_header_fields(wire, response);
  return wire;
}

// The answer to a connection past the cap, written before its request is read; it names no
// request, so it is the same bytes every time.
const std::string& busy_answer() {
  static const std::string answer = [] {
    std::string body = problem(error(ErrorCode::unavailable, "too many connections")).body;
    return "HTTP/1.1 503 Service Unavailable\r\nServer: depot\r\n"
           "Content-Type: application/problem+json\r\nX-Content-Type-Options: nosniff\r\n"
           "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  return answer;
}

bhttp::response<bhttp::string_body> to_wire(Response&& response, unsigned version, bool keep_alive,
                                            bool head) {
  auto wire = wire_header<bhttp::string_body>(response, version);
  wire.body() = std::move(response.body);
  wire.keep_alive(keep_alive);
  wire.prepare_payload();
  if (head) wire.body().clear();
  return wire;
}

Response body_too_large(std::size_t limit) {
  return problem(
      error(ErrorCode::too_large,
            "the body is over " + std::to_string(limit) + " bytes" +
                (limit % (1 << 20) == 0 ? " (" + std::to_string(limit >> 20) + " MiB)" : "")));
}

// What to answer a request that could not be read, before closing the connection; nothing when
// the peer went away or was too slow (there is no one to answer).
std::optional<Response> unreadable(const beast::error_code& ec, bool start_line_read,
                                   std::size_t body_limit) {
  // Socket errors, timeouts and a closed connection are not HTTP parse errors.
  bool parse_error = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
  if (!parse_error || ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    return std::nullopt;
  }
  if (ec == bhttp::error::body_limit) return body_too_large(body_limit);
  if (ec == bhttp::error::header_limit) {
    // The limit counts the request line too: a target that alone fills it is a long URI.
    if (!start_line_read) return problem(414, "URI too long", "the request line is too long");
    return problem(431, "Request header fields too large", "the header is over 64 KiB");
  }
  return problem(400, "Bad request", "the request could not be read: " + ec.message());
}

// What a streamed response's writer waits on; shared with the wake-ups other threads post.
struct StreamState {
  explicit StreamState(const asio::any_io_executor& executor) : signal(executor) {}
  asio::steady_timer signal;  // cancelled to wake the writer; expires when a heartbeat is due
  bool peer_gone = false;
  bool writing = false;
};

// Reads (and drops) whatever the client sends during a stream, to learn at once when it leaves.
asio::awaitable<void> watch_peer(std::shared_ptr<Server::Connection> connection,
                                 std::shared_ptr<StreamState> state) {
  std::array<char, 512> scratch;
  while (true) {
    auto [ec, n] =
        co_await connection->stream.socket().async_read_some(asio::buffer(scratch), kTuple);
    if (ec) break;
  }
  state->peer_gone = true;
  state->signal.cancel();
}

// One piece of a streamed body: a chunk, or on HTTP/1.0 the bytes themselves.
asio::awaitable<bool> write_piece(beast::tcp_stream& stream, const std::string& bytes, bool chunked,
                                  std::chrono::seconds timeout) {
  stream.expires_after(timeout);
  if (chunked) {
    auto [ec, n] =
        co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(bytes)), kTuple);
    co_return !ec;
  }
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes), kTuple);
  co_return !ec;
}

// Opens the file of a response whose body is one (Response::file); a file that cannot be opened
// (an export removed since) turns the response into a 404 problem.
void open_body_file(Response& response, bhttp::file_body::value_type& file) {
  beast::error_code ec;
  file.open(response.file.c_str(), beast::file_mode::scan, ec);
  if (!ec) return;
  spdlog::warn("cannot open {}: {}", response.file, ec.message());
  response = problem(error(ErrorCode::not_found, "the file is no longer there"));
}

// Writes a response whose body is a file (Response::file), a piece at a time: the timeout starts
// again with every piece, so a large file going to a slow but steady client is not cut off, and
// only a piece at a time is in memory. A HEAD request gets the header alone. False when the
// client could not be written to.
asio::awaitable<bool> write_file(beast::tcp_stream& stream, bhttp::response<bhttp::file_body>& wire,
                                 bool head, std::chrono::seconds timeout) {
  bhttp::response_serializer<bhttp::file_body> serializer{wire};
  if (head) {
    stream.expires_after(timeout);
    auto [ec, n] = co_await bhttp::async_write_header(stream, serializer, kTuple);
    co_return !ec;
  }
  while (!serializer.is_done()) {
    stream.expires_after(timeout);
    auto [ec, n] = co_await bhttp::async_write_some(stream, serializer, kTuple);
    if (ec) co_return false;
  }
  co_return true;
}

// A request whose framing depot does not read the way its sender may mean it: refused rather than
// guessed at (request smuggling lives in such guesses).
std::optional<Response> ambiguous(const bhttp::request_parser<bhttp::string_body>& parser,
                                  std::size_t body_limit) {
  const auto& header = parser.get();
  if (parser.content_length() && *parser.content_length() > body_limit) {
    return body_too_large(body_limit);
  }
  auto encoding = header.find(bhttp::field::transfer_encoding);
  if (encoding != header.end()) {
    if (header.find(bhttp::field::content_length) != header.end()) {
      return problem(400, "Bad request", "Transfer-Encoding and Content-Length together");
    }
    if (!beast::iequals(encoding->value(), "chunked")) {
      return problem(501, "Not implemented", "only Transfer-Encoding: chunked is read");
    }
  }
  if (header.version() >= 11 && header.find(bhttp::field::host) == header.end()) {
    return problem(400, "Bad request", "an HTTP/1.1 request must name its Host");
  }
  return std::nullopt;
}
}  // namespace

Server::Server(std::vector<asio::io_context*> contexts, const tcp::endpoint& endpoint,
               Router& router, ServerOptions options)
    : contexts_(std::move(contexts)),
      acceptor_(*contexts_.front()),
      router_(router),
      options_(options) {
  for (asio::io_context* context : contexts_) {
    keep_running_.push_back(asio::make_work_guard(*context));
  }
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

Server::~Server() = default;

unsigned short Server::port() const { return acceptor_.local_endpoint().port(); }

void Server::start() { asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached); }

void Server::stop() {
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (WorkGuard& guard : keep_running_) guard.reset();
  });
  MutexLock lock(connections_mutex_);
  for (const auto& connection : connections_) {
    asio::post(connection->stream.get_executor(), [connection] {
      if (connection->end_stream) {
        connection->end_stream();
      } else if (!connection->busy) {
        connection->stream.socket().cancel();
      }
    });
  }
}

asio::awaitable<void> Server::accept_loop() {
  asio::steady_timer pause(acceptor_.get_executor());
  while (!stopping_) {
    asio::io_context& context = *contexts_[next_context_++ % contexts_.size()];
    auto [ec, socket] = co_await acceptor_.async_accept(context, kTuple);
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) break;
      spdlog::warn("accept failed: {}", ec.message());
      // Out of file descriptors, the same failure comes back at once until some close: wait a
      // little rather than spin.
      pause.expires_after(std::chrono::milliseconds(100));
      co_await pause.async_wait(kTuple);
      continue;
    }
    std::size_t open = 0;
    {
      MutexLock lock(connections_mutex_);
      open = connections_.size();
    }
    if (open >= options_.max_connections) {
      if (!at_cap_) spdlog::warn("{} connections open: new ones are answered 503", open);
      at_cap_ = true;
      // Each refusal holds its socket for a moment; past a few at once, a new one just closes.
      if (refusing_ < kRefusalsAtOnce) {
        // The executor is taken first: arguments are evaluated in no set order.
        auto executor = socket.get_executor();
        asio::co_spawn(executor, refuse(std::move(socket)), asio::detached);
      }
      continue;
    }
    at_cap_ = false;
    socket.set_option(tcp::no_delay(true));
    boost::system::error_code peer_ec;
    tcp::endpoint peer = socket.remote_endpoint(peer_ec);
    auto connection = std::make_shared<Connection>(std::move(socket));
    if (!peer_ec) connection->client_address = peer.address().to_string();
    {
      MutexLock lock(connections_mutex_);
      connections_.insert(connection);
    }
    asio::co_spawn(connection->stream.get_executor(), serve(connection), asio::detached);
  }
}

asio::awaitable<void> Server::refuse(tcp::socket socket) {
  ++refusing_;
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(kRefusalTime);
  auto [write_ec, written] =
      co_await asio::async_write(stream, asio::buffer(busy_answer()), kTuple);
  if (!write_ec) {
    // Closing with the client's request unread would reset the connection, and the reset can
    // reach the client before it has read the answer: read and drop until it closes.
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::array<char, 1024> scratch;
    while (true) {
      auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
      if (read_ec) break;
    }
  }
  --refusing_;
}

asio::awaitable<void> Server::serve(std::shared_ptr<Connection> connection) {
  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;
  bool first_request = true;
  while (!stopping_) {
    bhttp::request_parser<bhttp::string_body> parser;
    // The route's limit is known only from the header: Content-Length is checked against it
    // below, and chunked bodies are counted against it as they come.
    parser.body_limit(boost::none);
    parser.header_limit(64 * 1024);
    if (!first_request && buffer.size() == 0) {
      // A kept-alive connection waits for its next request's first byte for the idle time.
      stream.expires_after(options_.idle_timeout);
      auto [wait_ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
      if (wait_ec) break;
      buffer.commit(n);
    }
    first_request = false;
    // The whole header within its deadline, however slowly it trickles in (slowloris).
    stream.expires_after(options_.header_timeout);
    auto [header_ec, header_bytes] =
        co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    std::size_t body_limit = options_.max_body_bytes;
    if (!header_ec) {
      std::string_view target = parser.get().target();
      body_limit = router_.body_limit(method_of(parser.get().method()),
                                      target.substr(0, target.find('?')), body_limit);
      parser.body_limit(body_limit);
    }
    std::optional<Response> refusal =
        header_ec ? unreadable(header_ec, !parser.get().target().empty(), body_limit)
                  : ambiguous(parser, body_limit);
    if (header_ec || refusal) {
      if (refusal) {
        answered_unread(method_of(parser.get().method()), parser.get().target(),
                        parser.get()["X-Request-Id"], *refusal);
        auto wire = to_wire(std::move(*refusal), 11, false, false);
        co_await bhttp::async_write(stream, wire, kTuple);
      }
      break;
    }
    connection->busy = true;
    if (parser.get()[bhttp::field::expect] == "100-continue") {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
      co_await bhttp::async_write(stream, go_on, kTuple);
    }
    stream.expires_after(options_.body_timeout);
    auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    if (body_ec) {
      if (std::optional<Response> refusal = unreadable(body_ec, true, body_limit)) {
        answered_unread(method_of(parser.get().method()), parser.get().target(),
                        parser.get()["X-Request-Id"], *refusal);
        auto wire = to_wire(std::move(*refusal), 11, false, false);
        co_await bhttp::async_write(stream, wire, kTuple);
      }
      break;
    }
    stream.expires_never();
    auto started = std::chrono::steady_clock::now();
    bhttp::request<bhttp::string_body> raw = parser.release();
    unsigned version = raw.version();
    bool keep_alive = raw.keep_alive() && !stopping_;
    bool head = raw.method() == bhttp::verb::head;
    Request request = to_request(std::move(raw));
    request.client_address = connection->client_address;
    request.request_id = request_ids_.for_request(request.header("x-request-id"));
    Response response;
    try {
      response = co_await router_.dispatch(request);
    } catch (const std::exception& e) {
      const logging::LogField fields[] = {{"request_id", std::string_view(request.request_id)}};
      logging::LogFields scope(fields);
      spdlog::error("{} {} failed: {}", to_string(request.method), request.path, e.what());
      response = problem(error(ErrorCode::internal, "an internal error occurred"));
    }
    bhttp::file_body::value_type file;
    if (!response.file.empty()) open_body_file(response, file);
    answered(request, response, started);
    if (response.stream) {
      co_await write_stream(connection, std::move(response), version, head);
      connection->busy = false;
      break;
    }
    if (file.is_open()) {
      auto wire = wire_header<bhttp::file_body>(response, version);
      wire.body() = std::move(file);
      wire.keep_alive(keep_alive);
      wire.prepare_payload();
      bool written = co_await write_file(stream, wire, head, options_.send_timeout);
      connection->busy = false;
      if (!written || !keep_alive) break;
      continue;
    }
    auto wire = to_wire(std::move(response), version, keep_alive, head);
    stream.expires_after(options_.send_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, wire, kTuple);
    connection->busy = false;
    if (write_ec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  MutexLock lock(connections_mutex_);
  connections_.erase(connection);
}

void Server::answered(const Request& request, Response& response,
                      std::chrono::steady_clock::time_point started) {
  stamp_request_id(response, request.request_id);
  auto took = std::chrono::steady_clock::now() - started;
  if (options_.metrics != nullptr) {
    options_.metrics->observe(request.method, request.route, response.status, took);
  }
  log_access(request, response.status, took);
}

void Server::answered_unread(Method method, std::string_view target, std::string_view offered_id,
                             Response& response) {
  Request request;
  request.method = method;
  // At most a line's worth of the path: a refused target may be megabytes long.
  request.path = std::string(target.substr(0, std::min<std::size_t>(target.find('?'), 256)));
  request.request_id = request_ids_.for_request(offered_id);
  answered(request, response, std::chrono::steady_clock::now());
}

asio::awaitable<void> Server::write_stream(std::shared_ptr<Connection> connection,
                                           Response response, unsigned version, bool head) {
  std::shared_ptr<ResponseStream> body = std::move(response.stream);
  beast::tcp_stream& stream = connection->stream;
  bhttp::response<bhttp::empty_body> header{static_cast<bhttp::status>(response.status), version};
  set_header_fields(header, response);
  header.keep_alive(false);
  // HTTP/1.0 has no chunks: its body simply ends when the connection closes.
  bool chunked = version >= 11;
  header.chunked(chunked);
  bhttp::response_serializer<bhttp::empty_body> serializer{header};
  stream.expires_after(options_.send_timeout);
  auto [header_ec, header_bytes] = co_await bhttp::async_write_header(stream, serializer, kTuple);
  if (header_ec || head) {
    body->finish();
    co_return;
  }

  auto state = std::make_shared<StreamState>(stream.get_executor());
  body->on_wake([state, executor = stream.get_executor()] {
    asio::post(executor, [state] { state->signal.cancel(); });
  });
  // Stopping the server ends the stream at once, cutting short a write to a client that does not
  // read, so a graceful stop never waits on a stream.
  connection->end_stream = [state, &socket = stream.socket()] {
    state->signal.cancel();
    if (state->writing) socket.cancel();
  };
  asio::co_spawn(stream.get_executor(), watch_peer(connection, state), asio::detached);

  auto last_write = std::chrono::steady_clock::now();
  while (!state->peer_gone) {
    ResponseStream::Taken taken = body->take();
    bool ending = taken.closed || stopping_;
    if (taken.bytes.empty() && !ending &&
        std::chrono::steady_clock::now() - last_write >= body->heartbeat_every()) {
      taken.bytes = body->heartbeat();
    }
    if (!taken.bytes.empty()) {
      state->writing = true;
      bool written = co_await write_piece(stream, taken.bytes, chunked, options_.send_timeout);
      state->writing = false;
      if (!written) break;
      last_write = std::chrono::steady_clock::now();
    }
    if (ending) {
      if (chunked) {
        state->writing = true;
        stream.expires_after(options_.send_timeout);
        co_await asio::async_write(stream, bhttp::make_chunk_last(), kTuple);
        state->writing = false;
      }
      break;
    }
    if (!taken.bytes.empty()) continue;  // more may have come while writing
    state->signal.expires_at(last_write + body->heartbeat_every());
    co_await state->signal.async_wait(kTuple);
  }
  connection->end_stream = nullptr;
  body->finish();
  boost::system::error_code ignored;
  stream.socket().cancel(ignored);  // ends watch_peer
}

}  // namespace depot::http
