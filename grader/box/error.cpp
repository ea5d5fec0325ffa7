#include "error.hpp"

#include <cstring>

namespace grader::box {

std::string describe(const char* step, const std::string& what, int err) {
  std::string message = std::string(step) + ": " + what;
  if (err != 0) message += std::string(" (") + std::strerror(err) + ")";
  return message;
}

void fail(const char* step, const std::string& what, int err) {
  throw BoxError(describe(step, what, err));
}

}  // namespace grader::box
