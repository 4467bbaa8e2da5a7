from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list


def test_booleans_accept_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", False)


def test_a_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "abc")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='abc' is not a whole number"):
        env_int("EMAIL_PORT", 25)


def test_numbers_below_their_minimum_are_refused(monkeypatch):
    monkeypatch.setenv("EVIDENCE_MAX_MB", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("EVIDENCE_MAX_MB", 20, minimum=1)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.cn, b.cn,,")
    assert env_list("ALLOWED_HOSTS", []) == ["a.cn", "b.cn"]


def test_production_refuses_to_start_without_a_secret_key():
    import os
    import subprocess
    import sys

    environment = {**os.environ, "PRODUCTION": "true", "SECRET_KEY": ""}
    environment.pop("DATABASE_URL", None)
    finished = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode != 0
    assert "SECRET_KEY" in finished.stderr
