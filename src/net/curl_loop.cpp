#include "net/curl_loop.h"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "net/encoding.h"

namespace depot::net {
std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response,
                                                     std::chrono::system_clock::time_point now) {
  auto found = response.headers.find("retry-after");
  if (found == response.headers.end()) return std::nullopt;
  std::string_view value = trim_space(found->second);
  if (value.empty()) return std::nullopt;
  auto digits = [](std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  // Shopify writes the seconds with a fraction ("2.0"): a fraction waits one second more.
  std::string_view whole = value.substr(0, value.find('.'));
  std::string_view fraction = whole.size() < value.size() ? value.substr(whole.size() + 1) : "";
  if (!whole.empty() && digits(whole) && digits(fraction)) {
    // More than a day is not a wait but a refusal; a day also keeps the arithmetic in range.
    constexpr std::int64_t kLongestWait = 24 * 60 * 60;
    std::int64_t seconds = 0;
    for (char digit : whole) {
      seconds = std::min(kLongestWait, seconds * 10 + (digit - '0'));
    }
    if (fraction.find_first_not_of('0') != std::string_view::npos) {
      seconds = std::min(kLongestWait, seconds + 1);
    }
    return std::chrono::seconds(seconds);
  }
  std::time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when == -1) return std::nullopt;
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::from_time_t(when) - now);
  return std::max(wait, std::chrono::milliseconds(0));
}

std::string summary(const HttpResponse& response, std::size_t body_bytes) {
  if (response.error != CURLE_OK) {
    return response.error_text.empty() ? std::string(curl_easy_strerror(response.error))
                                       : response.error_text;
  }
  std::string text = "HTTP " + std::to_string(response.status);
  if (response.body.empty()) return text;
  std::size_t length = std::min(body_bytes, response.body.size());
  // Back off to the start of a UTF-8 character rather than cut one in half.
  if (length < response.body.size()) {
    while (length > 0 && (static_cast<unsigned char>(response.body[length]) & 0xC0) == 0x80) {
      --length;
    }
  }
  text += ": ";
  for (char c : std::string_view(response.body).substr(0, length)) {
    text += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  }
  return text;
}

std::string host_of(std::string_view url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), &curl_url_cleanup);
  if (parsed == nullptr ||
      curl_url_set(parsed.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) {
    return "(an unreadable url)";
  }
  auto part = [&parsed](CURLUPart which) {
    char* text = nullptr;
    std::string value;
    if (curl_url_get(parsed.get(), which, &text, 0) == CURLUE_OK && text != nullptr) value = text;
    curl_free(text);
    return value;
  };
  std::string host = part(CURLUPART_HOST);
  std::string port = part(CURLUPART_PORT);
  return port.empty() ? host : host + ":" + port;
}

CurlLoop::CurlLoop(CurlLoopOptions options) : options_(options), spare_(options.max_in_flight) {
  if (options_.max_in_flight == 0) throw std::invalid_argument("max_in_flight must be at least 1");
  initialise_curl();
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wakeup_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  multi_ = curl_multi_init();
  auto give_up = [this](const char* what) {
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (wakeup_ >= 0) close(wakeup_);
    if (epoll_ >= 0) close(epoll_);
    throw std::runtime_error(what);
  };
  if (epoll_ < 0 || wakeup_ < 0) give_up("the curl loop could not make its epoll and eventfd");
  if (multi_ == nullptr) give_up("curl_multi_init failed");
  epoll_event wakeup{};
  wakeup.events = EPOLLIN;
  wakeup.data.fd = wakeup_;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, wakeup_, &wakeup) != 0) give_up("epoll_ctl failed");
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlLoop::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlLoop::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  // curl's default cache holds four connections per transfer in flight and shrinks as they
  // finish, closing connections the next transfers would have reused.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_in_flight));
  try {
    thread_ = std::thread([this] { run(); });
  } catch (...) {
    give_up("the curl loop's thread could not start");
  }
}

CurlLoop::~CurlLoop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake();
  thread_.join();
  curl_multi_cleanup(multi_);
  close(wakeup_);
  close(epoll_);
}

std::unique_ptr<Transfer> CurlLoop::transfer() { return spare_.take(); }

void CurlLoop::recycle(std::unique_ptr<Transfer> finished) {
  spare_.give_back(std::move(finished));
}

void CurlLoop::perform(std::unique_ptr<Transfer> transfer, TransferDone done) {
  Pending pending{std::move(transfer), std::move(done)};
  {
    MutexLock lock(mutex_);
    if (!stopping_) {
      // The loop takes the whole queue when it wakes: only the first of a burst wakes it.
      bool first = queue_.empty();
      queue_.push_back(std::move(pending));
      lock.unlock();
      if (first) wake();
      return;
    }
  }
  answer(pending, CURLE_ABORTED_BY_CALLBACK);
}

void CurlLoop::wake() {
  std::uint64_t one = 1;
  // A full counter already wakes the loop, so a failed write loses nothing.
  [[maybe_unused]] ssize_t written = write(wakeup_, &one, sizeof one);
}

void CurlLoop::http(const HttpRequest& request, std::function<void(HttpResponse)> done) {
  std::unique_ptr<Transfer> transfer;
  try {
    transfer = this->transfer();
  } catch (const std::exception& failure) {
    HttpResponse response;
    response.error = CURLE_FAILED_INIT;
    response.error_text = failure.what();
    done(std::move(response));
    return;
  }
  CURL* easy = transfer->handle();
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "depot");
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  if (request.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    if (request.method != "POST") {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    transfer->set_body(request.body);
  }
  for (const std::string& header : request.headers) transfer->add_header(header);
  // No provider answers "100 Continue" reliably; waiting for it would only delay large bodies.
  transfer->add_header("Expect:");

  perform(std::move(transfer),
          [this, done = std::move(done)](std::unique_ptr<Transfer> finished, CURLcode code) {
            HttpResponse response;
            response.error = code;
            if (code != CURLE_OK) {
              response.error_text = finished->error_text(code);
            } else {
              response.status = finished->status();
              response.headers = finished->response_headers();
              response.body = finished->response_body();
            }
            recycle(std::move(finished));
            done(std::move(response));
          });
}

void CurlLoop::run() {
  while (start_queued()) {
    wait_and_act();
    finish_done_transfers();
  }

  std::unordered_map<CURL*, Pending> unfinished;
  unfinished.swap(running_);
  for (auto& [easy, pending] : unfinished) curl_multi_remove_handle(multi_, easy);
  for (auto& [easy, pending] : unfinished) answer(pending, CURLE_ABORTED_BY_CALLBACK);
  std::deque<Pending> waiting;
  {
    MutexLock lock(mutex_);
    waiting.swap(queue_);
  }
  for (Pending& pending : waiting) answer(pending, CURLE_ABORTED_BY_CALLBACK);
}

bool CurlLoop::start_queued() {
  std::deque<Pending> starting;
  {
    MutexLock lock(mutex_);
    if (stopping_) return false;
    while (!queue_.empty() && running_.size() + starting.size() < options_.max_in_flight) {
      starting.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  for (Pending& pending : starting) start(std::move(pending));
  return true;
}

void CurlLoop::start(Pending pending) {
  CURL* easy = pending.transfer->handle();
  if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    answer(pending, CURLE_FAILED_INIT);
    return;
  }
  running_.emplace(easy, std::move(pending));
}

void CurlLoop::wait_and_act() {
  using std::chrono::steady_clock;
  // With nothing for curl to time, wake now and then all the same: a lost wake-up costs a second.
  int wait_ms = 1000;
  if (timeout_at_) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*timeout_at_ - steady_clock::now());
    wait_ms = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, wait_ms));
  }
  constexpr int kEvents = 64;
  epoll_event events[kEvents];
  int ready = epoll_wait(epoll_, events, kEvents, wait_ms);
  int running = 0;
  for (int i = 0; i < ready; ++i) {
    int fd = events[i].data.fd;
    if (fd == wakeup_) {
      std::uint64_t count = 0;
      [[maybe_unused]] ssize_t drained = read(wakeup_, &count, sizeof count);
      continue;
    }
    int flags = 0;
    if ((events[i].events & EPOLLIN) != 0) flags |= CURL_CSELECT_IN;
    if ((events[i].events & EPOLLOUT) != 0) flags |= CURL_CSELECT_OUT;
    if ((events[i].events & (EPOLLERR | EPOLLHUP)) != 0) flags |= CURL_CSELECT_ERR;
    curl_multi_socket_action(multi_, fd, flags, &running);
  }
  if (timeout_at_ && *timeout_at_ <= steady_clock::now()) {
    // curl sets its next timeout from inside the call when it wants one.
    timeout_at_.reset();
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  }
}

int CurlLoop::on_socket(CURL*, curl_socket_t socket, int what, void* self, void* watched) {
  auto* loop = static_cast<CurlLoop*>(self);
  if (what == CURL_POLL_REMOVE) {
    // The socket may be closed already; either way epoll no longer watches it.
    epoll_ctl(loop->epoll_, EPOLL_CTL_DEL, socket, nullptr);
    return 0;
  }
  epoll_event event{};
  event.data.fd = socket;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) event.events |= EPOLLIN;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) event.events |= EPOLLOUT;
  int operation = watched != nullptr ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if (epoll_ctl(loop->epoll_, operation, socket, &event) != 0) {
    char reason[256];  // strerror() shares one buffer between threads; GNU strerror_r does not
    spdlog::error("curl loop: epoll_ctl on a transfer's socket failed: {}",
                  strerror_r(errno, reason, sizeof reason));
    return -1;  // curl fails the transfers on this socket
  }
  // Any non-null pointer marks the socket as watched.
  if (watched == nullptr) curl_multi_assign(loop->multi_, socket, loop);
  return 0;
}

int CurlLoop::on_timer(CURLM*, long timeout_ms, void* self) {
  auto* loop = static_cast<CurlLoop*>(self);
  if (timeout_ms < 0) {
    loop->timeout_at_.reset();
  } else {
    loop->timeout_at_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

void CurlLoop::finish_done_transfers() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    CURLcode code = message->data.result;
    curl_multi_remove_handle(multi_, easy);
    auto node = running_.extract(easy);
    if (!node.empty()) answer(node.mapped(), code);
  }
}

void CurlLoop::answer(Pending& pending, CURLcode code) {
  hand_back("curl loop", std::move(pending.transfer), pending.done, code);
}

}  // namespace depot::net
