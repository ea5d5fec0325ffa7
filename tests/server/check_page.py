#!/usr/bin/env python3
"""The page of `grader serve` in headless Chromium, for real: sign in with a token, pick the
exercise, choose two files, submit, wait for the state to change to done without reloading, and
read the score off the page; then an instructor sees the class dashboard.

Chromium is driven through its DevTools protocol over a pipe (--remote-debugging-pipe: JSON
messages ending in a NUL byte on file descriptors 3 and 4), with the standard library only.
Exits 77 (a skip for CTest) when Chromium is not installed. `--screenshot FILE` saves the page
with its result as PNG (the README's picture). Ends with an 'N passed, N failed' line.
"""

import argparse
import base64
import fcntl
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from checker import Checker  # noqa: E402
from server_client import Server  # noqa: E402


class Browser:
    """Headless Chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self, profile, width=1100, height=1400):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Out of the way of 3 and 4, which the child needs.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_r, from_child_w)]
        for fd in (to_child_r, from_child_w):
            os.close(fd)

        def child_fds():
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--no-first-run", "--disable-extensions", "--disable-sync", "--mute-audio",
             f"--user-data-dir={profile}", f"--window-size={width},{height}",
             "--remote-debugging-pipe", "about:blank"],
            preexec_fn=child_fds, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in high:
            os.close(fd)
        self.write = os.fdopen(to_child_w, "wb", buffering=0)
        self.read = os.fdopen(from_child_r, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)

    def _message(self):
        while b"\0" not in self.buffer:
            chunk = self.read.read(65536)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(text)

    def call(self, method, params=None, session=False):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.write.write(json.dumps(message).encode() + b"\0")
        while True:
            answer = self._message()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise RuntimeError(f"timed out waiting for {expression}")

    def navigate(self, url):
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("document.readyState === 'complete' && !!document.getElementById('token')")

    def set_files(self, selector, paths):
        root = self.call("DOM.getDocument", session=True)["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector},
                         session=True)["nodeId"]
        self.call("DOM.setFileInputFiles",
                  {"nodeId": node, "files": [str(pathlib.Path(p).resolve()) for p in paths]},
                  session=True)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        pathlib.Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def sign_in(browser, port, token):
    browser.navigate(f"http://127.0.0.1:{port}/")
    browser.evaluate(f"document.getElementById('token').value = {json.dumps(token)}; "
                     "document.getElementById('signin').click(); true")
    browser.wait_for("!document.getElementById('app').classList.contains('hidden') && "
                     "document.getElementById('exercise').options.length > 0")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--screenshot", help="save the page with its result as PNG")
    args = parser.parse_args()
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print("SKIP: chromium is not installed (bash scripts/setup --tests installs it)")
        return 77
    root = pathlib.Path(args.root).resolve()
    c = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        server = Server(args.grader, tmp / "data",
                        ["--workers", "2", "--exercises", str(root / "exercises")])
        student = server.token("s042")
        instructor = server.token("prof", "--instructor")
        browser = Browser(tmp / "profile")
        try:
            sign_in(browser, server.port, student)
            c.check(browser.evaluate("document.getElementById('who').textContent") == "s042",
                    "signed in as s042")
            browser.evaluate("document.getElementById('exercise').value = 'backprop'; "
                             "document.getElementById('exercise').dispatchEvent("
                             "new Event('change')); true")
            files = root / "submissions" / "cpp-correct-multi-file"
            browser.set_files("#files", [files / "neuron.cpp", files / "neuron.hpp"])
            # Clicked from a timer, so that the evaluation returns before the upload starts.
            browser.evaluate("setTimeout(() => document.getElementById('submit').click(), 0); "
                             "true")
            states = set()
            deadline = time.time() + 120
            while time.time() < deadline:
                state = browser.evaluate("document.getElementById('state').textContent")
                states.add(state)
                if state == "done":
                    break
                time.sleep(0.05)
            c.check("done" in states, f"the state reached done without a reload: {states}")
            score = browser.wait_for(
                "document.getElementById('score').textContent.startsWith('Score') && "
                "document.getElementById('score').textContent")
            c.check(score == "Score: 10 / 10", f"the score on the page: {score!r}")
            rows = browser.evaluate("document.querySelectorAll('#feedback table tr').length")
            c.check(rows == 5, f"a tasks table with 4 tasks: {rows} rows")
            history = browser.wait_for("document.querySelectorAll('#history li').length")
            c.check(history == 1, f"one submission in the history: {history}")
            if args.screenshot:
                # The README's picture: a submission with a mistake, its first failing case and hint.
                mistake = root / "submissions" / "cpp-two-mistakes"
                browser.set_files("#files", sorted(p for p in mistake.iterdir() if p.is_file()))
                browser.evaluate("setTimeout(() => document.getElementById('submit').click(), 0); "
                                 "true")
                browser.wait_for("document.querySelectorAll('#history li').length == 2 && "
                                 "document.getElementById('state').textContent == 'done'")
                browser.screenshot(args.screenshot)
            # An instructor's dashboard: the HTML report, with the student's row.
            browser.evaluate("sessionStorage.clear(); true")
            sign_in(browser, server.port, instructor)
            srcdoc = browser.wait_for("document.getElementById('dashboard').srcdoc.length > 0 && "
                                      "document.getElementById('dashboard').srcdoc")
            c.check("s042" in srcdoc and "<html" in srcdoc, "the dashboard shows the class report")
        finally:
            browser.close()
            server.stop()
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
