#pragma once
// A worst-case bound on the work of one Lua pattern match (SPEC SHP-2). Lua matches patterns in C
// by backtracking, out of reach of the instruction budget: `string.find(s, ".-.-.-.-x")` on a
// long s runs for hours. The sandbox charges every pattern call this bound against a budget per
// run, so a rule cannot stall a thread inside one call or in a loop of them.
//
// Thread safety: a pure function.

#include <cstddef>
#include <string_view>

namespace depot::rules {

// Where a call tries the pattern: find, match and gsub at every start position unless the pattern
// is anchored with `^`; gmatch always at every one.
enum class Starts { unless_anchored, all };

// Matcher steps a call may take at worst: each start position tried, each unbounded repetition
// (`*`, `+`, `-`), balance (`%b`) and back-reference can pass over the whole subject, and each `?`
// doubles the branches.
double pattern_cost(std::string_view pattern, std::size_t subject_length, Starts starts);

}  // namespace depot::rules
