"""Runs one scope of the `ogctests` suite through its own entry point `run_ogctests` and
exits with pytest's exit code. Run by .venv-ogctests' Python, never imported by the
project's tests: `python -m ogctests` prints results but always exits 0, so it cannot tell
a failing run from a passing one.

Usage: run_scope.py SCOPE URL JUNIT_XML [PYTEST_FLAG ...]
"""
import sys

from ogctests.main import run_ogctests

if __name__ == "__main__":
    scope, url, junit, *flags = sys.argv[1:]
    sys.exit(int(run_ogctests(scope, url, flags=[f"--junit-xml={junit}", "-p", "no:cacheprovider", *flags])))
