// The supervisor's "go" to init, over a unix socket: what init needs to know that is decided
// after clone (so that the supervisor prepares the cgroup while init builds the mounts).
#pragma once

#include <vector>

#include "rlimits.hpp"

namespace grader::box {

/// What travels with the go.
struct Go {
  RlimitContext rlimits;  ///< which rlimits stand in for missing cgroup limits
};

/// Sends the go with `fds` (at most 8; the v1 cgroup `tasks` files init enters) attached.
/// Throws BoxError("init").
void send_go(int socket, const Go& go, const std::vector<int>& fds);

/// Receives the go; `fds` gets the attached descriptors. Returns false when the supervisor
/// closed the socket without sending it (it died).
bool receive_go(int socket, Go& go, std::vector<int>& fds);

}  // namespace grader::box
