#pragma once
// Figures rounded for people. Dividing by the scale, not multiplying by its inverse, gives the
// double nearest the decimal: 0.207, where round(207) * 0.001 gives 0.20700000000000002.

#include <cmath>

namespace depot {

// `value` to the nearest 1/scale: scale 100 keeps two decimals.
inline double rounded(double value, double scale) { return std::round(value * scale) / scale; }

}  // namespace depot
