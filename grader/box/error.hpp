// Errors of grader-box itself (never the program's fate, which is data in the result record).
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>

namespace grader::box {

/// The sandbox could not be built or supervised. `what()` is the full one-line message
/// `STEP: MESSAGE (strerror)` without the `grader-box: error: ` prefix; main adds it and exits 1.
class BoxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The command line is wrong; main prints the message and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Builds `STEP: WHAT (strerror(err))`; `err == 0` leaves out the parenthesis.
std::string describe(const char* step, const std::string& what, int err);

/// Throws BoxError for a failed system call; reads errno unless `err` is given.
[[noreturn]] void fail(const char* step, const std::string& what, int err = errno);

}  // namespace grader::box
