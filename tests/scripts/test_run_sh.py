"""scripts/run.sh keeps serving when the Celery worker dies: the worker is started again, the
web server stays up, and stopping run.sh stops everything. The three programs are stubs
(shell scripts in a copy of the tree), so the test needs no database or broker; an
OIDC_ISSUER is given so that run.sh does not set up the demo OpenID provider."""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from django.conf import settings

STUB = """#!/usr/bin/env bash
echo "$$ $*" >> "{log}"
case "$*" in
  "-A config worker"*) sleep 0.3; exit 1 ;;   # the worker crashes at once, every time
  *) trap 'exit 0' TERM; while true; do sleep 0.1; done ;;
esac
"""


NO_DEMO_IDP = {"OIDC_ISSUER": "http://idp.invalid"}


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def started(log: Path) -> list[tuple[int, str]]:
    if not log.exists():
        return []
    return [(int(line.split(" ", 1)[0]), line.split(" ", 1)[1]) for line in log.read_text().splitlines()]


def stub_tree(root: Path) -> Path:
    """A copy of scripts/run.sh with stub `celery` and `gunicorn` programs; returns their log."""
    (root / "scripts").mkdir()
    shutil.copy(Path(settings.BASE_DIR) / "scripts" / "run.sh", root / "scripts" / "run.sh")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    log = root / "started.log"
    for name in ("celery", "gunicorn"):
        stub = bin_dir / name
        stub.write_text(STUB.format(log=log))
        stub.chmod(0o755)
    return log


def test_a_dying_worker_is_restarted_and_web_keeps_running(tmp_path):
    log = stub_tree(tmp_path)
    run = subprocess.Popen(["bash", str(tmp_path / "scripts" / "run.sh")], cwd=tmp_path,
                           env={**os.environ, **NO_DEMO_IDP, "RESTART_DELAY": "0.2", "PORT": "8999"},
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: sum(args.startswith("-A config worker") for _, args in started(log)) >= 3)
        web = [pid for pid, args in started(log) if args.startswith("config.wsgi")]
        beat = [pid for pid, args in started(log) if args.startswith("-A config beat")]
        assert len(web) == 1 and len(beat) == 1
        assert alive(web[0]) and alive(beat[0]) and run.poll() is None
    finally:
        run.send_signal(signal.SIGTERM)
        stderr = run.communicate(timeout=20)[1]
    assert "run.sh: worker exited with status 1; restarting in 0.2 s" in stderr
    assert wait_for(lambda: not any(alive(pid) for pid, _ in started(log)))


def test_web_exiting_stops_everything(tmp_path):
    log = stub_tree(tmp_path)
    run = subprocess.Popen(["bash", str(tmp_path / "scripts" / "run.sh")], cwd=tmp_path,
                           env={**os.environ, **NO_DEMO_IDP, "RESTART_DELAY": "0.2"},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: any(args.startswith("config.wsgi") for _, args in started(log)))
        web = next(pid for pid, args in started(log) if args.startswith("config.wsgi"))
        os.kill(web, signal.SIGTERM)
        assert run.wait(timeout=20) is not None
    finally:
        if run.poll() is None:
            run.kill()
    assert wait_for(lambda: not any(alive(pid) for pid, _ in started(log)))
