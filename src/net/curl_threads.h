#pragma once
// Transfers run one per thread with curl_easy_perform, for an exchange that libcurl cannot run
// without blocking: an SMTP transfer waits for the reply to the message, and then to QUIT,
// blocking whatever thread drives it, so on a shared CurlLoop one server that stalls there holds
// up every transfer on the loop. Here it holds up only its own thread. Threads start as transfers
// need them, up to a limit, and then wait for the next; past the limit transfers queue in the
// order they came. Easy handles (and the connections they keep) are reused across transfers.
//
// Thread safety: perform() may be called from any thread, including from inside a `done`. `done`
// runs on the transfer's thread. Destruction stops every transfer, within about a second (curl's
// progress callback), answers each unfinished one with CURLE_ABORTED_BY_CALLBACK (a transfer
// handed over while it stops is answered so at once), and joins the threads; no perform() from
// another thread may overlap the destructor.

#include <curl/curl.h>

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "concurrency/mutex.h"
#include "net/transfer.h"

namespace depot::net {

struct CurlThreadsOptions {
  // Transfers on the wire at once (at least one), each on a thread of its own.
  std::size_t max_threads = 64;
};

class CurlThreads {
 public:
  // Throws std::invalid_argument when max_threads is 0, and std::runtime_error when curl cannot
  // be set up.
  explicit CurlThreads(CurlThreadsOptions options = {});
  ~CurlThreads();
  CurlThreads(const CurlThreads&) = delete;
  CurlThreads& operator=(const CurlThreads&) = delete;

  // A transfer to prepare for perform(), as CurlLoop::transfer().
  std::unique_ptr<Transfer> transfer() { return spare_.take(); }
  // Gives a finished transfer's handle back for reuse (from any thread).
  void recycle(std::unique_ptr<Transfer> finished) { spare_.give_back(std::move(finished)); }
  // Runs a prepared transfer on a thread; `done` gets it back with the result code. It replaces
  // the transfer's progress callback (CURLOPT_XFERINFOFUNCTION), which stops it on destruction.
  void perform(std::unique_ptr<Transfer> transfer, TransferDone done);

  // Threads started so far (they stay, waiting for work, until destruction).
  std::size_t threads() const EXCLUDES(mutex_);

 private:
  struct Pending {
    std::unique_ptr<Transfer> transfer;
    TransferDone done;
  };
  void run() EXCLUDES(mutex_);
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

  const CurlThreadsOptions options_;
  SpareTransfers spare_;
  // Read by curl's progress callback on every thread, without the mutex.
  std::atomic<bool> stopping_{false};
  mutable Mutex mutex_;
  ConditionVariable work_;
  std::deque<Pending> queue_ GUARDED_BY(mutex_);
  std::size_t idle_ GUARDED_BY(mutex_) = 0;  // threads waiting for work
  std::vector<std::thread> threads_ GUARDED_BY(mutex_);
};

}  // namespace depot::net
