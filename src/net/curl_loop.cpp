#include "net/curl_loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ctime>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace depot::net {
namespace {

std::once_flag curl_initialised;

void initialise_curl() {
  std::call_once(curl_initialised, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

// An HTTP header name is a token: no spaces. This keeps SMTP replies ("250 2.0.0 Ok: queued"),
// which curl hands to the same callback, out of the headers.
bool is_header_name(std::string_view name) {
  return !name.empty() && std::none_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isspace(c) != 0 || c < 0x21 || c == 0x7f;
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

Transfer::Transfer() {
  initialise_curl();
  easy_ = curl_easy_init();
  if (easy_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_);
}

Transfer::~Transfer() {
  // The handle goes first: it may still point at the lists and the MIME parts.
  curl_easy_cleanup(easy_);
  curl_mime_free(mime_);
  curl_slist_free_all(recipients_);
  curl_slist_free_all(headers_);
}

void Transfer::add_header(const std::string& line) {
  curl_slist* appended = curl_slist_append(headers_, line.c_str());
  if (appended == nullptr) throw std::bad_alloc();
  headers_ = appended;
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
}

void Transfer::set_body(std::string body) {
  body_ = std::move(body);
  curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
  curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, body_.data());
}

void Transfer::set_recipients(curl_slist* recipients) {
  curl_slist_free_all(recipients_);
  recipients_ = recipients;
  curl_easy_setopt(easy_, CURLOPT_MAIL_RCPT, recipients_);
}

void Transfer::set_mime(curl_mime* mime) {
  curl_mime_free(mime_);
  mime_ = mime;
  curl_easy_setopt(easy_, CURLOPT_MIMEPOST, mime_);
}

long Transfer::status() const {
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::string Transfer::error_text(CURLcode code) const {
  if (code == CURLE_OK) return {};
  if (response_too_large_) {
    return "the response is larger than " + std::to_string(kMaxResponseBytes) + " bytes";
  }
  if (error_[0] != '\0') return error_;
  return curl_easy_strerror(code);
}

std::size_t Transfer::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  std::size_t bytes = size * count;
  if (transfer->response_.size() + bytes > kMaxResponseBytes) {
    transfer->response_too_large_ = true;
    return 0;  // curl then ends the transfer with CURLE_WRITE_ERROR
  }
  transfer->response_.append(data, bytes);
  return bytes;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  // A status line starts a new response (after a 100 Continue, say): its headers replace the
  // last one's.
  if (line.starts_with("HTTP/")) {
    transfer->response_headers_.clear();
    return bytes;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string_view name = line.substr(0, colon);
  if (!is_header_name(name)) return bytes;
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  transfer->response_headers_[lower] = std::string(trim(line.substr(colon + 1)));
  return bytes;
}

std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response,
                                                     std::chrono::system_clock::time_point now) {
  auto found = response.headers.find("retry-after");
  if (found == response.headers.end()) return std::nullopt;
  std::string_view value = trim(found->second);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    // More than a day is not a wait but a refusal; a day also keeps the arithmetic in range.
    constexpr std::int64_t kLongestWait = 24 * 60 * 60;
    std::int64_t seconds = 0;
    for (char digit : value) {
      seconds = std::min(kLongestWait, seconds * 10 + (digit - '0'));
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

CurlLoop::CurlLoop(CurlLoopOptions options) : options_(options) {
  if (options_.max_in_flight == 0) throw std::invalid_argument("max_in_flight must be at least 1");
  initialise_curl();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  try {
    thread_ = std::thread([this] { run(); });
  } catch (...) {
    curl_multi_cleanup(multi_);
    throw;
  }
}

CurlLoop::~CurlLoop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  thread_.join();
  curl_multi_cleanup(multi_);
}

void CurlLoop::perform(std::unique_ptr<Transfer> transfer,
                       std::function<void(std::unique_ptr<Transfer>, CURLcode)> done) {
  Pending pending{std::move(transfer), std::move(done)};
  {
    std::unique_lock lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      lock.unlock();
      curl_multi_wakeup(multi_);
      return;
    }
  }
  answer(pending, CURLE_ABORTED_BY_CALLBACK);
}

void CurlLoop::http(const HttpRequest& request, std::function<void(HttpResponse)> done) {
  std::unique_ptr<Transfer> transfer;
  try {
    transfer = std::make_unique<Transfer>();
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
          [done = std::move(done)](std::unique_ptr<Transfer> finished, CURLcode code) {
            HttpResponse response;
            response.error = code;
            if (code != CURLE_OK) {
              response.error_text = finished->error_text(code);
            } else {
              response.status = finished->status();
              response.headers = finished->response_headers();
              response.body = finished->response_body();
            }
            done(std::move(response));
          });
}

void CurlLoop::run() {
  for (;;) {
    std::deque<Pending> starting;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      while (!queue_.empty() && running_.size() + starting.size() < options_.max_in_flight) {
        starting.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    for (Pending& pending : starting) start(std::move(pending));

    int still_running = 0;
    curl_multi_perform(multi_, &still_running);
    // Finished transfers free slots for queued ones: take them before waiting.
    if (finish_done_transfers()) continue;
    // curl shortens the wait to its own next timeout; a wakeup ends it at once.
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }

  std::unordered_map<CURL*, Pending> unfinished;
  unfinished.swap(running_);
  for (auto& [easy, pending] : unfinished) curl_multi_remove_handle(multi_, easy);
  for (auto& [easy, pending] : unfinished) answer(pending, CURLE_ABORTED_BY_CALLBACK);
  std::deque<Pending> waiting;
  {
    std::lock_guard lock(mutex_);
    waiting.swap(queue_);
  }
  for (Pending& pending : waiting) answer(pending, CURLE_ABORTED_BY_CALLBACK);
}

void CurlLoop::start(Pending pending) {
  CURL* easy = pending.transfer->handle();
  if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    answer(pending, CURLE_FAILED_INIT);
    return;
  }
  running_.emplace(easy, std::move(pending));
}

bool CurlLoop::finish_done_transfers() {
  bool finished = false;
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    CURLcode code = message->data.result;
    curl_multi_remove_handle(multi_, easy);
    auto node = running_.extract(easy);
    if (!node.empty()) answer(node.mapped(), code);
    finished = true;
  }
  return finished;
}

void CurlLoop::answer(Pending& pending, CURLcode code) {
  // A callback that throws would end the loop's thread and with it the process; it is a bug in
  // the caller, reported here, and the other transfers carry on.
  try {
    pending.done(std::move(pending.transfer), code);
  } catch (const std::exception& failure) {
    spdlog::error("curl loop: a transfer's completion threw: {}", failure.what());
  }
}

}  // namespace depot::net
