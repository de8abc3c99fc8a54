#pragma once
// Where depot's pages and callbacks are reached from outside: the merchant's public_url when set
// (depot behind their domain or a proxy), else depot's own address, known once the server listens.
//
// Thread safety: set_own() and of() may be called from any thread.

#include <string>
#include <string_view>

#include "concurrency/mutex.h"
#include "domain/text.h"

namespace depot {

class SiteAddress {
 public:
  void set_own(std::string url) {
    MutexLock lock(mutex_);
    own_ = std::move(url);
  }

  // The base URL for a merchant whose public_url is `public_url`, without a trailing slash; empty
  // when neither is known.
  std::string of(std::string_view public_url) const {
    std::string_view chosen = trimmed(public_url);
    MutexLock lock(mutex_);
    if (chosen.empty()) chosen = own_;
    while (chosen.ends_with('/')) chosen.remove_suffix(1);
    return std::string(chosen);
  }

 private:
  mutable Mutex mutex_;
  std::string own_ GUARDED_BY(mutex_);
};

}  // namespace depot
