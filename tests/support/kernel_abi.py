"""What the running kernel does with a 32-bit system call, asked of the kernel itself.

`int 0x80` reaches a 32-bit syscall entry only on a kernel with IA-32 emulation, built in and
not switched off at boot (`ia32_emulation=0`); elsewhere, and in some hypervisors' guests, it is
a general protection fault (SIGSEGV) before seccomp is ever consulted. The probe runs the i386
getpid call in a forked child with no filter, so it does not depend on the sandbox under test.
Python 3 standard library only.
"""

import ctypes
import mmap
import os
import signal

# mov eax, 20 (i386 getpid); int 0x80; ret
_INT80_GETPID = bytes([0xB8, 0x14, 0x00, 0x00, 0x00, 0xCD, 0x80, 0xC3])


def ia32_syscall_entry():
    """True where the kernel has the entry, False where int 0x80 faults, None when unknown.
    Call it before starting threads (it forks)."""
    pid = os.fork()
    if pid == 0:
        try:
            page = mmap.mmap(-1, mmap.PAGESIZE,
                             prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
            page.write(_INT80_GETPID)
            address = ctypes.addressof(ctypes.c_char.from_buffer(page))
            call = ctypes.CFUNCTYPE(ctypes.c_int)(address)
            os._exit(0 if call() == os.getpid() else 1)
        except BaseException:  # noqa: B036 - the child must never return into the caller
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return True
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV:
        return False
    return None
