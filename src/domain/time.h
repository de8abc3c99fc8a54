#pragma once
// Instants are UTC milliseconds since the epoch. The domain never reads a clock: callers pass now.

#include <chrono>
#include <cstdint>

namespace depot {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;
using Seconds = std::chrono::seconds;

inline std::int64_t to_millis(Instant t) { return t.time_since_epoch().count(); }
inline Instant from_millis(std::int64_t ms) { return Instant{std::chrono::milliseconds{ms}}; }

// A calendar day.
using Day = std::chrono::sys_days;
// The merchant's day at `now`, at a fixed offset from UTC.
inline Day local_today(Instant now, int utc_offset_minutes) {
  return std::chrono::floor<std::chrono::days>(now + std::chrono::minutes{utc_offset_minutes});
}

}  // namespace depot
