#pragma once
// The demo history's source of chance: a seeded Mersenne Twister with the few draws the plan
// needs, written out here because the standard library's distributions may differ between
// implementations, and the demo must be the same wherever depot is built.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>

namespace depot::cli {

class DemoRandom {
 public:
  explicit DemoRandom(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1).
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n); 0 when n <= 0.
  std::int64_t below(std::int64_t n) {
    return n <= 0 ? 0 : static_cast<std::int64_t>(unit() * static_cast<double>(n));
  }
  // Uniform in [low, high].
  std::int64_t between(std::int64_t low, std::int64_t high) { return low + below(high - low + 1); }
  bool chance(double p) { return unit() < p; }
  // Standard normal (Box–Muller).
  double normal() {
    double u = 1.0 - unit();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * 3.14159265358979323846 * unit());
  }
  // Poisson with mean `mean`: Knuth's product of uniforms, in slices of at most 30 so that
  // exp(-mean) never underflows.
  std::int64_t poisson(double mean) {
    std::int64_t count = 0;
    while (mean > 0) {
      double slice = std::min(mean, 30.0);
      mean -= slice;
      double limit = std::exp(-slice);
      double product = unit();
      while (product > limit) {
        ++count;
        product *= unit();
      }
    }
    return count;
  }
  // An index drawn with the given weights (none negative, at least one positive).
  std::size_t pick(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double at = unit() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (at < weights[i]) return i;
      at -= weights[i];
    }
    return weights.size() - 1;
  }
  template <class T>
  const T& one_of(std::span<const T> items) {
    return items[static_cast<std::size_t>(below(static_cast<std::int64_t>(items.size())))];
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace depot::cli
