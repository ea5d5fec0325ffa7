// Hostile: TCP connect to 127.0.0.1:PORT (argv[1]), where the test listens. Expected: socket()
// fails with EACCES (seccomp); prints the errors; exits 3 if a connection was made, else 0.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 80;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    std::printf("socket: %s\n", std::strerror(errno));
    const int vsock = socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);
    std::printf("vsock: %s\n", vsock < 0 ? std::strerror(errno) : "opened");
    const int unix_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    std::printf("unix: %s\n", unix_fd < 0 ? std::strerror(errno) : "opened");
    return 0;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::printf("connect: %s\n", std::strerror(errno));
    return 0;
  }
  std::printf("connected\n");
  return 3;
}
