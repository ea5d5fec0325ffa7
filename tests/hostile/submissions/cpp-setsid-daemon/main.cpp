// Hostile test submission (cpp-setsid-daemon): gradient (first call) starts a daemon (fork, setsid, fork) that, after 2 s, creates marker files at host paths; it exits by itself after 20 s.
// Expected: gradient: passed; the daemon dies with the box: no marker, no process left.
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <cmath>
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
  static bool started = false;
  if (!started) {
    started = true;
    const pid_t pid = fork();
    if (pid == 0) {
      setsid();
      if (fork() != 0) _exit(0);
      tag_process();
      sleep(2);
      close(open("/tmp/grader-hostile-marker-@TOKEN@-daemon", O_WRONLY | O_CREAT, 0644));
      close(open("@MARKERS@/daemon", O_WRONLY | O_CREAT, 0644));
      std::printf("LEFTOVER-ALIVE daemon\n");
      std::fflush(stdout);
      sleep(20);
      _exit(0);
    }
    if (pid > 0) waitpid(pid, nullptr, 0);
  }
  return correct_gradient(weight, input, bias, target);
}
