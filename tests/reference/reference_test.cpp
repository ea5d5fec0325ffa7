// Tests of the backprop model answer (reference/backprop/solution.cpp), which
// is compiled into this binary: its results become the expected values, so
// they must match NUMERICS.md, the calculus, and stay finite where the
// textbook formulas overflow or cancel.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "backprop.hpp"

namespace {

/// The grading rule of NUMERICS.md section 1 (NaN never passes).
bool within(double actual, double expected, double rtol = 1e-9, double atol = 1e-12) {
  return std::fabs(actual - expected) <= std::max(atol, rtol * std::fabs(expected));
}

double naive_sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

TEST(ReferenceTest, LessonExampleUpdatesTheWeightTo047) {
  EXPECT_EQ(update_weight(0.5, 0.3, 0.1), 0.47);  // one rounding: the double nearest 0.47
}

struct CoreCase {
  double args[4];
  double expected;
};

TEST(ReferenceTest, ForwardMatchesNumericsCoreValues) {
  const CoreCase cases[] = {
      {{0.5, 1.5, 0.3}, 0.740774899182154},      {{-1.2, 0.8, 0.3}, 0.3407396115486146},
      {{2, -3, 1.4}, 0.0099518018669043206},     {{0.75, 4, -1.5}, 0.81757447619364365},
      {{-0.3, -2.5, -0.2}, 0.63413559101080064}, {{1.5, 2, 2.3}, 0.99503319834994308},
  };
  for (const CoreCase& c : cases) {
    const double actual = forward(c.args[0], c.args[1], c.args[2]);
    EXPECT_PRED2([](double a, double e) { return within(a, e, 1e-15, 0.0); }, actual, c.expected);
  }
}

TEST(ReferenceTest, LossMatchesNumericsCoreValues) {
  const CoreCase cases[] = {
      {{0.7310585786300049, 1}, 0.072329488128513253},
      {{0.3407396115486146, 0}, 0.11610348287830077},
      {{0.6341355910108007, 0.3}, 0.11164659318013712},
      {{0.3542, 0.8}, 0.19873764000000002},
      {{0.91, 0.137}, 0.59752899999999998},
      {{0.0474258731775668, 0.25}, 0.04103627685787125},
  };
  for (const CoreCase& c : cases) {
    EXPECT_PRED2([](double a, double e) { return within(a, e, 1e-15, 0.0); },
                 loss(c.args[0], c.args[1]), c.expected);
  }
}

TEST(ReferenceTest, GradientMatchesNumericsCoreValues) {
  const CoreCase cases[] = {
      {{0.5, 1.5, 0.3, 1}, -0.14933500364354052},     {{-1.2, 0.8, 0.3, 0}, 0.12246788355665174},
      {{2, -3, 1.4, 1}, 0.058528264537487912},        {{0.75, 4, -1.5, 0.3}, 0.61755517445154329},
      {{-0.3, -2.5, -0.2, 0.9}, 0.30841287473387247}, {{1, 2, -0.7, 0}, 0.52901896326785736},
  };
  for (const CoreCase& c : cases) {
    EXPECT_PRED2([](double a, double e) { return within(a, e, 1e-15, 0.0); },
                 gradient(c.args[0], c.args[1], c.args[2], c.args[3]), c.expected);
  }
}

TEST(ReferenceTest, UpdateMatchesNumericsCoreValuesExactly) {
  const CoreCase cases[] = {
      {{0.5, 0.3, 0.1}, 0.46999999999999997},         {{0.2, -1.5, 0.01}, 0.21500000000000002},
      {{-0.8, 2.4, 0.35}, -1.6399999999999999},       {{1.2345, 0.0678, 0.05}, 1.2311099999999999},
      {{0.4123, -0.2871, 0.03}, 0.42091299999999998},
  };
  for (const CoreCase& c : cases) {
    EXPECT_EQ(update_weight(c.args[0], c.args[1], c.args[2]), c.expected);
  }
}

TEST(ReferenceTest, GradientEqualsCentralDifferenceOfTheLoss) {
  std::mt19937_64 rng(20261129);
  std::uniform_real_distribution<double> weight(-3.0, 3.0), input(-3.0, 3.0), bias(-2.0, 2.0),
      target(0.0, 1.0);
  int checked = 0;
  for (int i = 0; i < 2000; ++i) {
    const double w = weight(rng), x = input(rng), b = bias(rng), t = target(rng);
    const double g = gradient(w, x, b, t);
    if (std::fabs(g) < 1e-3) continue;  // the difference quotient itself has ~1e-10 noise
    const double h = 1e-5 * std::max(1.0, std::fabs(w));
    const double numeric =
        (loss(forward(w + h, x, b), t) - loss(forward(w - h, x, b), t)) / (2.0 * h);
    EXPECT_NEAR(numeric, g, 1e-6 * std::fabs(g))
        << "w=" << w << " x=" << x << " b=" << b << " t=" << t;
    ++checked;
  }
  EXPECT_GT(checked, 1000);
}

TEST(ReferenceTest, SigmoidSlopeIsSTimesOneMinusS) {
  // With weight 0, input 1 and target 0, z is the bias and
  // gradient = 2 s sigma'(z), so sigma'(z) = gradient / (2 s).
  for (double z = -8.0; z <= 8.0; z += 0.37) {
    const double s = forward(0.0, 1.0, z);
    const double slope = gradient(0.0, 1.0, z, 0.0) / (2.0 * s);
    // s (1 - s) itself loses about 1e-16 e^|z| to cancellation.
    const double rtol = 1e-14 + 1e-15 * std::exp(std::fabs(z));
    EXPECT_PRED3([](double a, double e, double r) { return within(a, e, r, 0.0); }, slope,
                 s * (1.0 - s), rtol)
        << "z=" << z;
  }
}

TEST(ReferenceTest, StaysFiniteForLargeZ) {
  for (double z = -700.0; z <= 700.0; z += 0.5) {
    const double s = forward(0.0, 1.0, z);
    ASSERT_TRUE(std::isfinite(s)) << "z=" << z;
    ASSERT_GE(s, 0.0);
    ASSERT_LE(s, 1.0);
    for (double t : {0.0, 0.3, 1.0}) {
      ASSERT_TRUE(std::isfinite(gradient(0.0, 1.0, z, t))) << "z=" << z << " t=" << t;
      ASSERT_TRUE(std::isfinite(gradient(-2.5, 280.0, z, t))) << "z=" << z << " t=" << t;
    }
  }
  // Where s(1 - s) has long cancelled to 0, the reference keeps the slope.
  EXPECT_EQ(naive_sigmoid(40.0), 1.0);
  EXPECT_GT(gradient(0.0, 1.0, 40.0, 0.0), 0.0);
  EXPECT_LT(gradient(0.0, 1.0, -700.0, 1.0), 0.0);
  EXPECT_GT(gradient(0.0, 1.0, 700.0, 0.0), 0.0);
}

TEST(ReferenceTest, SaturatedSlopeKeepsItsDigits) {
  // gradient(0, 1, 40, 0) = 2 s sigma'(40) = 2 e^-40 / (1 + e^-40)^3, within 1e-16 of 2 e^-40.
  const double expected = 2.0 * std::exp(-40.0);
  EXPECT_PRED2([](double a, double e) { return within(a, e, 1e-12, 0.0); },
               gradient(0.0, 1.0, 40.0, 0.0), expected);
}

TEST(ReferenceTest, EdgeValues) {
  const double zero_input = gradient(0.7, 0.0, 0.2, 1.0);
  EXPECT_EQ(zero_input, 0.0);  // -0 or +0: both equal 0
  EXPECT_EQ(gradient(0.0, 3.0, 0.0, 1.0), -0.75);
  EXPECT_EQ(forward(0.4, 0.5, -0.2), 0.5);
  EXPECT_EQ(loss(0.6224593312018546, 0.6224593312018546), 0.0);
  EXPECT_EQ(update_weight(0.83, 1.7, 0.0), 0.83);
  // Cancelling update: the exact result, where the plain formula is off by 100%.
  EXPECT_EQ(update_weight(0.3, 3.0, 0.1), -2.7755575615628914e-17);
  // The prediction is 3e-11 from the target: the reference keeps the
  // difference to within a few parts in 1e7 (the literal formula: 5.6e-7).
  EXPECT_PRED2([](double a, double e) { return within(a, e, 2e-6, 0.0); },
               gradient(0.5, 1.5, 0.25, 0.7310585786), 1.7697946885053462e-11);
}

}  // namespace
