// The "usual GoogleTest grader" that bench/grade_bench.py compares the grader with: one TEST per
// case of the backprop exercise (the same 83 inputs the grader runs, expected values from the
// reference solution, the grader's tolerance), compiled and linked with each student's file:
//
//   per student:     g++ -std=c++17 -O2 student.cpp backprop_test.cpp -lgtest -lgtest_main -pthread
//   prebuilt test:   backprop_test.o once, then g++ student.cpp backprop_test.o -lgtest ... per
//   student
//
// It has none of the grader's isolation, crash recovery, timeouts or diagnosis. Generated once from
// the grader's answer key; regenerate if exercises/backprop/exercise.json changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

double forward(double weight, double input, double bias);
double loss(double prediction, double target);
double gradient(double weight, double input, double bias, double target);
double update_weight(double weight, double gradient, double learning_rate);

namespace {

// The grader's rule: pass iff |actual - expected| <= max(atol, rtol * |expected|).
double allowed(double expected) { return std::max(1e-12, 1e-9 * std::fabs(expected)); }

}  // namespace

TEST(Forward, F1) {
  EXPECT_NEAR(forward(0.5, 1.5, 0.3), 0.740774899182154, allowed(0.740774899182154));
}
TEST(Forward, F2) {
  EXPECT_NEAR(forward(-1.2, 0.8, 0.3), 0.34073961154861465, allowed(0.34073961154861465));
}
TEST(Forward, F3) {
  EXPECT_NEAR(forward(2.0, -3.0, 1.4), 0.009951801866904326, allowed(0.009951801866904326));
}
TEST(Forward, F4) {
  EXPECT_NEAR(forward(0.75, 4.0, -1.5), 0.8175744761936437, allowed(0.8175744761936437));
}
TEST(Forward, F5) {
  EXPECT_NEAR(forward(-0.3, -2.5, -0.2), 0.6341355910108007, allowed(0.6341355910108007));
}
TEST(Forward, F6) {
  EXPECT_NEAR(forward(1.5, 2.0, 2.3), 0.995033198349943, allowed(0.995033198349943));
}
TEST(Forward, edge_z_zero) { EXPECT_NEAR(forward(0.4, 0.5, -0.2), 0.5, allowed(0.5)); }
TEST(Forward, edge_input_zero) {
  EXPECT_NEAR(forward(1.7, 0.0, 0.35), 0.5866175789173301, allowed(0.5866175789173301));
}
TEST(Forward, edge_bias_zero) {
  EXPECT_NEAR(forward(0.9, 1.3, 0.0), 0.7631450157268554, allowed(0.7631450157268554));
}
TEST(Forward, edge_weight_zero) {
  EXPECT_NEAR(forward(0.0, 2.7, -0.45), 0.3893607660507781, allowed(0.3893607660507781));
}
TEST(Forward, edge_z_large_positive) {
  EXPECT_NEAR(forward(2.5, 4.2, 1.3), 0.9999924954984029, allowed(0.9999924954984029));
}
TEST(Forward, edge_z_large_negative) {
  EXPECT_NEAR(forward(-3.1, 5.5, -2.45), 3.3982678079468468e-09, allowed(3.3982678079468468e-09));
}
TEST(Forward, edge_z_saturated) {
  EXPECT_NEAR(forward(3.0, 8.5, 2.0), 0.99999999999886, allowed(0.99999999999886));
}
TEST(Forward, hidden_1) {
  EXPECT_NEAR(forward(-0.92, 1.64, 0.13), 0.20120179415806913, allowed(0.20120179415806913));
}
TEST(Forward, hidden_2) {
  EXPECT_NEAR(forward(2.379, -2.353, -0.769), 0.001714723911736984, allowed(0.001714723911736984));
}
TEST(Forward, hidden_3) {
  EXPECT_NEAR(forward(2.309, 1.708, -0.39), 0.9721796271406075, allowed(0.9721796271406075));
}
TEST(Forward, hidden_4) {
  EXPECT_NEAR(forward(-0.369, 1.27, 0.219), 0.4379145708189082, allowed(0.4379145708189082));
}
TEST(Forward, hidden_5) {
  EXPECT_NEAR(forward(-2.018, -1.595, 0.142), 0.9664538031466596, allowed(0.9664538031466596));
}
TEST(Forward, hidden_6) {
  EXPECT_NEAR(forward(1.988, -1.601, 1.222), 0.12338179319193142, allowed(0.12338179319193142));
}
TEST(Forward, hidden_7) {
  EXPECT_NEAR(forward(-0.591, 0.072, -0.672), 0.3285937959048901, allowed(0.3285937959048901));
}
TEST(Forward, hidden_8) {
  EXPECT_NEAR(forward(-1.853, 0.706, -0.04), 0.20616185969553982, allowed(0.20616185969553982));
}
TEST(Loss, L1) {
  EXPECT_NEAR(loss(0.7310585786300049, 1.0), 0.07232948812851325, allowed(0.07232948812851325));
}
TEST(Loss, L2) {
  EXPECT_NEAR(loss(0.3407396115486146, 0.0), 0.11610348287830077, allowed(0.11610348287830077));
}
TEST(Loss, L3) {
  EXPECT_NEAR(loss(0.6341355910108007, 0.3), 0.11164659318013712, allowed(0.11164659318013712));
}
TEST(Loss, L4) {
  EXPECT_NEAR(loss(0.3542, 0.8), 0.19873764000000002, allowed(0.19873764000000002));
}
TEST(Loss, L5) { EXPECT_NEAR(loss(0.91, 0.137), 0.597529, allowed(0.597529)); }
TEST(Loss, L6) {
  EXPECT_NEAR(loss(0.0474258731775668, 0.25), 0.04103627685787125, allowed(0.04103627685787125));
}
TEST(Loss, edge_target_zero) {
  EXPECT_NEAR(loss(0.2689414213699951, 0.0), 0.07232948812851325, allowed(0.07232948812851325));
}
TEST(Loss, edge_target_one) {
  EXPECT_NEAR(loss(0.8807970779778823, 1.0), 0.01420933661861107, allowed(0.01420933661861107));
}
TEST(Loss, edge_prediction_equals_target) {
  EXPECT_NEAR(loss(0.6224593312018546, 0.6224593312018546), 0.0, allowed(0.0));
}
TEST(Loss, edge_difference_plus_one) { EXPECT_NEAR(loss(1.0, 0.0), 1.0, allowed(1.0)); }
TEST(Loss, edge_difference_minus_one) { EXPECT_NEAR(loss(0.0, 1.0), 1.0, allowed(1.0)); }
TEST(Loss, edge_tiny_difference) {
  EXPECT_NEAR(loss(0.50000012, 0.5), 1.4400000011486304e-14, allowed(1.4400000011486304e-14));
}
TEST(Loss, hidden_1) {
  EXPECT_NEAR(loss(0.556821, 0.706), 0.022254374040999985, allowed(0.022254374040999985));
}
TEST(Loss, hidden_2) {
  EXPECT_NEAR(loss(0.167564, 0.388), 0.04859203009600001, allowed(0.04859203009600001));
}
TEST(Loss, hidden_3) {
  EXPECT_NEAR(loss(0.029181, 0.253), 0.050094944760999995, allowed(0.050094944760999995));
}
TEST(Loss, hidden_4) {
  EXPECT_NEAR(loss(0.701699, 0.172), 0.2805810306009999, allowed(0.2805810306009999));
}
TEST(Loss, hidden_5) {
  EXPECT_NEAR(loss(0.448826, 0.295), 0.023662438276000005, allowed(0.023662438276000005));
}
TEST(Loss, hidden_6) {
  EXPECT_NEAR(loss(0.972409, 0.604), 0.135725191281, allowed(0.135725191281));
}
TEST(Loss, hidden_7) {
  EXPECT_NEAR(loss(0.779941, 0.516), 0.06966485148099999, allowed(0.06966485148099999));
}
TEST(Loss, hidden_8) {
  EXPECT_NEAR(loss(0.72919, 0.783), 0.0028955161000000025, allowed(0.0028955161000000025));
}
TEST(Gradient, G1) {
  EXPECT_NEAR(gradient(0.5, 1.5, 0.3, 1.0), -0.14933500364354052, allowed(-0.14933500364354052));
}
TEST(Gradient, G2) {
  EXPECT_NEAR(gradient(-1.2, 0.8, 0.3, 0.0), 0.1224678835566518, allowed(0.1224678835566518));
}
TEST(Gradient, G3) {
  EXPECT_NEAR(gradient(2.0, -3.0, 1.4, 1.0), 0.058528264537487946, allowed(0.058528264537487946));
}
TEST(Gradient, G4) {
  EXPECT_NEAR(gradient(0.75, 4.0, -1.5, 0.3), 0.6175551744515431, allowed(0.6175551744515431));
}
TEST(Gradient, G5) {
  EXPECT_NEAR(gradient(-0.3, -2.5, -0.2, 0.9), 0.30841287473387247, allowed(0.30841287473387247));
}
TEST(Gradient, G6) {
  EXPECT_NEAR(gradient(1.0, 2.0, -0.7, 0.0), 0.5290189632678574, allowed(0.5290189632678574));
}
TEST(Gradient, edge_input_zero) { EXPECT_NEAR(gradient(0.7, 0.0, 0.2, 1.0), -0.0, allowed(-0.0)); }
TEST(Gradient, edge_z_zero) { EXPECT_NEAR(gradient(0.0, 3.0, 0.0, 1.0), -0.75, allowed(-0.75)); }
TEST(Gradient, edge_bias_zero) {
  EXPECT_NEAR(gradient(1.3, -0.7, 0.0, 0.4), 0.03237265985740995, allowed(0.03237265985740995));
}
TEST(Gradient, edge_prediction_equals_target) {
  EXPECT_NEAR(gradient(0.5, 1.5, 0.25, 0.7310585786300049), 0.0, allowed(0.0));
}
TEST(Gradient, edge_prediction_near_target) {
  EXPECT_NEAR(gradient(0.5, 1.5, 0.25, 0.7310585786), 1.7697956792687007e-11,
              allowed(1.7697956792687007e-11));
}
TEST(Gradient, edge_z_large_target_zero) {
  EXPECT_NEAR(gradient(2.0, 9.5, 1.3, 0.0), 2.901186289050743e-08, allowed(2.901186289050743e-08));
}
TEST(Gradient, edge_z_large_target_one) {
  EXPECT_NEAR(gradient(1.5, 8.0, -0.5, 1.0), -1.6418508442586644e-09,
              allowed(-1.6418508442586644e-09));
}
TEST(Gradient, edge_z_large_negative) {
  EXPECT_NEAR(gradient(-1.2, 9.0, 0.7, 1.0), -0.0007393408749294765,
              allowed(-0.0007393408749294765));
}
TEST(Gradient, hidden_1) {
  EXPECT_NEAR(gradient(0.464, -0.202, -1.458, 0.22), 0.0026323190764378944,
              allowed(0.0026323190764378944));
}
TEST(Gradient, hidden_2) {
  EXPECT_NEAR(gradient(0.619, -1.716, -0.496, 0.0), -0.0857431098700983,
              allowed(-0.0857431098700983));
}
TEST(Gradient, hidden_3) {
  EXPECT_NEAR(gradient(-0.055, 0.081, -1.468, 0.77), -0.014343842536064862,
              allowed(-0.014343842536064862));
}
TEST(Gradient, hidden_4) {
  EXPECT_NEAR(gradient(2.061, 2.382, 0.431, 0.31), 0.015502045951832813,
              allowed(0.015502045951832813));
}
TEST(Gradient, hidden_5) {
  EXPECT_NEAR(gradient(-2.008, 0.458, 0.67, 0.19), 0.05589497353270112,
              allowed(0.05589497353270112));
}
TEST(Gradient, hidden_6) {
  EXPECT_NEAR(gradient(0.144, 0.173, 0.82, 0.4), 0.021782329649237733,
              allowed(0.021782329649237733));
}
TEST(Gradient, hidden_7) {
  EXPECT_NEAR(gradient(0.629, 1.875, 1.126, 0.15), 0.23479011607014888,
              allowed(0.23479011607014888));
}
TEST(Gradient, hidden_8) {
  EXPECT_NEAR(gradient(0.231, 2.975, 1.311, 0.56), 0.2005601020126777, allowed(0.2005601020126777));
}
TEST(UpdateWeight, U1) { EXPECT_NEAR(update_weight(0.5, 0.3, 0.1), 0.47, allowed(0.47)); }
TEST(UpdateWeight, U2) {
  EXPECT_NEAR(update_weight(0.2, -1.5, 0.01), 0.21500000000000002, allowed(0.21500000000000002));
}
TEST(UpdateWeight, U3) { EXPECT_NEAR(update_weight(-0.8, 2.4, 0.35), -1.64, allowed(-1.64)); }
TEST(UpdateWeight, U4) {
  EXPECT_NEAR(update_weight(1.2345, 0.0678, 0.05), 1.23111, allowed(1.23111));
}
TEST(UpdateWeight, U5) {
  EXPECT_NEAR(update_weight(0.4123, -0.2871, 0.03), 0.420913, allowed(0.420913));
}
TEST(UpdateWeight, U6) {
  EXPECT_NEAR(update_weight(-0.6273, 1.9134, 0.045), -0.713403, allowed(-0.713403));
}
TEST(UpdateWeight, edge_learning_rate_zero) {
  EXPECT_NEAR(update_weight(0.83, 1.7, 0.0), 0.83, allowed(0.83));
}
TEST(UpdateWeight, edge_gradient_zero) {
  EXPECT_NEAR(update_weight(-0.61, 0.0, 0.2), -0.61, allowed(-0.61));
}
TEST(UpdateWeight, edge_cancelling) {
  EXPECT_NEAR(update_weight(0.3, 3.0, 0.1), -2.7755575615628914e-17,
              allowed(-2.7755575615628914e-17));
}
TEST(UpdateWeight, edge_exact_zero) {
  EXPECT_NEAR(update_weight(0.5, 2.0, 0.25), 0.0, allowed(0.0));
}
TEST(UpdateWeight, edge_signed_zero) {
  EXPECT_NEAR(update_weight(-0.0, 0.7, 0.0), -0.0, allowed(-0.0));
}
TEST(UpdateWeight, edge_large_step) {
  EXPECT_NEAR(update_weight(1.75, -9.5, 0.5), 6.5, allowed(6.5));
}
TEST(UpdateWeight, hidden_1) {
  EXPECT_NEAR(update_weight(-0.6734, -1.789, 0.137), -0.428307, allowed(-0.428307));
}
TEST(UpdateWeight, hidden_2) {
  EXPECT_NEAR(update_weight(1.6161, 1.7282, 0.46), 0.8211280000000001, allowed(0.8211280000000001));
}
TEST(UpdateWeight, hidden_3) {
  EXPECT_NEAR(update_weight(-1.0379, -0.4366, 0.142), -0.9759028000000001,
              allowed(-0.9759028000000001));
}
TEST(UpdateWeight, hidden_4) {
  EXPECT_NEAR(update_weight(-2.262, 1.5952, 0.251), -2.6623952, allowed(-2.6623952));
}
TEST(UpdateWeight, hidden_5) {
  EXPECT_NEAR(update_weight(-0.8964, -1.6014, 0.365), -0.311889, allowed(-0.311889));
}
TEST(UpdateWeight, hidden_6) {
  EXPECT_NEAR(update_weight(-2.8625, -1.0504, 0.039), -2.8215344, allowed(-2.8215344));
}
TEST(UpdateWeight, hidden_7) {
  EXPECT_NEAR(update_weight(0.5999, 1.142, 0.485), 0.04603000000000005,
              allowed(0.04603000000000005));
}
TEST(UpdateWeight, hidden_8) {
  EXPECT_NEAR(update_weight(0.9011, 1.3397, 0.229), 0.5943087, allowed(0.5943087));
}
