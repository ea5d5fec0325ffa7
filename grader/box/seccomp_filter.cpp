#include "seccomp_filter.hpp"

#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "error.hpp"

namespace grader::box {
namespace {

constexpr sock_filter kProgram[] = {
#include "seccomp_program.inc"
};

}  // namespace

const sock_filter* box_filter(std::size_t& length) {
  length = sizeof kProgram / sizeof kProgram[0];
  return kProgram;
}

void install_seccomp() {
  sock_fprog prog{static_cast<unsigned short>(sizeof kProgram / sizeof kProgram[0]),
                  const_cast<sock_filter*>(kProgram)};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    fail("seccomp", "cannot install the filter");
  }
}

bool seccomp_available() {
  // PR_GET_SECCOMP fails with EINVAL when the kernel lacks CONFIG_SECCOMP; the filter's
  // foreign-architecture action needs SECCOMP_RET_KILL_PROCESS (Linux 4.14).
  std::uint32_t action = SECCOMP_RET_KILL_PROCESS;
  return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 &&
         syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

}  // namespace grader::box
