// Hostile test submission (cpp-tcp-connect): gradient connects over TCP to 127.0.0.1 on a port the checker listens on.
// Expected: gradient: passed (the right answer comes back only if the connection FAILED); the checker's listener must accept nothing.
// Every loop is bounded (counts and time), so a containment failure cannot hurt the machine.
// Placeholders @NAME@ are filled in by tests/hostile/check_hostile.py in its temporary copy.
#include <arpa/inet.h>
#include <cmath>
#include <netinet/in.h>
#include <sys/socket.h>
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
  bool connected = false;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd >= 0) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(@PORT@);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    close(fd);
  }
  const double right = correct_gradient(weight, input, bias, target);
  return connected ? right + 1.0 : right;
}
