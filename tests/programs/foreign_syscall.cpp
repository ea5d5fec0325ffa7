// Hostile: a syscall of a foreign ABI. `int80`: 32-bit getpid through int 0x80; `x32`: getpid
// with the x32 bit. Expected: SIGSYS (security_violation). Exits 3 if the call returned.
#include <unistd.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  long result = 0;
  if (argc > 1 && std::strcmp(argv[1], "x32") == 0) {
    const long nr = 0x40000000L | 39;  // __X32_SYSCALL_BIT | getpid
    asm volatile("syscall" : "=a"(result) : "a"(nr) : "rcx", "r11", "memory");
  } else {
    asm volatile("int $0x80" : "=a"(result) : "a"(20L) : "memory");  // i386 getpid
  }
  std::printf("returned %ld\n", result);
  return 3;
}
