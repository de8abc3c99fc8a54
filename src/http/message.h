#pragma once
// Requests and responses as the handlers see them: plain values, so no handler depends on the
// HTTP library. The server converts to and from the wire.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "concurrency/mutex.h"

namespace depot::http {

enum class Method { get, post, patch, put, del, head, options, other };

struct Request {
  Method method = Method::get;
  std::string path;                            // decoded path without the query string
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. {id}
  Actor actor;                                // set once the key is checked
  std::string client_address;                 // the peer's IP address ("" when unknown)
  std::string request_id;                     // X-Request-Id: the client's if sane, else made up
  std::string_view route;  // the pattern of the route whose path matched ("" when none did)

  std::string header(const std::string& lower_name) const {
    auto found = headers.find(lower_name);
    return found == headers.end() ? std::string() : found->second;
  }
};

// The body of a streamed response (Server-Sent Events): pieces given from any thread are written
// to the client in order, as soon as its connection gets to them, until the producer closes the
// stream, the client goes away or the server stops. The server writes `heartbeat` whenever nothing
// else was written for `heartbeat_every`: it keeps proxies from timing the connection out and
// finds clients that vanished without closing. Thread-safe.
class ResponseStream {
 public:
  ResponseStream(std::string heartbeat, std::chrono::milliseconds heartbeat_every,
                 std::size_t max_queued_bytes = 1 << 20)
      : heartbeat_(std::move(heartbeat)),
        heartbeat_every_(heartbeat_every),
        max_queued_bytes_(max_queued_bytes) {}

  // Queues `piece`; false once the stream is over. A client that falls `max_queued_bytes` behind
  // is cut off after what is queued: a reader that slow is better off reconnecting.
  bool push(std::string piece) {
    MutexLock lock(mutex_);
    if (closed_ || finished_) return false;
    queued_bytes_ += piece.size();
    pieces_.push_back(std::move(piece));
    if (queued_bytes_ > max_queued_bytes_) closed_ = true;
    if (wake_) wake_();
    return !closed_;
  }

  // Ends the response once the pieces queued so far are written.
  void close() {
    MutexLock lock(mutex_);
    closed_ = true;
    if (wake_) wake_();
  }

  // Keeps `resource` (what feeds the stream, e.g. a subscription) alive until the stream is over.
  void hold(std::shared_ptr<void> resource) {
    MutexLock lock(mutex_);
    held_.push_back(std::move(resource));
  }

  const std::string& heartbeat() const { return heartbeat_; }
  std::chrono::milliseconds heartbeat_every() const { return heartbeat_every_; }

  // The server's side. `wake` is called (under the stream's lock: it must only signal) whenever
  // there is something new to take.
  void on_wake(std::function<void()> wake) {
    MutexLock lock(mutex_);
    wake_ = std::move(wake);
  }
  struct Taken {
    std::string bytes;  // the queued pieces, joined
    bool closed = false;
  };
  Taken take() {
    MutexLock lock(mutex_);
    Taken taken{{}, closed_};
    for (std::string& piece : pieces_) taken.bytes += piece;
    pieces_.clear();
    queued_bytes_ = 0;
    return taken;
  }
  // The stream is over: later pieces are refused, and what it held is let go (outside the lock,
  // since letting go of a subscription may wait for a producer that is pushing).
  void finish() {
    std::vector<std::shared_ptr<void>> held;
    std::function<void()> wake;
    {
      MutexLock lock(mutex_);
      finished_ = true;
      held.swap(held_);
      wake.swap(wake_);
      pieces_.clear();
    }
  }

 private:
  const std::string heartbeat_;
  const std::chrono::milliseconds heartbeat_every_;
  const std::size_t max_queued_bytes_;
  Mutex mutex_;
  std::vector<std::string> pieces_ GUARDED_BY(mutex_);
  std::size_t queued_bytes_ GUARDED_BY(mutex_) = 0;
  bool closed_ GUARDED_BY(mutex_) = false;
  bool finished_ GUARDED_BY(mutex_) = false;
  std::function<void()> wake_ GUARDED_BY(mutex_);
  std::vector<std::shared_ptr<void>> held_ GUARDED_BY(mutex_);
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set for a streamed response: `body` is ignored, the stream's pieces are the body, and the
  // connection closes after it. The server always finish()es the stream, however it ends.
  std::shared_ptr<ResponseStream> stream = nullptr;
  // Set for a response whose body is a file (a finished export): `body` is ignored and the file
  // is sent from disk as it is read, so its size never sits in memory. A file that cannot be
  // opened is answered with a 404 problem instead.
  std::string file{};

  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace depot::http
