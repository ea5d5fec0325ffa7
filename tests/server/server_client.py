"""A small client for `grader serve`, shared by the server checks and the bench: starts the
server on a free loopback port, sends JSON and multipart requests, waits for results.
Standard library only."""

import ctypes
import http.client
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
import uuid


def _die_with_parent():
    """In the child: SIGTERM when the test process dies, so that a test killed by its timeout
    leaves no server behind (prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


class Server:
    """A running `grader serve` with its own data folder."""

    def __init__(self, grader, data, extra=(), env=None, timeout=600):
        self.grader = grader
        self.data = str(data)
        self.lines = queue.Queue()
        self.output = []
        self.proc = subprocess.Popen(
            [grader, "serve", "--listen", "127.0.0.1:0", "--data", self.data, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            preexec_fn=_die_with_parent)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.time() + timeout
        self.port = None
        while self.port is None:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                raise RuntimeError("the server did not start: " + "".join(self.output))
            if line is None:
                raise RuntimeError("the server exited: " + "".join(self.output))
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))

    def _read(self):
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def token(self, user, *flags):
        run = subprocess.run([self.grader, "token", user, *flags, "--data", self.data],
                             capture_output=True, text=True, timeout=60)
        if run.returncode != 0:
            raise RuntimeError(run.stderr)
        return run.stdout.strip()

    def request(self, method, path, token=None, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        conn.request(method, path, body=body, headers=h)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        kind = response.getheader("Content-Type", "")
        if kind.startswith("application/json"):
            return response.status, json.loads(data)
        return response.status, data.decode("utf-8", "replace")

    def submit(self, token, exercise, files):
        """files: [(name, bytes)]; a multipart form as a browser sends it."""
        body, kind = multipart(files)
        return self.request("POST", f"/api/v1/submissions?exercise={exercise}", token, body,
                            {"Content-Type": kind})

    def submit_zip(self, token, exercise, data):
        return self.request("POST", f"/api/v1/submissions?exercise={exercise}", token, data,
                            {"Content-Type": "application/zip"})

    def wait_done(self, token, ident, timeout=300):
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, body = self.request("GET", f"/api/v1/submissions/{ident}", token)
            if status == 200 and body.get("state") == "done":
                return body
            time.sleep(0.2)
        raise RuntimeError(f"submission {ident} not done after {timeout} s")

    def stop(self, sig=15, timeout=120):
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def multipart(files):
    boundary = "----grader" + uuid.uuid4().hex
    parts = []
    for name, content in files:
        if isinstance(content, str):
            content = content.encode()
        parts.append((f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                      f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                     .encode("utf-8", "surrogateescape") + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def environment(cache_dir=None):
    env = dict(os.environ)
    if cache_dir:
        env["XDG_CACHE_HOME"] = str(cache_dir)
    return env
