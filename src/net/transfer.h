#pragma once
// A curl easy handle and what one transfer on it needs, shared by the two ways depot runs
// transfers: CurlLoop (many at once on one thread) and CurlThreads (one per thread, blocking).

#include <curl/curl.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "concurrency/mutex.h"

namespace depot::net {

// curl_global_init, once per process, before the first handle; throws std::runtime_error when
// curl cannot be set up.
void initialise_curl();

// An easy handle with everything that must live as long as its transfer: header lists, MIME
// parts, the request body and the response as it arrives. A new Transfer already collects the
// response body (at most kMaxResponseBytes; more fails the transfer with CURLE_WRITE_ERROR), the
// response headers and curl's error text, and never raises SIGPIPE/SIGALRM; the caller sets the
// URL, protocols and whatever else its exchange needs.
class Transfer {
 public:
  static constexpr std::size_t kMaxResponseBytes = 1 << 20;

  // Throws std::runtime_error when curl cannot make an easy handle.
  Transfer();
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Makes the handle new again (curl_easy_reset: its options, lists, body and response are gone)
  // for the next transfer; what curl caches across handles (connections, DNS) stays.
  void reset();

  CURL* handle() const { return easy_; }
  // Adds a request header ("Name: value"; "Name:" removes one curl would add), kept until the
  // transfer ends, and sets CURLOPT_HTTPHEADER (SMTP reads it as the mail's headers with MIME).
  void add_header(const std::string& line);
  // Sets the body (kept alive by the transfer) as the POST fields.
  void set_body(std::string body);
  // Takes ownership of a recipient list or MIME structure used by an SMTP transfer, and sets
  // CURLOPT_MAIL_RCPT or CURLOPT_MIMEPOST to it.
  void set_recipients(curl_slist* recipients);
  void set_mime(curl_mime* mime);

  // Filled in as the transfer runs.
  long status() const;  // the last HTTP status or SMTP reply code; 0 before any
  const std::string& response_body() const { return response_; }
  // Response headers by lower-cased name (the last value wins) of the last response read.
  const std::map<std::string, std::string>& response_headers() const { return response_headers_; }
  // Why the transfer failed, in curl's words, for a result other than CURLE_OK.
  std::string error_text(CURLcode code) const;

 private:
  void set_defaults();
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);

  CURL* easy_ = nullptr;
  curl_slist* headers_ = nullptr;
  curl_slist* recipients_ = nullptr;
  curl_mime* mime_ = nullptr;
  std::string body_;
  std::string response_;
  bool response_too_large_ = false;
  std::map<std::string, std::string> response_headers_;
  char error_[CURL_ERROR_SIZE] = {};
};

// What a runner hands a finished transfer back to, with curl's result.
using TransferDone = std::function<void(std::unique_ptr<Transfer>, CURLcode)>;

// Hands a transfer back to `done`. A completion that throws is a bug in the caller: it is logged
// (naming `runner`) rather than allowed to end the runner's thread, and with it the process.
void hand_back(const char* runner, std::unique_ptr<Transfer> transfer, const TransferDone& done,
               CURLcode code);

// Easy handles that finished transfers gave back, kept (up to `capacity`) for the next ones:
// a reused handle keeps curl's connection and DNS caches. Thread safe.
class SpareTransfers {
 public:
  explicit SpareTransfers(std::size_t capacity) : capacity_(capacity) {}

  // A kept handle when there is one, else a new one. Throws std::runtime_error when curl cannot
  // make an easy handle.
  std::unique_ptr<Transfer> take();
  // Resets a finished transfer and keeps it while there is room.
  void give_back(std::unique_ptr<Transfer> finished);

 private:
  const std::size_t capacity_;
  Mutex mutex_;
  std::vector<std::unique_ptr<Transfer>> spare_ GUARDED_BY(mutex_);
};

}  // namespace depot::net
