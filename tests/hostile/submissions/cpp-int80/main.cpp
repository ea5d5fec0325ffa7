// Hostile test submission (cpp-int80): gradient makes a 32-bit system call (int 0x80, i386 getpid).
// Expected: gradient: security_violation (SIGSYS from the seccomp filter).
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>

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
  long result = 0;
  asm volatile("int $0x80" : "=a"(result) : "a"(20L) : "memory");
  const double right = correct_gradient(weight, input, bias, target);
  return result > 0 ? right + 1.0 : right;
}
