#!/usr/bin/env python3
"""End-to-end check of `grader serve` and `grader token` on loopback.

Starts the server with a temporary data folder and course rules, makes tokens, and checks the
access rules (401, 403, 404; a student never reads another's submission; a revoked token stops
at once), multipart and zip uploads graded to the expected score, each refusal of a hostile
upload with its 4xx and reason and nothing stored, the late penalty, an extension, the cut-off
and the daily hidden-feedback limit in the JSON, the class report in every format, then kill -9
while jobs are queued and running and a restart (every accepted submission done exactly once),
and a clean stop on SIGTERM. Ends with an 'N passed, N failed' line.
"""

import argparse
import io
import json
import pathlib
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from checker import Checker  # noqa: E402
from server_client import Server  # noqa: E402

DAY = 86400


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def zip_bytes(entries):
    """entries: [(ZipInfo or name, bytes)]"""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, data)
    return out.getvalue()


def symlink_entry(name, target):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (0o120777 << 16)
    return info, target


def raw_request(port, raw):
    """Sends bytes as they are; returns the first response, or b"" when the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        answer = b""
        try:
            sock.sendall(raw)
            while True:
                head, sep, body = answer.partition(b"\r\n\r\n")
                if sep:
                    length = re.search(rb"Content-Length: (\d+)", head)
                    if length is None or len(body) >= int(length.group(1)):
                        break
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    return answer


def stored_files(data):
    return sorted(p.name for p in (pathlib.Path(data) / "files").rglob("*") if p.is_file())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--grader", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    c = Checker()
    subs = root / "submissions"
    py_correct = (subs / "py-correct-single.py").read_bytes()
    multi = subs / "cpp-correct-multi-file"
    multi_files = [(p.name, p.read_bytes()) for p in sorted(multi.iterdir())]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        data = tmp / "data"
        now = int(time.time())
        rules = tmp / "course.json"
        rules.write_text(json.dumps({"rules": {
            "backprop": {"due": iso(now - DAY - DAY // 2), "penalty_per_day": 0.1,
                         "cutoff": iso(now + DAY), "hidden_feedback_per_day": 2},
            "backprop-training": {"due": iso(now - 2 * DAY), "cutoff": iso(now - DAY)}}}))
        common = ["--workers", "2", "--exercises", str(root / "exercises"), "--rules", str(rules),
                  "--per-minute", "100"]
        server = Server(args.grader, data, common)
        alice = server.token("alice")
        bob = server.token("bob")
        prof = server.token("prof", "--instructor")

        # Access rules.
        status, body = server.request("GET", "/healthz")
        c.check(status == 200 and body["workers"] == 2 and "queued" in body, f"healthz: {body}")
        status, body = server.request("GET", "/api/v1/me")
        c.check(status == 401 and "no token" in body["error"], f"no token: {status} {body}")
        status, body = server.request("GET", "/api/v1/me", "gt_" + "0" * 64)
        c.check(status == 401 and "unknown or revoked" in body["error"], f"bad token: {status}")
        status, body = server.request("GET", "/api/v1/me", alice)
        c.check(status == 200 and body["id"] == "alice" and not body["instructor"], f"me: {body}")
        status, body = server.request("GET", "/api/v1/reports/backprop?format=csv", alice)
        c.check(status == 403, f"student on the report: {status} {body}")
        status, body = server.request("POST", "/api/v1/extensions?exercise=backprop&user=bob"
                                      f"&due={iso(now + DAY)}", alice)
        c.check(status == 403, f"student granting an extension: {status}")
        status, body = server.request("GET", "/api/v1/nothing", alice)
        c.check(status == 404 and "no such endpoint" in body["error"], f"unknown path: {body}")
        status, body = server.request("GET", "/api/v1/submissions/0123456789ab", alice)
        c.check(status == 404, f"unknown submission: {status}")
        status, page = server.request("GET", "/")
        c.check(status == 200 and "<title>grader</title>" in page and "http://" not in page
                and "https://" not in page and " src=" not in page,
                "the page is served and requests nothing from elsewhere")

        # A multipart upload of one file, graded, with its late penalty.
        status, body = server.submit(alice, "backprop", [("main.py", py_correct)])
        c.check(status == 202 and body.get("state") == "queued", f"upload: {status} {body}")
        first = server.wait_done(alice, body["id"])
        c.check(first.get("status") == "graded" and first.get("score_before_penalty") == 10
                and abs(first.get("score") - 8.0) < 1e-9 and first["late"]["days_late"] == 2,
                f"late python submission: {json.dumps(first)[:400]}")
        c.check(first.get("submitted_at", "").endswith("Z") and first.get("id") == body["id"],
                "submitted_at and id")
        hidden = [k for t in first["tasks"] for k in t["cases"] if k["visibility"] == "hidden"]
        c.check(hidden and all(set(k) == {"id", "visibility", "status"} for k in hidden),
                "hidden cases carry their status only")

        # Several files of one form, and the same as a zip.
        status, body = server.submit(alice, "backprop", multi_files)
        c.check(status == 202, f"multi-file upload: {status} {body}")
        second = server.wait_done(alice, body["id"])
        c.check(second.get("language") == "cpp" and second.get("score_before_penalty") == 10,
                f"multi-file C++ graded: {json.dumps(second)[:300]}")
        c.check(second.get("files") == sorted(n for n, _ in multi_files), "files listed")
        # A compile error does not use the day's allowance of hidden-case feedback.
        status, body = server.submit(alice, "backprop", [("main.cpp", b"int forward(")])
        broken = server.wait_done(alice, body["id"])
        c.check(broken.get("status") == "compile_error" and "hidden_feedback" not in broken,
                f"compile error: {json.dumps(broken)[:200]}")
        zipped = zip_bytes([("work/" + n, d) for n, d in multi_files])
        status, body = server.submit_zip(alice, "backprop", zipped)
        c.check(status == 202, f"zip upload: {status} {body}")
        third = server.wait_done(alice, body["id"])
        c.check(third.get("status") == "graded", "zip graded")
        # Third of the day: hidden results withheld for the student, not for the instructor.
        c.check(third.get("score") is None and "hidden_feedback" in third and not any(
            k["visibility"] == "hidden" for t in third["tasks"] for k in t["cases"]),
            f"third submission of the day withholds hidden results: {json.dumps(third)[:300]}")
        status, full = server.request("GET", f"/api/v1/submissions/{body['id']}", prof)
        c.check(status == 200 and full.get("score") == 8.0 and "hidden_feedback" not in full,
                f"the instructor sees it all: {json.dumps(full)[:200]}")

        # Refusals: a reason, a 4xx, nothing stored.
        before_files = stored_files(data)
        _, before = server.request("GET", "/api/v1/submissions?exercise=backprop", alice)
        refusals = [
            ("zip bomb", lambda: server.submit_zip(alice, "backprop", zip_bytes(
                [("main.py", b" " * (3 << 20))])), 413, "expands to more than"),
            ("dot-dot", lambda: server.submit_zip(alice, "backprop", zip_bytes(
                [("../main.py", py_correct)])), 400, "goes up a folder"),
            ("absolute", lambda: server.submit(alice, "backprop", [("/tmp/main.py", py_correct)]),
             400, "absolute path"),
            ("symlink", lambda: server.submit_zip(alice, "backprop", zip_bytes(
                [symlink_entry("main.py", b"/etc/passwd")])), 400, "symbolic link"),
            ("binary", lambda: server.submit(alice, "backprop", [("main.py", b"\x7fELF\x00\x01")]),
             415, "not a text file"),
            ("wrong exercise", lambda: server.submit(alice, "nope", [("main.py", py_correct)]),
             404, "no exercise \"nope\""),
            ("too large", lambda: server.submit(alice, "backprop",
                                                [("main.py", b"#" * (1200 * 1024))]),
             413, "larger than"),
            ("not a zip", lambda: server.submit_zip(alice, "backprop", b"hello"), 400,
             "not a zip archive"),
            ("a name that is not UTF-8", lambda: server.submit(alice, "backprop", [(
                "main\udcff.py", py_correct)]), 400, "not UTF-8 text"),
            ("no file", lambda: server.submit(alice, "backprop", []), 400, "could not be read"),
            ("after the cut-off", lambda: server.submit(alice, "backprop-training",
                                                         [("main.py", py_correct)]),
             403, "closed"),
        ]
        for name, send, want, words in refusals:
            status, body = send()
            c.check(status == want and isinstance(body, dict) and words in body.get("error", ""),
                    f"refused {name}: want {want} with {words!r}, got {status} {body}")
        _, after = server.request("GET", "/api/v1/submissions?exercise=backprop", alice)
        c.check(len(after["submissions"]) == len(before["submissions"]),
                "no refused upload was stored as a submission")
        c.check(stored_files(data) == before_files, "no file of a refused upload was stored")

        # Malformed and hostile requests get a 4xx (or a closed connection), never a 5xx, and
        # the server goes on.
        hostile = [
            b"GARBAGE\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 100000 + b"\r\n\r\n",
            b"POST /api/v1/submissions?exercise=backprop HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + alice.encode() + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=zz\r\nContent-Length: 12\r\n\r\n"
            b"--zz\r\nbroken",
            b"POST /api/v1/submissions?exercise=backprop HTTP/1.1\r\nHost: x\r\n"
            b"Content-Length: -5\r\n\r\n",
            b"GET /api/v1/submissions/%00%ff HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /api/v1/reports/backprop?format=%ff%00 HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + prof.encode() + b"\r\n\r\n",
            b"GET /api/v1/submissions?exercise=" + b"%2e%2e%2f" * 50 + b" HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + alice.encode() + b"\r\n\r\n",
            b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer gt_" + b"\xff" * 64
            + b"\r\n\r\n",
        ]
        for raw in hostile:
            answer = raw_request(server.port, raw)
            status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
            c.check(status == 0 or 400 <= status < 500,
                    f"hostile request {raw[:60]!r}: answered {answer[:80]!r}")
        status, body = server.request("GET", "/healthz")
        c.check(status == 200 and server.proc.poll() is None, "the server survives them")

        # Students see only their own; an instructor sees everyone's.
        status, body = server.request("GET", f"/api/v1/submissions/{first['id']}", bob)
        c.check(status == 403, f"bob reads alice's submission: {status}")
        status, body = server.request("GET", "/api/v1/submissions?exercise=backprop", bob)
        c.check(status == 200 and body["submissions"] == [], f"bob's list: {body}")
        status, body = server.request("GET", "/api/v1/submissions?exercise=backprop", prof)
        c.check(status == 200 and len(body["submissions"]) == 4, "prof's list has everyone's")

        # An extension: bob is on time.
        status, body = server.request("POST", "/api/v1/extensions?exercise=backprop&user=bob"
                                      f"&due={iso(now + DAY)}", prof)
        c.check(status == 200, f"extension: {status} {body}")
        status, body = server.submit(bob, "backprop", [("main.py", py_correct)])
        bobs = server.wait_done(bob, body["id"])
        c.check(bobs.get("score") == 10 and bobs["late"]["days_late"] == 0, "extension applies")

        # The class report, in every format.
        for fmt, words in [("json", '"submissions"'), ("csv", "alice"), ("junit", "<testsuites"),
                           ("markdown", "alice"), ("html", "<html"), ("gradescope", "alice")]:
            status, body = server.request("GET", f"/api/v1/reports/backprop?format={fmt}", prof)
            text = json.dumps(body) if isinstance(body, dict) else body
            c.check(status == 200 and words in text, f"report {fmt}: {status} {text[:200]}")
        status, body = server.request("GET", "/api/v1/reports/backprop?format=json", prof)
        scores = {s["id"]: s["score"] for s in body["submissions"]}
        c.check(scores == {"alice": 8.0, "bob": 10.0}, f"class report scores: {scores}")
        late_words = "late by 2 days: 20% of the maximum taken off (score before the penalty: 10)"
        for fmt in ("json", "html", "gradescope"):
            status, body = server.request("GET", f"/api/v1/reports/backprop?format={fmt}", prof)
            text = json.dumps(body) if isinstance(body, dict) else body
            c.check(late_words in text, f"the penalty in words in the {fmt} report")
        status, body = server.request("GET", "/api/v1/reports/backprop?format=csv", prof)
        c.check("\r\nalice,graded,8," in body, f"the penalised score in the csv report: {body}")

        # Similarity over the class (each student's counted submission), instructors only.
        dave, erin = server.token("dave"), server.token("erin")
        copied = (subs / "py-gradient-missing-factor-2" / "main.py").read_bytes()
        for who, text in ((dave, copied), (erin, copied.replace(b"sigmoid", b"squash"))):
            status, body = server.submit(who, "backprop", [("main.py", text)])
            server.wait_done(who, body["id"])
        status, body = server.request("GET", "/api/v1/similarity/backprop", erin)
        c.check(status == 403, f"student on the similarity check: {status}")
        status, body = server.request("GET", "/api/v1/similarity/backprop")
        c.check(status == 401, f"similarity without a token: {status}")
        status, body = server.request("GET", "/api/v1/similarity/backprop?format=json", prof)
        pairs = [{p["a"], p["b"]} for p in body.get("pairs", [])] if status == 200 else []
        c.check({"dave", "erin"} in pairs,
                f"the renamed copy is found: {status} {pairs} {str(body)[:300]}")
        for fmt, words in [("csv", "dave"), ("html", "<html")]:
            status, body = server.request("GET", f"/api/v1/similarity/backprop?format={fmt}", prof)
            c.check(status == 200 and words in body, f"similarity {fmt}: {status} {body[:200]}")
        status, body = server.request("GET", "/api/v1/similarity/backprop?format=pdf", prof)
        c.check(status == 400 and "unknown format" in body["error"], f"similarity pdf: {status}")

        # A student chooses which submission counts; the class report follows the choice.
        status, body = server.request("POST", f"/api/v1/submissions/{first['id']}/choose", bob)
        c.check(status == 403, f"bob chooses alice's submission: {status}")
        status, body = server.request("POST", f"/api/v1/submissions/{first['id']}/choose", alice)
        c.check(status == 200 and body.get("chosen") is True, f"choose: {status} {body}")
        status, body = server.request("GET", "/api/v1/reports/backprop?format=json", prof)
        paths = {s["id"]: s["path"] for s in body["submissions"]}
        c.check(paths.get("alice") == first["id"], f"the report takes the chosen one: {paths}")
        status, body = server.request("GET", f"/api/v1/submissions/{first['id']}", alice)
        c.check(body.get("chosen") is True, "the chosen submission says so")

        # Revoking works at once; a roster gives each student a token.
        server.token("bob", "--revoke")
        status, body = server.request("GET", "/api/v1/me", bob)
        c.check(status == 401, f"revoked token: {status}")
        roster = tmp / "class.csv"
        roster.write_text("id,name,email\ns100,\"Lovelace, Ada\",ada@example.org\ns101,Alan,\n")
        run = subprocess.run([args.grader, "token", "--roster", str(roster), "--data", str(data)],
                             capture_output=True, text=True, timeout=60)
        lines = run.stdout.strip().splitlines()
        c.check(run.returncode == 0 and lines[0] == "id,token" and len(lines) == 3,
                f"roster: {run.stdout} {run.stderr}")
        status, body = server.request("GET", "/api/v1/me", lines[1].split(",")[1])
        c.check(status == 200 and body["name"] == "Lovelace, Ada", f"roster token: {body}")

        # kill -9 with jobs queued and running, then a restart: each done exactly once.
        carol = server.token("carol")
        accepted = []
        for i in range(6):
            # Unique each run, so that no cached result can stand in for grading.
            files = [(n, d + f"\n// {i} {uuid.uuid4()}\n".encode()) for n, d in multi_files]
            status, body = server.submit(carol, "backprop", files)
            if status == 202:
                accepted.append(body["id"])
        c.check(len(accepted) == 6, f"6 accepted: {accepted}")
        deadline = time.time() + 60
        while time.time() < deadline:
            _, health = server.request("GET", "/healthz")
            if health["busy"] > 0:
                break
            time.sleep(0.05)
        c.check(server.stop(9) == -9, "killed with -9")
        db = sqlite3.connect(data / "grader.sqlite3")
        states = dict(db.execute("SELECT id, state FROM submissions WHERE user_id = 'carol'"))
        db.close()
        c.check("running" in states.values() or "queued" in states.values(),
                f"some jobs were unfinished at the kill: {states}")
        server = Server(args.grader, data, common)
        c.check(any("went back to the queue" in line for line in server.output)
                or "running" not in states.values(), "the restart requeues running jobs")
        for ident in accepted:
            server.wait_done(carol, ident)
        db = sqlite3.connect(data / "grader.sqlite3")
        rows = db.execute("SELECT id, state, result_json FROM submissions "
                          "WHERE user_id = 'carol'").fetchall()
        db.close()
        c.check(sorted(r[0] for r in rows) == sorted(accepted)
                and all(r[1] == "done" and json.loads(r[2])["status"] == "graded" for r in rows),
                "after the restart every accepted submission is done once, with its result")

        # SIGTERM: stops cleanly, leaving no job running.
        server.submit(carol, "backprop", multi_files)
        code = server.stop(15)
        c.check(code == 0 and any("stopped;" in line for line in server.output),
                f"SIGTERM: exit {code}: {''.join(server.output)[-300:]}")
        db = sqlite3.connect(data / "grader.sqlite3")
        running = db.execute("SELECT COUNT(*) FROM submissions WHERE state = 'running'").fetchone()
        db.close()
        c.check(running[0] == 0, "no job left running after SIGTERM")

        # The rate limit, on a server of its own: the third submission in a minute is refused.
        limited = Server(args.grader, tmp / "data-limited",
                         ["--workers", "1", "--exercises", str(root / "exercises"),
                          "--per-minute", "2"])
        dave = limited.token("dave")
        codes = [limited.submit(dave, "backprop", [("main.py", py_correct)]) for _ in range(3)]
        c.check([s for s, _ in codes] == [202, 202, 429]
                and "more than 2 submissions in a minute" in codes[2][1]["error"],
                f"rate limit: {codes[2]}")
        limited.stop()
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
