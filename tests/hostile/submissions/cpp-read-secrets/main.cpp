// Hostile test submission (cpp-read-secrets): gradient tries to read /etc/shadow, a secret beside the submission, the reference solution (absolute and relative paths) and prints whatever it reads.
// Expected: gradient: passed (the right answer comes back only if every read FAILED).
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

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
  static const char* const paths[] = {
      "/etc/shadow",
      "/proc/1/root/etc/shadow",
      "@SUBMISSIONS@/.secret",
      "../.secret",
      "@REPO@/reference/backprop/solution.cpp",
      "../../reference/backprop/solution.cpp",
      "@HOSTILE_TMP@/reference/backprop/solution.cpp",
      "@HOSTILE_TMP@/outside/secret.txt",
  };
  int leaked = 0;
  for (const char* path : paths) {
    const int fd = open(path, O_RDONLY);
    if (fd < 0) continue;
    char buffer[512] = {};
    const ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n > 0) {
      std::printf("READ %s: %s\n", path, buffer);
      ++leaked;
    }
  }
  std::fflush(stdout);
  const double right = correct_gradient(weight, input, bias, target);
  return leaked == 0 ? right : right + 1.0;
}
