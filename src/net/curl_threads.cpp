#include "net/curl_threads.h"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <system_error>
#include <utility>

namespace depot::net {
namespace {

constexpr const char* kRunner = "curl threads";

}  // namespace

CurlThreads::CurlThreads(CurlThreadsOptions options)
    : options_(options), spare_(options.max_threads) {
  if (options_.max_threads == 0) throw std::invalid_argument("max_threads must be at least 1");
  initialise_curl();
}

CurlThreads::~CurlThreads() {
  std::vector<std::thread> threads;
  {
    MutexLock lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  work_.notify_all();
  for (std::thread& thread : threads) thread.join();
  std::deque<Pending> waiting;
  {
    MutexLock lock(mutex_);
    waiting.swap(queue_);
  }
  for (Pending& pending : waiting) {
    hand_back(kRunner, std::move(pending.transfer), pending.done, CURLE_ABORTED_BY_CALLBACK);
  }
}

void CurlThreads::perform(std::unique_ptr<Transfer> transfer, TransferDone done) {
  CURL* easy = transfer->handle();
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &CurlThreads::on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, this);
  Pending pending{std::move(transfer), std::move(done)};
  {
    MutexLock lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(pending));
      // A waiting thread takes each queued transfer; one more starts when none is left waiting.
      if (queue_.size() <= idle_ || threads_.size() >= options_.max_threads) {
        lock.unlock();
        work_.notify_one();
        return;
      }
      try {
        threads_.emplace_back([this] { run(); });
        return;
      } catch (const std::system_error& failure) {
        // The threads there are take the transfer in turn; with none, nothing ever would.
        spdlog::error("{}: a thread could not start: {}", kRunner, failure.what());
        if (!threads_.empty()) return;
        pending = std::move(queue_.back());
        queue_.pop_back();
      }
      lock.unlock();
      hand_back(kRunner, std::move(pending.transfer), pending.done, CURLE_FAILED_INIT);
      return;
    }
  }
  hand_back(kRunner, std::move(pending.transfer), pending.done, CURLE_ABORTED_BY_CALLBACK);
}

std::size_t CurlThreads::threads() const {
  MutexLock lock(mutex_);
  return threads_.size();
}

void CurlThreads::run() {
  for (;;) {
    Pending pending;
    {
      MutexLock lock(mutex_);
      ++idle_;
      work_.wait(mutex_, [this]() REQUIRES(mutex_) { return stopping_ || !queue_.empty(); });
      --idle_;
      if (stopping_) return;
      pending = std::move(queue_.front());
      queue_.pop_front();
    }
    CURLcode code = curl_easy_perform(pending.transfer->handle());
    hand_back(kRunner, std::move(pending.transfer), pending.done, code);
  }
}

int CurlThreads::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  // Non-zero ends the transfer with CURLE_ABORTED_BY_CALLBACK. curl calls this about once a
  // second even while it waits for a server's reply, blocking.
  return static_cast<CurlThreads*>(self)->stopping_ ? 1 : 0;
}

}  // namespace depot::net
