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

/// The kernel (or a seccomp or LSM policy around this process) refused to create the box's
/// namespaces: EPERM or EACCES from clone. Root mode falls back to a user namespace on it.
class CloneDenied : public BoxError {
 public:
  using BoxError::BoxError;
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
