#pragma once
// Recording the past through the real use cases: a clock that tells each thread the time it is
// replaying, and a store that hands that time on to the writer with every write. A use case reads
// the clock on the calling thread (before it queues its write) and on the store's writer (inside
// the write); with these two, both see the time of the step being replayed, so many steps at
// different times may be queued at once and committed in one group.
//
// Only for replaying history before the server serves: one ReplayClock at a time (the time is kept
// per thread, not per clock).

#include "app/forwarding_store.h"

namespace depot::cli {

class ReplayClock final : public Clock {
 public:
  // What now() answers on the calling thread from here on.
  void set(Instant at);
  Instant now() override;
};

// Forwards everything to `inner`; each write runs at the time the writing thread's ReplayClock
// said when the write was queued.
class ReplayStore final : public ForwardingStore {
 public:
  ReplayStore(Store& inner, ReplayClock& clock) : ForwardingStore(inner), clock_(clock) {}

  void write(TenantId tenant, Work work, Done done) override;

 private:
  ReplayClock& clock_;
};

}  // namespace depot::cli
