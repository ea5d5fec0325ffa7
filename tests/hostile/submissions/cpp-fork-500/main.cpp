// Hostile test submission (cpp-fork-500): gradient (first call) forks up to 500 children that each wait (at most 20 s), then kills and reaps them.
// Expected: gradient: passed. The box's process limit stops the forks (about 30 succeed); the function returns the right answer only if fewer than 500 forks succeeded.
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/wait.h>
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

// Names this process after the run's tag, so the checker can tell our leftovers from others'.
static void tag_process() {
  const int fd = open("/proc/self/comm", O_WRONLY);
  if (fd >= 0) {
    [[maybe_unused]] ssize_t n = write(fd, "@TAG@", sizeof "@TAG@" - 1);
    close(fd);
  }
}

double gradient(double weight, double input, double bias, double target) {
  // Only the first call per process: the box's CPU limit counts every process of the run,
  // and 21 calls x 30 forks would spend it on process creation alone.
  static bool done = false;
  static pid_t kids[500];
  int n = 0;
  for (int i = 0; i < 500 && !done; ++i) {
    const pid_t pid = fork();
    if (pid < 0) break;
    if (pid == 0) {
      tag_process();
      alarm(20);  // bounded even if nobody kills it
      pause();
      _exit(0);
    }
    kids[n++] = pid;
  }
  for (int i = 0; i < n; ++i) kill(kids[i], SIGKILL);
  for (int i = 0; i < n; ++i) waitpid(kids[i], nullptr, 0);
  if (!done) {
    std::printf("forks that succeeded: %d\n", n);
    std::fflush(stdout);
  }
  done = true;
  const double right = correct_gradient(weight, input, bias, target);
  return n < 500 ? right : right + 1.0;
}
