#include "app/login_throttle.h"

#include <algorithm>

namespace depot {

namespace {

std::string email_key(const std::string& email) { return "email:" + email; }
std::string address_key(const std::string& address) { return "address:" + address; }

}  // namespace

std::optional<std::chrono::seconds> LoginThrottle::wait_before(const std::string& email,
                                                               const std::string& address,
                                                               Instant now) {
  MutexLock lock(mutex_);
  auto by_email = wait_for(email_key(email), options_.free_failures_per_email, now);
  auto by_address = wait_for(address_key(address), options_.free_failures_per_address, now);
  if (by_email && by_address) return std::max(*by_email, *by_address);
  return by_email ? by_email : by_address;
}

void LoginThrottle::failed(const std::string& email, const std::string& address, Instant now) {
  MutexLock lock(mutex_);
  if (records_.size() >= options_.max_tracked) forget_old(now);
  count(email_key(email), now);
  count(address_key(address), now);
}

void LoginThrottle::succeeded(const std::string& email) {
  MutexLock lock(mutex_);
  records_.erase(email_key(email));
}

std::optional<std::chrono::seconds> LoginThrottle::wait_for(const std::string& key,
                                                            int free_failures, Instant now) {
  auto found = records_.find(key);
  if (found == records_.end()) return std::nullopt;
  const Record& record = found->second;
  if (now - record.last_failure >= options_.forget_after) {
    records_.erase(found);
    return std::nullopt;
  }
  int over = record.failures - free_failures;
  if (over < 0) return std::nullopt;
  // 1 s after the first failure over the allowance, then 2, 4, … up to the cap.
  std::chrono::seconds wait = options_.first_wait;
  for (int i = 0; i < over && wait < options_.max_wait; ++i) wait *= 2;
  wait = std::min(wait, options_.max_wait);
  auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - record.last_failure);
  if (waited >= wait) return std::nullopt;
  return wait - waited;
}

void LoginThrottle::count(const std::string& key, Instant now) {
  Record& record = records_[key];
  if (record.failures > 0 && now - record.last_failure >= options_.forget_after) record = {};
  ++record.failures;
  record.last_failure = now;
}

void LoginThrottle::forget_old(Instant now) {
  std::erase_if(records_, [&](const auto& entry) {
    return now - entry.second.last_failure >= options_.forget_after;
  });
  // A spray of fresh entries: forgetting counts is better than growing without bound.
  if (records_.size() >= options_.max_tracked) records_.clear();
}

}  // namespace depot
