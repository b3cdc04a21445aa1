"""Small helpers shared by the benchmarks: timing, a clean slate and a gunicorn to measure."""
import subprocess
import time
import urllib.request
from pathlib import Path

from django.db import connection


def clear_tables() -> None:
    """Empty the project tables of the bench database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reporter_report, reporter_statuschange, reporter_reportphoto, reporter_support, "
            "routing_rules_routingrule, routing_rules_category, routing_rules_department, "
            "geodata_jurisdictionarea, geodata_jurisdictionlayer, notifications_notification CASCADE"
        )


def best_of(fn, *, repeat: int = 3) -> float:
    """The best wall-clock time of `repeat` runs of fn(), in seconds (least disturbed by noise)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


class GunicornServer:
    """A gunicorn started for one measurement and always stopped afterwards (`workers` processes
    on 127.0.0.1:`port`)."""

    def __init__(self, gunicorn: Path, app: str, port: int, env: dict, cwd: Path, workers: int = 2):
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(gunicorn), app, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--no-control-socket",
             "--log-level", "warning"],
            env=env, cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server at {self.url} exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"server at {self.url} did not answer within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
