#include "rules/lua/pattern_cost.h"

#include <cmath>

namespace depot::rules {

namespace {

// One past the set `[...]` opening at `at`, read as Lua's classEnd reads it: the first character
// (after a `^`) is always a member, so "[]]" is a set of one.
std::size_t set_end(std::string_view p, std::size_t at) {
  std::size_t i = at + 1;
  if (i < p.size() && p[i] == '^') ++i;
  do {
    if (i >= p.size()) return p.size();  // malformed: Lua itself refuses the pattern
    if (p[i++] == '%' && i < p.size()) ++i;
  } while (i < p.size() && p[i] != ']');
  return i + 1;
}

}  // namespace

double pattern_cost(std::string_view p, std::size_t subject_length, Starts starts) {
  const bool anchored = !p.empty() && p[0] == '^';
  std::size_t i = anchored ? 1 : 0;
  int passes = anchored && starts == Starts::unless_anchored ? 0 : 1;
  int branches = 0;
  while (i < p.size()) {
    const char c = p[i];
    std::size_t end = i + 1;
    if (c == '(' || c == ')') {
      i = end;
      continue;
    }
    if (c == '%' && i + 1 < p.size()) {
      const char d = p[i + 1];
      if (d == 'b') {  // %bxy scans to the balancing y
        ++passes;
        i += 4;
        continue;
      }
      if (d == 'f') {  // %f[set] looks at one position
        i = i + 2 < p.size() && p[i + 2] == '[' ? set_end(p, i + 2) : i + 2;
        continue;
      }
      if (d >= '0' && d <= '9') {  // a back-reference compares a capture
        ++passes;
        i += 2;
        continue;
      }
      end = i + 2;
    } else if (c == '[') {
      end = set_end(p, i);
    }
    if (end < p.size() && (p[end] == '*' || p[end] == '+' || p[end] == '-')) {
      ++passes;
      ++end;
    } else if (end < p.size() && p[end] == '?') {
      ++branches;
      ++end;
    }
    i = end;
  }
  const double n = static_cast<double>(subject_length) + 1;
  return (static_cast<double>(p.size()) + 1) * std::pow(2.0, branches) * std::pow(n, passes);
}

}  // namespace depot::rules
