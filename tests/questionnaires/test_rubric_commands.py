"""check_rubric and load_rubric, and the immutability of stored rubric versions."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from assessment.errors import ApplicationError
from questionnaires.models import RubricVersion
from questionnaires.rubric import parse_rubric_file
from questionnaires.services import default_rubric_version, rubric_version_load
from tests.factories import CycleFactory, SubmissionFactory, admin

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RUBRIC = ROOT / "questionnaires/rubrics/iip-2026@1.0.yaml"
DEFAULT_TEXT = DEFAULT_RUBRIC.read_text(encoding="utf-8")
D1_WEIGHTS = "weights: {specialized: 10, industry: 12, collaborative: 10}"
D1_2_GROWTH_TARGET = "target: {specialized: 20000, industry: 100000}"


def rubric_copy(directory: Path, *replacements: tuple[str, str], version: str = "1.0") -> Path:
    """The default rubric with text replaced (each once), saved under its code@version name."""
    text = DEFAULT_TEXT.replace('version: "1.0"', f'version: "{version}"', 1)
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = directory / f"iip-2026@{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def command(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def manage(*args: str) -> subprocess.CompletedProcess:
    # check_rubric needs no database; an unreachable one shows it never connects.
    env = {**os.environ, "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/none"}
    return subprocess.run(  # noqa: S603 (our own manage.py with fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- check_rubric --------------------------------------------------------------------------------


def test_check_rubric_accepts_the_default_rubric():
    # 1.0 is valid; the design-rule warnings that follow do not refuse it.
    assert command("check_rubric", str(DEFAULT_RUBRIC)).startswith(
        "iip-2026@1.0: OK (8 dimensions, 50 indicators).\n14 warning(s):\n"
    )


def test_check_rubric_exits_0_for_a_valid_file_and_1_for_a_defective_one(tmp_path):
    defective = rubric_copy(tmp_path, (D1_WEIGHTS, D1_WEIGHTS.replace("12", "13")))
    valid = manage("check_rubric", str(DEFAULT_RUBRIC))
    invalid = manage("check_rubric", str(defective))
    assert (valid.returncode, invalid.returncode) == (0, 1)
    assert invalid.stdout == ""
    assert "weights.industry" in invalid.stderr or "industry" in invalid.stderr


@pytest.mark.parametrize(
    ("replacements", "path"),
    [
        (
            [(D1_2_GROWTH_TARGET, "target: {specialized: 20000}")],
            "dimensions[0].indicators[1].criteria[1].target.industry: missing",
        ),
        (
            [("type: ordinal", "type: ordinary")],
            "dimensions[0].indicators[3].type:",
        ),
        (
            [("evidence: required", "evidence: sometimes")],
            "dimensions[0].indicators[0].evidence:",
        ),
        (
            [("- tier: basic", "- tier: beginner")],
            "dimensions[0].indicators[0].criteria[0].tier:",
        ),
        (
            [("code: D1.2", "code: D1.1")],
            "dimensions[0].indicators[1].code:",
        ),
    ],
    ids=["missing-target", "unknown-type", "unknown-evidence", "unknown-tier", "duplicate-code"],
)
def test_check_rubric_names_each_defect_with_its_path(tmp_path, replacements, path):
    defective = rubric_copy(tmp_path, *replacements)
    with pytest.raises(CommandError) as raised:
        command("check_rubric", str(defective))
    assert path in str(raised.value)


def test_check_rubric_lists_every_problem_at_once(tmp_path):
    defective = rubric_copy(
        tmp_path,
        (D1_2_GROWTH_TARGET, "target: {specialized: 20000}"),
        ("type: ordinal", "type: ordinary"),
    )
    with pytest.raises(CommandError) as raised:
        command("check_rubric", str(defective))
    message = str(raised.value)
    assert message.startswith(f"{defective}: 2 problem(s):")
    assert "criteria[1].target.industry: missing" in message
    assert "indicators[3].type:" in message


def test_check_rubric_refuses_a_file_named_unlike_its_code_and_version(tmp_path):
    misnamed = tmp_path / "rubric.yaml"
    misnamed.write_text(DEFAULT_TEXT, encoding="utf-8")
    with pytest.raises(CommandError, match="does not match code@version"):
        command("check_rubric", str(misnamed))


def test_check_rubric_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        command("check_rubric", str(tmp_path / "iip-2026@9.9.yaml"))


# --- load_rubric ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_rubric_stores_a_new_version(tmp_path):
    path = rubric_copy(tmp_path, version="1.1")
    assert command("load_rubric", str(path)) == "Stored rubric iip-2026@1.1.\n"
    stored = RubricVersion.objects.get(code="iip-2026", version="1.1")
    assert stored.fingerprint == parse_rubric_file(path).fingerprint()
    assert stored.definition == parse_rubric_file(path).to_dict()


@pytest.mark.django_db
def test_load_rubric_of_the_same_file_again_changes_nothing():
    command("load_rubric", str(DEFAULT_RUBRIC))
    loaded_at = RubricVersion.objects.get().loaded_at
    assert command("load_rubric", str(DEFAULT_RUBRIC)) == (
        "Rubric iip-2026@1.0 is already stored, unchanged.\n"
    )
    assert command("load_rubric", "--if-new", str(DEFAULT_RUBRIC)) == ""
    assert RubricVersion.objects.get().loaded_at == loaded_at


@pytest.mark.django_db
def test_load_rubric_refuses_an_edited_file_under_the_same_code_and_version(tmp_path):
    stored = default_rubric_version()
    edited = rubric_copy(tmp_path, (D1_2_GROWTH_TARGET, D1_2_GROWTH_TARGET.replace("100", "150")))
    with pytest.raises(CommandError, match="already stored with different content"):
        with translation.override("en"):
            command("load_rubric", str(edited))
    assert RubricVersion.objects.get().fingerprint == stored.fingerprint


@pytest.mark.django_db
def test_load_rubric_refuses_an_edited_file_even_when_only_a_text_changed(tmp_path):
    default_rubric_version()
    edited = rubric_copy(tmp_path, ('en: "Connected industrial devices"', 'en: "Devices"'))
    with pytest.raises(CommandError, match="iip-2026@1.0"):
        command("load_rubric", str(edited))


@pytest.mark.django_db
def test_load_rubric_stores_nothing_from_a_defective_file(tmp_path):
    defective = rubric_copy(tmp_path, ("type: ordinal", "type: ordinary"), version="1.1")
    with pytest.raises(CommandError, match=r"1 problem\(s\)"):
        command("load_rubric", str(defective))
    assert not RubricVersion.objects.exists()


@pytest.mark.django_db
def test_service_refuses_an_edited_file_with_an_application_error(tmp_path):
    default_rubric_version()
    edited = rubric_copy(
        tmp_path, (D1_WEIGHTS, D1_WEIGHTS.replace("{specialized: 10", "{specialized: 10 "))
    )
    # Same content written differently (a space) is the same rubric: no refusal.
    assert rubric_version_load(path=edited) == (RubricVersion.objects.get(), False)
    changed = rubric_copy(tmp_path, ("gate: true", "gate: false"))
    with pytest.raises(ApplicationError) as raised:
        rubric_version_load(path=changed)
    assert raised.value.code == "rubric_version_changed"


# --- Stored versions never change -----------------------------------------------------------------


@pytest.mark.django_db
def test_stored_version_cannot_be_saved_again():
    stored = default_rubric_version()
    stored.title_en = "Something else"
    with pytest.raises(PermissionError, match="never changes"):
        stored.save()
    stored.refresh_from_db()
    assert stored.title_en != "Something else"


@pytest.mark.django_db
def test_stored_version_cannot_be_changed_through_a_queryset():
    default_rubric_version()
    with pytest.raises(PermissionError):
        RubricVersion.objects.filter(code="iip-2026").update(definition={})
    assert RubricVersion.objects.get().definition["code"] == "iip-2026"


@pytest.mark.django_db
def test_stored_version_cannot_be_changed_by_bulk_update():
    stored = default_rubric_version()
    stored.fingerprint = "0" * 64
    with pytest.raises(PermissionError), transaction.atomic():
        RubricVersion.objects.bulk_update([stored], ["fingerprint"])
    assert RubricVersion.objects.get().fingerprint != "0" * 64


@pytest.mark.django_db
def test_new_object_with_a_stored_primary_key_cannot_overwrite_it():
    stored = default_rubric_version()
    impostor = RubricVersion(
        pk=stored.pk,
        code=stored.code,
        version=stored.version,
        title_zh_hans="x",
        title_en="x",
        definition={},
        fingerprint="0" * 64,
    )
    with pytest.raises(PermissionError):
        impostor.save()
    assert RubricVersion.objects.get().title_en == stored.title_en


@pytest.mark.django_db
def test_version_used_by_a_submission_cannot_be_deleted():
    submission = SubmissionFactory()
    with pytest.raises(ProtectedError):
        submission.rubric_version.delete()
    with pytest.raises(ProtectedError):
        RubricVersion.objects.all().delete()
    assert RubricVersion.objects.count() == 1


@pytest.mark.django_db
def test_version_used_by_a_cycle_cannot_be_deleted():
    cycle = CycleFactory()
    with pytest.raises(ProtectedError):
        cycle.rubric_version.delete()


@pytest.mark.django_db
def test_version_nothing_uses_can_be_deleted(tmp_path):
    version, _created = rubric_version_load(path=rubric_copy(tmp_path, version="1.1"))
    version.delete()
    assert not RubricVersion.objects.filter(version="1.1").exists()


# --- The admin only shows them --------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_shows_a_stored_version_read_only(client):
    stored = SubmissionFactory().rubric_version
    client.force_login(admin())
    url = reverse("admin:questionnaires_rubricversion_change", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert stored.fingerprint in response.text
    assert 'name="_save"' not in response.text
    assert 'name="title_en"' not in response.text


@pytest.mark.django_db
def test_admin_refuses_to_change_a_stored_version(client):
    stored = SubmissionFactory().rubric_version
    client.force_login(admin())
    url = reverse("admin:questionnaires_rubricversion_change", args=[stored.pk])
    response = client.post(url, {"title_en": "Changed", "_save": "Save"})
    assert response.status_code == 403
    stored.refresh_from_db()
    assert stored.title_en != "Changed"


@pytest.mark.django_db
def test_admin_refuses_to_delete_a_stored_version(client):
    stored = default_rubric_version()
    client.force_login(admin())
    url = reverse("admin:questionnaires_rubricversion_delete", args=[stored.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert RubricVersion.objects.filter(pk=stored.pk).exists()


@pytest.mark.django_db
def test_admin_offers_no_way_to_add_a_version(client):
    client.force_login(admin())
    response = client.get(reverse("admin:questionnaires_rubricversion_add"))
    assert response.status_code == 403
