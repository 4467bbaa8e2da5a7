"""The shipped deployment files are valid as shipped: nginx accepts deploy/nginx/assessment.conf
(TLS included, which the multi-host test strips), systemd accepts the units, and .env.example
starts the settings and names only variables the settings read."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _run(*command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)  # noqa: S603


def test_nginx_accepts_the_shipped_site_with_tls(tmp_path):
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    made = _run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=assessment.example.cn", "-keyout", str(key), "-out", str(certificate),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    site = (DEPLOY / "nginx" / "assessment.conf").read_text()
    assert "/etc/ssl/assessment/" in site
    site = site.replace("/etc/ssl/assessment/", f"{tmp_path}/")
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    access_log off;\n    client_body_temp_path {tmp_path}/body;\n"
        f"    proxy_temp_path {tmp_path}/proxy;\n{site}\n}}\n"
    )
    checked = _run("nginx", "-t", "-q", "-e", str(tmp_path / "error.log"), "-c", str(main))
    assert checked.returncode == 0, checked.stderr


def _verify_units(tmp_path: Path) -> subprocess.CompletedProcess:
    units = tmp_path / "units"
    units.mkdir()
    environment = tmp_path / "environment"
    environment.write_text("PRODUCTION=false\n")
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text()
        # Where the units expect the checkout and its environment, this checkout and a file.
        text = text.replace("/opt/assessment", str(ROOT))
        text = text.replace("/etc/assessment/environment", str(environment))
        # The service account exists on the host (docs/deployment.md); here run as root.
        text = re.sub(r"^(User|Group)=assessment$", r"\1=root", text, flags=re.MULTILINE)
        (units / unit.name).write_text(text)
    return _run(
        "systemd-analyze",
        "verify",
        "--man=no",
        *sorted(str(path) for path in units.iterdir()),
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )


def test_systemd_accepts_the_shipped_units(tmp_path):
    verified = _verify_units(tmp_path)
    # Each problem (unknown key, bad value, missing executable) is a line on stderr.
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == ""


def test_gunicorn_keeps_idle_connections_longer_than_nginx_reuses_them():
    # Otherwise nginx can write a request into a connection gunicorn is closing, and a POST,
    # which nginx must not retry, is answered 502 (seen in the deadline benchmark).
    from tests.deployment.cluster import gunicorn_keep_alive

    site = (DEPLOY / "nginx" / "assessment.conf").read_text()
    upstream = re.search(r"upstream assessment_web \{(.*?)\n\}", site, flags=re.DOTALL).group(1)
    nginx_idle = re.search(r"keepalive_timeout (\d+)s;", upstream)
    assert nginx_idle, "nginx must say how long an idle upstream connection lives"
    assert int(gunicorn_keep_alive()) > int(nginx_idle.group(1))


def _example_environment() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_env_example_names_only_variables_the_settings_read():
    read = set()
    for module in (ROOT / "config").glob("*.py"):
        read |= set(re.findall(r'env_[a-z]+\(\s*"([A-Z0-9_]+)"', module.read_text()))
    assert read, "config/ reads no variables: the pattern above is out of date"
    assert set(_example_environment()) - read == set()


def test_env_example_starts_the_settings(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "SYSTEMROOT"}
    }
    environment.update(_example_environment())
    environment.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path / "var")}
    )
    environment["MEDIA_ROOT"] = str(tmp_path / "var" / "private")
    shown = _run(
        sys.executable,
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EVIDENCE_MAX_BYTES // 2**20, s.TIME_ZONE, s.ALLOWED_HOSTS, "
        "s.DATABASES['default']['ENGINE'])",
        cwd=ROOT,
        env=environment,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[:2] == ["20", "Asia/Shanghai"]
    assert "postgresql" in shown.stdout
