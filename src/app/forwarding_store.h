#pragma once
// A Store that hands every call on to another: the base of stores that change one part of what a
// store does (the time a write runs at, a read that fails, a write run twice) and keep the rest.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/ports.h"

namespace depot {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  std::unique_ptr<ReadTx> read(TenantId tenant) override { return inner_.read(tenant); }
  void write(TenantId tenant, Work work, Done done) override {
    inner_.write(tenant, std::move(work), std::move(done));
  }
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

 protected:
  Store& inner() { return inner_; }

 private:
  Store& inner_;
};

}  // namespace depot
