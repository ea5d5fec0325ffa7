#include "handoff.hpp"

#include <sys/socket.h>

#include <cstring>

#include "error.hpp"

namespace grader::box {
namespace {

constexpr std::size_t kMaxFds = 8;

}  // namespace

void send_go(int socket, const Go& go, const std::vector<int>& fds) {
  if (fds.size() > kMaxFds) fail("init", "too many descriptors for the go", 0);
  Go payload = go;
  iovec iov{&payload, sizeof payload};
  alignas(cmsghdr) char control[CMSG_SPACE(kMaxFds * sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (!fds.empty()) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(fds.size() * sizeof(int));
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(fds.size() * sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), fds.data(), fds.size() * sizeof(int));
  }
  if (sendmsg(socket, &msg, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof payload)) {
    fail("init", "cannot start the box");
  }
}

bool receive_go(int socket, Go& go, std::vector<int>& fds) {
  iovec iov{&go, sizeof go};
  alignas(cmsghdr) char control[CMSG_SPACE(kMaxFds * sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = -1;
  do {
    n = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof go)) return false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const std::size_t first = fds.size();
    fds.resize(first + count);
    std::memcpy(fds.data() + first, CMSG_DATA(c), count * sizeof(int));
  }
  return true;
}

}  // namespace grader::box
