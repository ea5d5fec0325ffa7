#pragma once
/// \file
/// The tolerance rule that decides every numeric case. One place, one contract.

namespace grader {

/// Tolerance of a task. Defaults: every correct double implementation passes,
/// single precision does not (NUMERICS.md section 3).
struct Tolerance {
  double rtol = 1e-9;   ///< relative tolerance, a fraction of |expected|
  double atol = 1e-12;  ///< absolute tolerance, absorbs tiny values and cancellation
};

/// The verdict on one number, with the errors the report shows.
struct Comparison {
  bool passed = false;
  bool finite = true;      ///< false when the actual value is NaN or infinite
  double abs_error = 0.0;  ///< |actual - expected|; +inf when the actual is not finite
  double rel_error = 0.0;  ///< abs_error / |expected|; NaN when expected is 0 ("n/a")
  double allowed = 0.0;    ///< max(atol, rtol * |expected|): the bound applied
};

/// Compares `actual` with a finite `expected`.
///
/// Passes iff |actual - expected| <= max(atol, rtol * |expected|), written so that any NaN fails
/// and -0.0 equals +0.0. A NaN or infinite actual never passes and has `finite == false`.
Comparison compare(double actual, double expected, const Tolerance& tolerance);

}  // namespace grader
