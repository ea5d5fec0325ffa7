// The box's syscall filter at run time: the BPF program generated from seccomp_rules.cpp when
// grader-box was built, installed by init before it starts the program.
#pragma once

#include <linux/filter.h>

#include <cstddef>

namespace grader::box {

/// The generated program (seccomp_rules.hpp describes what it denies).
const sock_filter* box_filter(std::size_t& length);

/// Installs the program in the calling process; every descendant inherits it, across exec.
/// The caller needs CAP_SYS_ADMIN in its user namespace or PR_SET_NO_NEW_PRIVS.
/// Throws BoxError("seccomp").
void install_seccomp();

/// Whether this kernel accepts seccomp filters that kill the whole process (for --probe).
bool seccomp_available();

}  // namespace grader::box
