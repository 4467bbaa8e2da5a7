"""Evidence over the API: multipart upload with the web's checks, download, links, removal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import EventKind, Evidence, Submission, SubmissionEvent
from tests.assessment.api_support import World, token_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    return World()


def upload(client, submission, name="proof.pdf", content=PDF, code="D1.2"):
    return client.post(
        f"/api/v1/submissions/{submission.pk}/evidence/files/",
        {"question_code": code, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_an_uploaded_file_downloads_unchanged(world):
    client = token_client(world.users["operator"])
    created = upload(client, world.sz)
    assert created.status_code == 201
    assert created.json()["content_type"] == "application/pdf"
    download = client.get(created.json()["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="proof.pdf"'
    assert download["Cache-Control"] == "private, no-store"


def test_a_program_is_refused_like_on_the_web(world):
    client = token_client(world.users["operator"])
    response = upload(client, world.sz, name="setup.exe", content=b"MZ\x90\x00rest")
    assert response.status_code == 400
    assert response.json()["code"] == "file_executable"
    assert response.json()["field"] == "file"
    files = Evidence.objects.filter(submission=world.sz, question_code="D1.2").exclude(file="")
    assert not files.exists()


def test_an_empty_file_is_refused(world):
    response = upload(token_client(world.users["operator"]), world.sz, content=b"")
    assert response.status_code == 400
    assert response.json()["code"] == "file_empty"


def test_a_file_must_be_sent_as_multipart(world):
    response = token_client(world.users["operator"]).post(
        f"/api/v1/submissions/{world.sz.pk}/evidence/files/",
        {"question_code": "D1.2", "file": "not a file"},
        format="json",
    )
    assert response.status_code == 415


def test_a_link_needs_http_or_https(world):
    response = token_client(world.users["operator"]).post(
        f"/api/v1/submissions/{world.sz.pk}/evidence/links/",
        {"question_code": "D1.2", "url": "ftp://example.cn/a.pdf"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_link"


def test_a_link_has_no_download(world):
    evidence = world.evidence(world.sz)
    client = token_client(world.users["operator"])
    item = client.get(f"/api/v1/submissions/{world.sz.pk}/evidence/{evidence.pk}/").json()
    assert item["kind"] == "link"
    assert item["download_url"] is None
    response = client.get(f"/api/v1/submissions/{world.sz.pk}/evidence/{evidence.pk}/download/")
    assert response.status_code == 404


def test_a_reviewer_opening_a_file_is_on_the_audit_trail(world):
    created = upload(token_client(world.users["operator"]), world.sz).json()
    Submission.objects.filter(pk=world.sz.pk).update(state="submitted")
    reviewer = world.users["reviewer"]
    token_client(reviewer).get(created["download_url"])
    assert SubmissionEvent.objects.filter(
        submission=world.sz, kind=EventKind.EVIDENCE_ACCESSED, actor=reviewer
    ).exists()


def test_an_operator_opening_a_file_is_not_an_access_event(world):
    client = token_client(world.users["operator"])
    created = upload(client, world.sz).json()
    client.get(created["download_url"])
    assert not SubmissionEvent.objects.filter(kind=EventKind.EVIDENCE_ACCESSED).exists()


def test_evidence_of_another_submission_is_not_reachable_through_this_one(world):
    other = world.evidence(world.hz)
    response = token_client(world.users["admin"]).get(
        f"/api/v1/submissions/{world.sz.pk}/evidence/{other.pk}/"
    )
    assert response.status_code == 404


def test_removed_evidence_stays_on_record(world):
    evidence = world.evidence(world.sz)
    client = token_client(world.users["operator"])
    response = client.delete(f"/api/v1/submissions/{world.sz.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 204
    evidence.refresh_from_db()
    assert evidence.removed_at is not None
    assert not evidence.is_current


def test_a_replacement_points_at_what_it_replaces(world):
    evidence = world.evidence(world.sz)
    response = token_client(world.users["operator"]).post(
        f"/api/v1/submissions/{world.sz.pk}/evidence/{evidence.pk}/replace/",
        {"file": SimpleUploadedFile("v2.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["replaces"] == evidence.pk
    assert response.json()["original_name"] == "v2.pdf"


def test_a_replacement_needs_a_file_or_a_link_not_both(world):
    evidence = world.evidence(world.sz)
    response = token_client(world.users["operator"]).post(
        f"/api/v1/submissions/{world.sz.pk}/evidence/{evidence.pk}/replace/",
        {"file": SimpleUploadedFile("v2.pdf", PDF), "url": "https://example.cn/v2.pdf"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "file_or_link"


def test_the_evidence_list_has_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = token_client(world.users["operator"])
    client.get(f"/api/v1/submissions/{world.sz.pk}/evidence/")
    with django_assert_max_num_queries(3):
        response = client.get(f"/api/v1/submissions/{world.sz.pk}/evidence/")
    assert len(response.json()) > 10
