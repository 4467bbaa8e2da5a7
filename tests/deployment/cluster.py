"""A small deployment on loopback: two web hosts (gunicorn), task workers and nginx in front,
all on one database, one Redis and one S3 bucket. Used by the multi-host test and by
`python -m benchmarks bench_deadline`.

nginx runs deploy/nginx/assessment.conf itself, templated for the loopback ports: the
upstream lists the two web hosts, the TLS server listens on plain HTTP (every replacement is
checked, so a changed config breaks the test loudly instead of testing something else).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.services import ROOT, free_port, stop_process, wait_for_port

NGINX_CONFIG = ROOT / "deploy" / "nginx" / "assessment.conf"
WEB_UNIT = ROOT / "deploy" / "systemd" / "assessment-web.service"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django is connected to (the test database)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def gunicorn_keep_alive() -> str:
    """The shipped web unit's --keep-alive, so the cluster runs what is deployed."""
    found = re.search(r"--keep-alive (\d+)", WEB_UNIT.read_text())
    if found is None:
        raise AssertionError("deploy/systemd/assessment-web.service sets no --keep-alive")
    return found.group(1)


def nginx_config(*, listen: int, upstreams: list[int], directory: Path) -> str:
    """deploy/nginx/assessment.conf for loopback, inside a main config of its own."""
    site = NGINX_CONFIG.read_text()
    replacements = [
        (
            r"    server 10\.0\.0\.11:8000 max_fails=3 fail_timeout=10s;\n"
            r"    server 10\.0\.0\.12:8000 max_fails=3 fail_timeout=10s;\n",
            "".join(
                f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in upstreams
            ),
        ),
        (r"server \{\n    listen 80;.*?\n\}\n", ""),  # the HTTPS redirect
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{listen};"),
        (r"\n    ssl_[a-z_]+ [^\n]+;", ""),
        (
            r"proxy_set_header X-Forwarded-Proto \$scheme;",
            "proxy_set_header X-Forwarded-Proto http;",
        ),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site, flags=re.DOTALL)
        if not count:
            raise AssertionError(f"deploy/nginx/assessment.conf changed: no match for {pattern!r}")
    return f"""
worker_processes 2;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
daemon off;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    {site}
}}
"""


@dataclass
class Cluster:
    environment: dict[str, str]
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pma-cluster-")))
    web_ports: list[int] = field(default_factory=list)
    nginx_port: int = 0
    web: list[subprocess.Popen] = field(default_factory=list)
    workers: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    def url(self, host: str) -> str:
        """host: "a", "b" (a web host directly) or "nginx"."""
        if host == "nginx":
            return f"http://127.0.0.1:{self.nginx_port}"
        return f"http://127.0.0.1:{self.web_ports['ab'.index(host)]}"

    def _log(self, name: str):
        return (self.directory / f"{name}.log").open("ab")

    def start_web(self, *, hosts: int = 2, workers: int = 2, threads: int = 4) -> None:
        for index in range(hosts):
            port = free_port()
            self.web_ports.append(port)
            self.web.append(
                subprocess.Popen(  # noqa: S603 -- our own gunicorn, fixed arguments
                    [
                        GUNICORN,
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(workers),
                        "--threads",
                        str(threads),
                        "--timeout",
                        "120",
                        "--keep-alive",
                        gunicorn_keep_alive(),
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=self.environment,
                    stdout=self._log(f"web-{index}"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for port in self.web_ports:
            wait_for_port(port, timeout=60)
            self.wait_healthy(f"http://127.0.0.1:{port}")

    def start_worker(self) -> subprocess.Popen:
        worker = subprocess.Popen(  # noqa: S603 -- manage.py task_worker
            [PYTHON, "manage.py", "task_worker", "--queue-name", "*", "--interval", "0.2"],
            cwd=ROOT,
            env=self.environment,
            stdout=self._log(f"worker-{len(self.workers)}"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                stop_process(worker, timeout=30)

    def kill_worker(self, worker: subprocess.Popen) -> None:
        """As a machine dying would: no clean shutdown."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def start_nginx(self) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx_port = free_port()
        config = self.directory / "nginx.conf"
        config.write_text(
            nginx_config(listen=self.nginx_port, upstreams=self.web_ports, directory=self.directory)
        )
        self.nginx = subprocess.Popen(  # noqa: S603 -- Debian's nginx, our config
            [binary, "-p", str(self.directory), "-c", str(config), "-e", "stderr"],
            stdout=self._log("nginx"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.nginx_port, timeout=20)
        self.wait_healthy(self.url("nginx"))

    @staticmethod
    def wait_healthy(base: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{base}/healthz does not answer")
            time.sleep(0.2)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.directory.glob("*.log"))
        )

    def stop(self) -> None:
        for process in [*self.web, *self.workers, *([self.nginx] if self.nginx else [])]:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in [*self.web, *self.workers, *([self.nginx] if self.nginx else [])]:
            stop_process(process, timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


def cluster_environment(
    *, database: str, cache_url: str, s3: dict[str, str], **extra: str
) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "S3_", "CACHE_", "PMA_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database,
            "CACHE_URL": cache_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PRODUCTION": "false",
            "DEBUG": "false",
            "PYTHONUNBUFFERED": "1",
            "PYTHON": sys.executable,
            **s3,
            **extra,
        }
    )
    return environment
