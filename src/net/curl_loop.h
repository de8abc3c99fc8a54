#pragma once
// One thread driving a curl multi handle, shared by the adapters that talk to providers over
// HTTP or SMTP: a transfer is handed over ready to run and its completion is reported back, so no
// caller ever waits on the network. Transfers run concurrently, up to a limit; the rest queue in
// the order they came. Connections are kept alive and reused across transfers to the same host
// (as many as the limit), and easy handles are reused across transfers. The loop waits on epoll
// and hands curl only the sockets that are ready (curl_multi_socket_action), so a wake-up costs
// the same with one transfer in flight as with hundreds.
//
// Thread safety: perform() and http() may be called from any thread, including from inside a
// `done`. `done` runs on the loop's thread and must not block. Destruction stops the loop and
// answers every unfinished transfer with CURLE_ABORTED_BY_CALLBACK (a transfer handed over while
// it stops is answered so at once); no perform() from another thread may overlap the destructor.

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "concurrency/mutex.h"
#include "net/transfer.h"

namespace depot::net {

// A plain HTTP exchange for JSON APIs, built on Transfer. Only http:// and https:// URLs are
// followed, and redirects are not.
struct HttpRequest {
  std::string method = "POST";  // GET, POST, or another verb sent with `body`
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
};

struct HttpResponse {
  CURLcode error = CURLE_OK;  // a transport error (no answer at all) when not CURLE_OK
  std::string error_text;     // curl's explanation of `error`
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;                            // at most Transfer::kMaxResponseBytes
};

// The wait a response asks for in its Retry-After header, given as delay-seconds or as an
// HTTP-date (a date already past asks for no wait); nothing when there is no such header.
std::optional<std::chrono::milliseconds> retry_after(
    const HttpResponse& response,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// A response in one short line for logs and notification records: "HTTP 503: <the first
// `body_bytes` bytes of the body>" (cut at a UTF-8 character, line breaks as spaces), or curl's
// explanation of a transport error.
std::string summary(const HttpResponse& response, std::size_t body_bytes = 300);

// A URL's host (and port, when it has one) for logs: never its path, query or user info, which
// may carry credentials.
std::string host_of(std::string_view url);

struct CurlLoopOptions {
  // Transfers on the wire at once (at least one); also the connections kept open for reuse.
  std::size_t max_in_flight = 256;
};

class CurlLoop {
 public:
  // Starts the thread. Throws std::invalid_argument when max_in_flight is 0, and
  // std::runtime_error when curl cannot be set up.
  explicit CurlLoop(CurlLoopOptions options = {});
  ~CurlLoop();
  CurlLoop(const CurlLoop&) = delete;
  CurlLoop& operator=(const CurlLoop&) = delete;

  // A transfer to prepare for perform(): a handle a finished transfer gave back when there is
  // one, else a new one. Throws std::runtime_error when curl cannot make an easy handle.
  std::unique_ptr<Transfer> transfer();
  // Gives a finished transfer's handle back for reuse (from any thread); what it pointed at may
  // go once this returns.
  void recycle(std::unique_ptr<Transfer> finished);
  // Runs a prepared transfer; `done` gets it back with the result code.
  void perform(std::unique_ptr<Transfer> transfer, TransferDone done);
  // Sends an HTTP request and answers with its response. The request's URL and headers are
  // never logged, so they may carry credentials.
  void http(const HttpRequest& request, std::function<void(HttpResponse)> done);

 private:
  struct Pending {
    std::unique_ptr<Transfer> transfer;
    TransferDone done;
  };
  void run();
  // Starts queued transfers while there is room; answers false once the loop is stopping.
  bool start_queued() EXCLUDES(mutex_);
  void start(Pending pending);
  // Waits for ready sockets, curl's next timeout or a wake-up, and lets curl act on them.
  void wait_and_act();
  // Hands finished transfers back.
  void finish_done_transfers();
  void wake();
  static void answer(Pending& pending, CURLcode code);
  // curl's socket and timer callbacks (CURLMOPT_SOCKETFUNCTION, CURLMOPT_TIMERFUNCTION).
  static int on_socket(CURL* easy, curl_socket_t socket, int what, void* self, void* watched);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);

  const CurlLoopOptions options_;
  CURLM* multi_ = nullptr;
  int epoll_ = -1;
  int wakeup_ = -1;  // an eventfd: perform() and the destructor end the wait with it
  Mutex mutex_;
  std::deque<Pending> queue_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;
  SpareTransfers spare_;
  std::unordered_map<CURL*, Pending> running_;  // owned by the loop's thread
  // When curl wants curl_multi_socket_action(CURL_SOCKET_TIMEOUT), if it does; loop's thread.
  std::optional<std::chrono::steady_clock::time_point> timeout_at_;
  std::thread thread_;
};

}  // namespace depot::net
