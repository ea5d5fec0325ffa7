#include "grader/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace grader {

Comparison compare(double actual, double expected, const Tolerance& tolerance) {
  Comparison result;
  result.allowed = std::max(tolerance.atol, tolerance.rtol * std::fabs(expected));
  result.finite = std::isfinite(actual);
  if (!result.finite) {
    result.abs_error = std::numeric_limits<double>::infinity();
    result.rel_error = expected == 0.0 ? std::numeric_limits<double>::quiet_NaN()
                                       : std::numeric_limits<double>::infinity();
    return result;
  }
  result.abs_error = std::fabs(actual - expected);
  result.rel_error = expected == 0.0 ? std::numeric_limits<double>::quiet_NaN()
                                     : result.abs_error / std::fabs(expected);
  // `<=` rather than `!(>)`: a NaN anywhere makes this false.
  result.passed = result.abs_error <= result.allowed;
  return result;
}

}  // namespace grader
