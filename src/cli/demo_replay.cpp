#include "cli/demo_replay.h"

namespace depot::cli {

namespace {

thread_local Instant replayed_now{};

}  // namespace

void ReplayClock::set(Instant at) { replayed_now = at; }

Instant ReplayClock::now() { return replayed_now; }

void ReplayStore::write(TenantId tenant, Work work, Done done) {
  Instant at = clock_.now();
  inner().write(
      tenant,
      [this, at, work = std::move(work)](WriteTx& tx) {
        clock_.set(at);
        return work(tx);
      },
      std::move(done));
}

}  // namespace depot::cli
