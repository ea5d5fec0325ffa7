// Hostile test submission (cpp-file-1gib): gradient writes a 1 GiB file in its working directory.
// Expected: gradient: output_limit (RLIMIT_FSIZE, SIGXFSZ). Returns the right answer only if the write was cut short.
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>
#include <cstring>
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
  static char chunk[1 << 20];
  std::memset(chunk, 'f', sizeof chunk);
  long long total = 0;
  const int fd = open("flood.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    for (int i = 0; i < 1024; ++i) {
      const ssize_t n = write(fd, chunk, sizeof chunk);
      if (n <= 0) break;
      total += n;
    }
    close(fd);
    unlink("flood.bin");
  }
  const double right = correct_gradient(weight, input, bias, target);
  return total < (1LL << 30) ? right : right + 1.0;
}
