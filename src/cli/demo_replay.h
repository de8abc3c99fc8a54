#pragma once
// Recording the past through the real use cases: a clock that tells each thread the time it is
// replaying, and a store that hands that time on to the writer with every write. A use case reads
// the clock on the calling thread (before it queues its write) and on the store's writer (inside
// the write); with these two, both see the time of the step being replayed, so many steps at
// different times may be queued at once and committed in one group.
//
// Only for replaying history before the server serves: one ReplayClock at a time (the time is kept
// per thread, not per clock).

#include "app/ports.h"

namespace depot::cli {

class ReplayClock final : public Clock {
 public:
  // What now() answers on the calling thread from here on.
  void set(Instant at);
  Instant now() override;
};

// Forwards everything to `inner`; each write runs at the time the writing thread's ReplayClock
// said when the write was queued.
class ReplayStore final : public Store {
 public:
  ReplayStore(Store& inner, ReplayClock& clock) : inner_(inner), clock_(clock) {}

  std::unique_ptr<ReadTx> read(TenantId tenant) override { return inner_.read(tenant); }
  void write(TenantId tenant, Work work, Done done) override;
  TenantId ensure_tenant(const std::string& slug) override { return inner_.ensure_tenant(slug); }
  std::vector<TenantId> tenant_ids() override { return inner_.tenant_ids(); }
  std::optional<TenantId> find_tenant(const std::string& slug) override {
    return inner_.find_tenant(slug);
  }
  std::optional<ApiKeyRecord> find_api_key(const std::string& key_hash) override {
    return inner_.find_api_key(key_hash);
  }
  std::optional<MerchantUser> find_user_by_email(const std::string& email) override {
    return inner_.find_user_by_email(email);
  }
  std::optional<MerchantSession> find_session(const std::string& token_hash) override {
    return inner_.find_session(token_hash);
  }
  bool ready() override { return inner_.ready(); }
  void on_events_committed(CommitListener listener) override {
    inner_.on_events_committed(std::move(listener));
  }
  void on_batch_committed(BatchListener listener) override {
    inner_.on_batch_committed(std::move(listener));
  }

 private:
  Store& inner_;
  ReplayClock& clock_;
};

}  // namespace depot::cli
