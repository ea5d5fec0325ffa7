// The seccomp program grader-box carries was compiled when it was built; it must be exactly
// what libseccomp makes of the rules now (a stale generated file fails here), and it must load.
#include <gtest/gtest.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "seccomp_filter.hpp"
#include "seccomp_rules.hpp"

namespace {

TEST(SeccompFilter, EmbeddedProgramIsWhatTheRulesCompileTo) {
  std::size_t length = 0;
  const sock_filter* embedded = grader::box::box_filter(length);
  const std::vector<sock_filter> now = grader::box::compile_seccomp();
  ASSERT_EQ(length, now.size());
  for (std::size_t i = 0; i < length; ++i) {
    EXPECT_EQ(embedded[i].code, now[i].code) << "instruction " << i;
    EXPECT_EQ(embedded[i].jt, now[i].jt) << "instruction " << i;
    EXPECT_EQ(embedded[i].jf, now[i].jf) << "instruction " << i;
    EXPECT_EQ(embedded[i].k, now[i].k) << "instruction " << i;
  }
}

TEST(SeccompFilter, InstalledProgramDeniesAndAllows) {
  // In a child: the filter stays with it. No new privileges, so no root is needed.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(10);
    try {
      grader::box::install_seccomp();
    } catch (...) {
      _exit(11);
    }
    if (unshare(0) != -1 || errno != EPERM) _exit(12);      // denied: EPERM
    if (getpid() <= 0) _exit(13);                           // allowed
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2) _exit(14);  // filter mode
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(grader::box::seccomp_available());
}

}  // namespace
