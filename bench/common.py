"""Small helpers shared by the benchmarks: timing, a clean slate, a gunicorn to measure,
concurrent clients driving it, and the pinned side venvs of the peers we compare with."""
import hashlib
import subprocess
import sys
import threading
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

    def __init__(self, gunicorn: Path, app: str, port: int, env: dict, cwd: Path, workers: int = 2,
                 worker_class: str = "sync"):
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(gunicorn), app, "--workers", str(workers), "--worker-class", worker_class,
             "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning"],
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


def drive(jobs: list, send, *, clients: int) -> tuple[float, list[float]]:
    """Run send(job, state) for every job from `clients` threads; (jobs per second, the latency
    of each job in seconds). `state` is a dict per thread (e.g. its own connection); a callable
    it holds under "close" is called when the thread ends. Any failed job fails the run."""
    queue = list(jobs)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def worker():
        state = {}
        while True:
            with lock:
                if not queue:
                    break
                job = queue.pop()
            t0 = time.perf_counter()
            try:
                send(job, state)
            except Exception as exc:  # noqa: BLE001 (collected and raised below)
                errors.append(f"{job!r:.200}: {exc!r}")
            latencies.append(time.perf_counter() - t0)
        if "close" in state:
            state["close"]()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return len(jobs) / elapsed, latencies


def http_get(url: str, state: dict | None = None) -> bytes:
    """GET `url` (a `drive` job); the body, or an error for any status but 200."""
    with urllib.request.urlopen(url, timeout=60) as response:
        if response.status != 200:
            raise RuntimeError(f"status {response.status}")
        return response.read()


def percentile_ms(latencies: list[float], percent: float) -> float:
    """The `percent` percentile of `latencies` (seconds), in milliseconds (nearest rank)."""
    ordered = sorted(latencies)
    rank = max(1, -(-len(ordered) * percent // 100))  # ceil without floats
    return ordered[int(rank) - 1] * 1000


def side_venv(venv: Path, requirements: Path, *, label: str) -> Path | None:
    """`venv` with the pinned `requirements` installed (re-created when the pins change), or
    None when it cannot be installed (the caller says so and measures without that peer)."""
    stamp = venv / ".requirements.sha256"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return venv
    print(f"{label}: installing {requirements.name} into {venv} (pinned, once) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                        "-r", str(requirements)], check=True, timeout=900, capture_output=True, text=True)
    except subprocess.CalledProcessError as exc:
        print(f"{label}: {requirements.name} could not be installed: {(exc.stderr or '').strip().splitlines()[-1:]}")
        return None
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"{label}: {requirements.name} could not be installed: {exc}")
        return None
    stamp.write_text(digest)
    return venv
