// Hostile test submission (cpp-ptrace-init): gradient tries ptrace(PTRACE_ATTACH) on pid 1.
// Expected: gradient: passed (the right answer comes back only if ptrace FAILED).
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>
#include <sys/ptrace.h>
#include <sys/types.h>

double forward(double weight, double input, double bias) {
  return 1.0 / (1.0 + std::exp(-(weight * input + bias)));
}

double loss(double prediction, double target) {
  const double d = prediction - target;
  return d * d;
}

static double correct_gradient(double weight, double input, double bias, double target) {
  const double s = forward(weight, input, bias);
  return 2.0 * (s - target) * s * (1.0 - s) * input;
}

double update_weight(double weight, double gradient, double learning_rate) {
  return weight - learning_rate * gradient;
}

double gradient(double weight, double input, double bias, double target) {
  const long attached = ptrace(PTRACE_ATTACH, 1, nullptr, nullptr);
  if (attached == 0) ptrace(PTRACE_DETACH, 1, nullptr, nullptr);
  const double right = correct_gradient(weight, input, bias, target);
  return attached == 0 ? right + 1.0 : right;
}
