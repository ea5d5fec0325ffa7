# Hostile Python: host files, network, process creation and a fork loop (bounded: 200).
# Prints one line per attempt; exits 3 if anything escaped, else 0.
import os
import socket

escaped = 0
for path in ["/etc/shadow", "/root", "/home"]:
    try:
        os.listdir(path) if os.path.isdir(path) else open(path).read()
        print(path, "READ")
        escaped += 1
    except OSError as e:
        print(path, type(e).__name__)
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    print("tcp connected")
    escaped += 1
except OSError as e:
    print("tcp", e.errno)
children = 0
for _ in range(200):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        os._exit(0)
    children += 1
    os.waitpid(pid, 0)
print("forks", children)
raise SystemExit(3 if escaped else 0)
