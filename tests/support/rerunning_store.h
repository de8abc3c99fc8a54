#pragma once
// A store that runs every write's `work` twice, the first run undone, as a networked store does
// after a serialisation failure (the store contract in app/ports.h allows it): a use case whose
// work is not safe to run again shows it on either store. Each write goes to the wrapped store as
// two writes of the same merchant, which run in the order handed in: the first answers false, so
// its effects are rolled back, and the second is the one whose answer the caller hears.

#include <memory>
#include <utility>

#include "app/forwarding_store.h"

namespace depot::testing {

class RerunningStore final : public ForwardingStore {
 public:
  explicit RerunningStore(Store& inner) : ForwardingStore(inner) {}

  void write(TenantId tenant, Work work, Done done) override {
    auto shared = std::make_shared<Work>(std::move(work));
    ForwardingStore::write(
        tenant,
        [shared](WriteTx& tx) {
          (*shared)(tx);
          return false;
        },
        [](const Status&) {});
    ForwardingStore::write(
        tenant, [shared](WriteTx& tx) { return (*shared)(tx); }, std::move(done));
  }
};

}  // namespace depot::testing
