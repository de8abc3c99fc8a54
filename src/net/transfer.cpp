#include "net/transfer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "net/encoding.h"

namespace depot::net {
namespace {

// An HTTP header name is a token: no spaces. This keeps SMTP replies ("250 2.0.0 Ok: queued"),
// which curl hands to the same callback, out of the headers.
bool is_header_name(std::string_view name) {
  return !name.empty() && std::none_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isspace(c) != 0 || c < 0x21 || c == 0x7f;
  });
}

}  // namespace

void initialise_curl() {
  static std::once_flag initialised;
  std::call_once(initialised, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

Transfer::Transfer() {
  initialise_curl();
  easy_ = curl_easy_init();
  if (easy_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  set_defaults();
}

Transfer::~Transfer() {
  // The handle goes first: it may still point at the lists and the MIME parts.
  curl_easy_cleanup(easy_);
  curl_mime_free(mime_);
  curl_slist_free_all(recipients_);
  curl_slist_free_all(headers_);
}

void Transfer::reset() {
  // The handle first: it may still point at the lists and the MIME parts.
  curl_easy_reset(easy_);
  curl_mime_free(mime_);
  mime_ = nullptr;
  curl_slist_free_all(recipients_);
  recipients_ = nullptr;
  curl_slist_free_all(headers_);
  headers_ = nullptr;
  body_.clear();
  response_.clear();
  response_too_large_ = false;
  response_headers_.clear();
  error_[0] = '\0';
  set_defaults();
}

void Transfer::set_defaults() {
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_);
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
  transfer->response_headers_[lower] = std::string(trim_space(line.substr(colon + 1)));
  return bytes;
}

void hand_back(const char* runner, std::unique_ptr<Transfer> transfer, const TransferDone& done,
               CURLcode code) {
  try {
    done(std::move(transfer), code);
  } catch (const std::exception& failure) {
    spdlog::error("{}: a transfer's completion threw: {}", runner, failure.what());
  }
}

std::unique_ptr<Transfer> SpareTransfers::take() {
  {
    MutexLock lock(mutex_);
    if (!spare_.empty()) {
      std::unique_ptr<Transfer> reused = std::move(spare_.back());
      spare_.pop_back();
      return reused;
    }
  }
  return std::make_unique<Transfer>();
}

void SpareTransfers::give_back(std::unique_ptr<Transfer> finished) {
  finished->reset();
  MutexLock lock(mutex_);
  if (spare_.size() < capacity_) spare_.push_back(std::move(finished));
}

}  // namespace depot::net
