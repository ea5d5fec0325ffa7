"""A pass/fail counter shared by the end-to-end check scripts.

Each failed check prints one `FAIL:` line (CTest's FAIL_REGULAR_EXPRESSION looks for it);
finish() prints the closing `N passed, N failed` line and returns the exit code.
"""


class Checker:
    def __init__(self, verbose=False):
        self.passed = 0
        self.failed = 0
        self.verbose = verbose  # also print one `ok:` line per passed check

    def check(self, ok, what):
        if ok:
            self.passed += 1
            if self.verbose:
                print(f"ok: {what.splitlines()[0]}")
        else:
            self.failed += 1
            print(f"FAIL: {what}")
        return ok

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
