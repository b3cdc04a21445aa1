"""scripts/run.sh starts the FIT-Connect test server and reference subscriber for the demo.

Like ``tests/scripts/test_run_sh.py``: a copy of the tree with stub programs (here also a stub
``python``), so no real process is needed. The server stub dies at once, every time: run.sh must
initialise the state once, start both processes, restart the dying one and keep the web up.
"""

import os
import signal
import subprocess

from tests.scripts.test_run_sh import NO_DEMO_IDP, alive, started, stub_tree, wait_for

PYTHON_STUB = """#!/usr/bin/env bash
echo "$$ $*" >> "{log}"
case "$*" in
  *"fitconnect_dev.server init"*) exit 0 ;;
  *"manage.py fitconnect_demo_destinations"*) echo "export FITCONNECT_SUBMISSION_API_URL=http://stub/v1"; exit 0 ;;
  *"fitconnect_dev.server --host"*) sleep 0.3; exit 3 ;;   # the test server crashes at once
  *) trap 'exit 0' TERM; while true; do sleep 0.1; done ;;
esac
"""


def _tree(tmp_path):
    log = stub_tree(tmp_path)
    python = tmp_path / ".venv" / "bin" / "python"
    python.write_text(PYTHON_STUB.format(log=log))
    python.chmod(0o755)
    (tmp_path / "fitconnect_dev").mkdir()
    return log


def test_run_sh_starts_and_restarts_the_fitconnect_processes(tmp_path):
    log = _tree(tmp_path)
    run = subprocess.Popen(["bash", str(tmp_path / "scripts" / "run.sh")], cwd=tmp_path,
                           env={**os.environ, **NO_DEMO_IDP, "RESTART_DELAY": "0.2", "FITCONNECT_DEV_PORT": "8987"},
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: sum("fitconnect_dev.server --host" in a for _, a in started(log)) >= 3)
        inits = [a for _, a in started(log) if "fitconnect_dev.server init" in a]
        assert inits == ["-m fitconnect_dev.server init --state var/fitconnect"]
        demo = [a for _, a in started(log) if "fitconnect_demo_destinations" in a]
        assert demo == ["manage.py fitconnect_demo_destinations --state var/fitconnect "
                        "--print-env http://127.0.0.1:8987"]
        server = next(a for _, a in started(log) if "fitconnect_dev.server --host" in a)
        assert server == "-m fitconnect_dev.server --host 127.0.0.1 --port 8987 --state var/fitconnect"
        subscribers = [(pid, a) for pid, a in started(log) if "fitconnect_dev.subscriber" in a]
        assert [a for _, a in subscribers] == [
            "-m fitconnect_dev.subscriber --state var/fitconnect --server http://127.0.0.1:8987"]
        web = [pid for pid, a in started(log) if a.startswith("config.wsgi")]
        assert alive(subscribers[0][0]) and alive(web[0]) and run.poll() is None
    finally:
        run.send_signal(signal.SIGTERM)
        stderr = run.communicate(timeout=20)[1]
    assert "run.sh: fitconnect-server exited with status 3; restarting in 0.2 s" in stderr
    assert wait_for(lambda: not any(alive(pid) for pid, _ in started(log)))


def test_run_sh_without_the_development_package_starts_neither(tmp_path):
    log = _tree(tmp_path)
    run = subprocess.Popen(["bash", str(tmp_path / "scripts" / "run.sh")], cwd=tmp_path,
                           env={**os.environ, **NO_DEMO_IDP, "RESTART_DELAY": "0.2", "FITCONNECT_DEV": "false"},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: any(a.startswith("config.wsgi") for _, a in started(log)))
        assert not [a for _, a in started(log) if "fitconnect_dev" in a]
    finally:
        run.send_signal(signal.SIGTERM)
        run.communicate(timeout=20)
    assert wait_for(lambda: not any(alive(pid) for pid, _ in started(log)))
