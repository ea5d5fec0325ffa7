// Hostile: tries to read host files: /etc/shadow and every path given as an argument (the
// test passes a secret placed beside the box directory, by absolute and relative path).
// Prints one line per path; exits 3 if anything was readable, else 0.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> paths = {"/etc/shadow", "/root/.bashrc", "/proc/1/root/etc/shadow"};
  for (int i = 1; i < argc; ++i) paths.emplace_back(argv[i]);
  int leaked = 0;
  for (const std::string& path : paths) {
    const int fd = open(path.c_str(), O_RDONLY);
    if (fd < 0) {
      std::printf("%s: %s\n", path.c_str(), std::strerror(errno));
      continue;
    }
    char buffer[256] = {};
    const ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (n > 0) {
      std::printf("%s: READ %s\n", path.c_str(), buffer);
      ++leaked;
    } else {
      std::printf("%s: opened, nothing read\n", path.c_str());
    }
  }
  return leaked > 0 ? 3 : 0;
}
