// Hostile test submission (cpp-files-64x15mib): gradient writes 64 files of 15 MiB (960 MiB) in its working directory, then deletes them.
// Expected: gradient: passed. The box's size-limited tmpfs fills up (ENOSPC); the function returns the right answer only if the 960 MiB could not all be written.
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>
#include <cstdio>
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
  std::memset(chunk, 'g', sizeof chunk);
  long long total = 0;
  char name[32];
  for (int f = 0; f < 64; ++f) {
    std::snprintf(name, sizeof name, "flood-%02d.bin", f);
    const int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) break;
    bool failed = false;
    for (int i = 0; i < 15 && !failed; ++i) {
      const ssize_t n = write(fd, chunk, sizeof chunk);
      if (n <= 0) failed = true; else total += n;
    }
    close(fd);
    if (failed) break;
  }
  for (int f = 0; f < 64; ++f) {
    std::snprintf(name, sizeof name, "flood-%02d.bin", f);
    unlink(name);
  }
  const double right = correct_gradient(weight, input, bias, target);
  return total < 64LL * (15LL << 20) ? right : right + 1.0;
}
