#include "grader/compare.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace grader {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Row {
  double actual;
  double expected;
  bool passed;
};

TEST(CompareTest, TableOfEdges) {
  const Tolerance t;  // rtol 1e-9, atol 1e-12
  const Row rows[] = {
      {0.47, 0.47, true},
      {0.46999999999999997, 0.47, true},                 // the lesson's update, off by one ULP
      {0.4699999988079071, 0.46999999999999997, false},  // the same in float: 2.5e-9 relative
      {-0.0, 0.0, true},
      {0.0, -0.0, true},
      {1e-13, 0.0, true},   // within atol
      {2e-12, 0.0, false},  // beyond atol: an expected 0 needs an absolute bound
      {1e308, 1e308, true},
      {1e308 * (1 + 5e-10), 1e308, true},
      {1e308 * (1 + 2e-9), 1e308, false},
      {4.9e-324, 0.0, true},  // subnormal
      {kNan, 0.5, false},
      {kInf, 1e308, false},
      {-kInf, -1e308, false},
      {0.5, kNan, false},  // never passes against NaN, even though the spec forbids it
  };
  for (const Row& row : rows) {
    EXPECT_EQ(compare(row.actual, row.expected, t).passed, row.passed)
        << "actual " << row.actual << " expected " << row.expected;
  }
}

TEST(CompareTest, RelativeToleranceScalesWithExpected) {
  const Tolerance t{1e-6, 1e-9};
  EXPECT_TRUE(compare(1000.0009, 1000.0, t).passed);
  EXPECT_FALSE(compare(1000.0011, 1000.0, t).passed);
  EXPECT_DOUBLE_EQ(compare(1000.0, 1000.0, t).allowed, 1e-3);
}

TEST(CompareTest, ReportsErrorsAndNonFinite) {
  const Comparison c = compare(0.029264132268743963, 0.058528264537487912, Tolerance{});
  EXPECT_FALSE(c.passed);
  EXPECT_TRUE(c.finite);
  EXPECT_NEAR(c.rel_error, 0.5, 1e-15);
  EXPECT_NEAR(c.abs_error, 0.029264132268743949, 1e-17);

  const Comparison n = compare(kNan, 1.0, Tolerance{});
  EXPECT_FALSE(n.finite);
  EXPECT_FALSE(n.passed);
  EXPECT_TRUE(std::isinf(n.abs_error));

  EXPECT_TRUE(std::isnan(compare(1e-3, 0.0, Tolerance{}).rel_error));  // "n/a"
}

}  // namespace
}  // namespace grader
