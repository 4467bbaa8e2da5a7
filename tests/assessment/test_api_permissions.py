"""The permission matrix: every endpoint × role × in / out of scope.

Shenzhen (440300) is in every role's scope: the operator's own organisation, the Guangdong
reviewer's and regulator's province, and everything for the administrator. Hangzhou (330100)
is out of scope for all but the administrator. An endpoint's expected status follows from
four facts: who may use it, its success status, the status of a role that may not (403, or
404 where the web hides the page), and whether out of scope looks missing (404).
"""

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessment.models import (
    Certification,
    ReportBatch,
    ReviewDecision,
    Submission,
)
from assessment.models.reviews import CertificationStatus
from assessment.services.reports import report_issue
from assessment.services.scoring import submission_rescore
from assessment.services.submissions import evidence_add_file
from questionnaires.selectors import rubric_of
from tests.assessment.api_support import World, token_client
from tests.factories import region

pytestmark = [pytest.mark.django_db, pytest.mark.once]

# "conflicted": a reviewer of the province who declared a conflict of interest with the
# Shenzhen organisation; the review desk's rule (nothing of that organisation, no drafts for
# reviewers) holds on every endpoint.
ROLES = ["operator", "reviewer", "conflicted", "regulator", "admin", "anonymous"]
EVERYONE = {"operator", "reviewer", "regulator", "admin"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": None, "user": None, "anon": None},
    }


# --- Setting the target submission up for an action --------------------------------------------


def _state(state: str, *, assigned: bool = False):
    def setup(world: World, submission: Submission) -> None:
        fields = {"state": state}
        if assigned:
            fields["assigned_reviewer"] = world.users["reviewer"]
            fields["review_round"] = 1
        Submission.objects.filter(pk=submission.pk).update(**fields)

    return setup


def _reviewed(world: World, submission: Submission) -> None:
    """In review, assigned to the reviewer, every answered indicator verified."""
    _state("in_review", assigned=True)(world, submission)
    rubric = rubric_of(submission.rubric_version)
    ReviewDecision.objects.bulk_create(
        ReviewDecision(
            submission=submission,
            question_code=code,
            decision="verified",
            review_round=1,
            reviewer=world.users["reviewer"],
        )
        for code in submission.answers.values_list("question_code", flat=True)
        if rubric.has_indicator(code)
    )
    submission_rescore(submission=Submission.objects.get(pk=submission.pk))


def _certification(status: str):
    def setup(world: World, submission: Submission) -> None:
        _reviewed(world, submission)
        certified = status == CertificationStatus.CERTIFIED
        Submission.objects.filter(pk=submission.pk).update(
            state="certified" if certified else "in_review"
        )
        now = timezone.now()
        Certification.objects.create(
            submission=submission,
            tier="basic",
            status=status,
            rubric_label=submission.rubric_version.label,
            snapshot=submission.score_summary.breakdown,
            proposed_by=world.users["reviewer"],
            proposed_at=now,
            certified_at=now if certified else None,
            valid_until=now.date().replace(year=now.year + 3) if certified else None,
        )

    return setup


def _certification_id(world: World, submission: Submission) -> int:
    return Certification.objects.get(submission=submission).pk


def _file_evidence(world: World, submission: Submission):
    return evidence_add_file(
        actor=submission.created_by,
        submission=submission,
        question_code=world.evidence(submission).question_code,
        uploaded_file=SimpleUploadedFile("proof.pdf", PDF),
    )


def _batch(world: World, in_scope: bool) -> ReportBatch:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("report.pdf", PDF)
    batch = ReportBatch.objects.create(
        token=f"batch-{in_scope}",
        region=region("440000" if in_scope else "330000"),
        cycle=world.cycle,
        language="zh-hans",
        status="done",
        requested_by=world.users["admin"],
    )
    batch.zip_file.save("reports.zip", ContentFile(zipped.getvalue()))
    return batch


# --- The endpoints -------------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    method: str
    path: Callable  # (world, submission, in_scope) -> str
    allowed: set[str]
    success: int = 200
    refused: int = 403  # an in-scope role that may not
    out: int = 404  # a role that may, out of scope (None: scope does not apply)
    role_first: bool = False  # refused roles are refused whatever the scope
    body: Callable | None = None  # (world, submission, in_scope) -> dict
    multipart: bool = False
    setup: Callable | None = None  # (world, submission) -> None
    public: bool = False
    extra: dict = field(default_factory=dict)
    # What the desk's rule hides: "submission" (the submission and all under it, drafts too),
    # "organisation" (the organisation and its platforms), or "none".
    desk: str = "submission"
    desk_status: int = 404

    def expected(self, role: str, in_scope: bool, state: str = "submitted") -> int:
        if in_scope and self.desk != "none":
            hidden_draft = role == "reviewer" and state == "draft" and self.desk == "submission"
            if role == "conflicted" or hidden_draft:
                return self.desk_status
        if role == "conflicted":
            role = "reviewer"
        if role == "anonymous":
            return self.success if self.public else 401
        in_scope = in_scope or role == "admin"
        if self.role_first and role not in self.allowed:
            return self.refused
        if self.out is not None and not in_scope:
            return self.out
        return self.success if role in self.allowed else self.refused


def sub(suffix: str = "") -> Callable:
    return lambda world, submission, in_scope: f"/api/v1/submissions/{submission.pk}/{suffix}"


def evidence_path(suffix: str = "", file: bool = False) -> Callable:
    def build(world, submission, in_scope):
        evidence = _file_evidence(world, submission) if file else world.evidence(submission)
        return f"/api/v1/submissions/{submission.pk}/evidence/{evidence.pk}/{suffix}"

    return build


def certification_path(suffix: str = "") -> Callable:
    def build(world, submission, in_scope):
        return f"/api/v1/certifications/{_certification_id(world, submission)}/{suffix}"

    return build


def fixed(path: str) -> Callable:
    return lambda world, submission, in_scope: path


def with_region(path: str, **params) -> Callable:
    def build(world, submission, in_scope):
        code = "440000" if in_scope else "330000"
        query = "&".join([f"region={code}", *(f"{k}={v}" for k, v in params.items())])
        return f"{path}?{query}"

    return build


def batch_path(suffix: str = "") -> Callable:
    return lambda world, submission, in_scope: (
        f"/api/v1/report-batches/{_batch(world, in_scope).pk}/{suffix}"
    )


def _issued_number(world, submission, in_scope):
    Submission.objects.filter(pk=submission.pk).update(state="submitted")
    report = report_issue(
        submission=Submission.objects.get(pk=submission.pk), language="en", user=None
    )
    return f"/api/v1/public/verify/{report.number}/"


OPERATOR = {"operator"}
REVIEWER = {"reviewer"}
REGULATORS = {"regulator", "admin"}
OFFICIALS = {"reviewer", "regulator", "admin"}

ENDPOINTS = [
    # Public and reference data
    Endpoint(
        "rubric list",
        "get",
        fixed("/api/v1/rubric-versions/"),
        EVERYONE,
        public=True,
        out=None,
        desk="none",
    ),
    Endpoint(
        "rubric detail",
        "get",
        fixed("/api/v1/rubric-versions/iip-2026@1.0/"),
        EVERYONE,
        public=True,
        out=None,
        desk="none",
    ),
    Endpoint(
        "register",
        "get",
        fixed("/api/v1/public/register/"),
        EVERYONE,
        public=True,
        out=None,
        desk="none",
    ),
    Endpoint("verify", "get", _issued_number, EVERYONE, public=True, out=None, desk="none"),
    Endpoint("me", "get", fixed("/api/v1/me/"), EVERYONE, out=None, desk="none"),
    Endpoint("regions", "get", fixed("/api/v1/regions/"), EVERYONE, out=None, desk="none"),
    Endpoint("region", "get", fixed("/api/v1/regions/440300/"), EVERYONE, out=None, desk="none"),
    Endpoint("cycles", "get", fixed("/api/v1/cycles/"), EVERYONE, out=None, desk="none"),
    Endpoint("cycle", "get", fixed("/api/v1/cycles/2090/"), EVERYONE, out=None, desk="none"),
    # Scoped reads
    Endpoint(
        "organisation",
        "get",
        lambda w, s, i: f"/api/v1/organisations/{s.platform.organisation_id}/",
        EVERYONE,
        desk="organisation",
    ),
    Endpoint(
        "platform",
        "get",
        lambda w, s, i: f"/api/v1/platforms/{s.platform_id}/",
        EVERYONE,
        desk="organisation",
    ),
    Endpoint("submission", "get", sub(), EVERYONE),
    Endpoint("answers", "get", sub("answers/"), EVERYONE),
    Endpoint("completeness", "get", sub("completeness/"), EVERYONE),
    Endpoint("evidence list", "get", sub("evidence/"), EVERYONE),
    Endpoint("evidence item", "get", evidence_path(), EVERYONE),
    Endpoint("evidence download", "get", evidence_path("download/", file=True), EVERYONE),
    Endpoint("score", "get", sub("score/"), EVERYONE),
    Endpoint("decisions", "get", sub("decisions/"), EVERYONE),
    Endpoint("report pdf", "get", sub("report/?lang=en"), EVERYONE, setup=_state("submitted")),
    Endpoint(
        "event",
        "get",
        lambda w, s, i: f"/api/v1/events/{(w.sz_event if i else w.hz_event).pk}/",
        {"operator", "reviewer", "admin"},
        refused=404,  # regulators have no audit-trail page on the web
        setup=_state("submitted"),
    ),
    Endpoint(
        "certification",
        "get",
        certification_path(),
        EVERYONE,
        setup=_certification(CertificationStatus.CERTIFIED),
    ),
    # The operator's writes
    Endpoint(
        "start draft",
        "post",
        fixed("/api/v1/submissions/"),
        OPERATOR,
        success=201,
        out=400,  # a platform out of scope is an invalid choice in the body
        desk="organisation",
        desk_status=400,
        body=lambda w, s, i: {"platform": w.spare_platform(i).pk, "cycle": w.cycle.code},
    ),
    Endpoint(
        "save answers",
        "post",
        sub("answers/"),
        OPERATOR,
        body=lambda w, s, i: {"answers": [{"question_code": "D1.1", "value": 1, "version": 1}]},
    ),
    Endpoint(
        "add link",
        "post",
        sub("evidence/links/"),
        OPERATOR,
        success=201,
        body=lambda w, s, i: {"question_code": "D1.1", "url": "https://example.cn/a.pdf"},
    ),
    Endpoint(
        "add file",
        "post",
        sub("evidence/files/"),
        OPERATOR,
        success=201,
        multipart=True,
        body=lambda w, s, i: {
            "question_code": "D1.1",
            "file": SimpleUploadedFile("proof.pdf", PDF),
        },
    ),
    Endpoint(
        "replace evidence",
        "post",
        evidence_path("replace/"),
        OPERATOR,
        success=201,
        body=lambda w, s, i: {"url": "https://example.cn/new.pdf"},
    ),
    Endpoint("confirm evidence", "post", evidence_path("confirm/"), OPERATOR),
    Endpoint("remove evidence", "delete", evidence_path(), OPERATOR, success=204),
    Endpoint("submit", "post", sub("submit/"), OPERATOR),
    Endpoint("withdraw", "post", sub("withdraw/"), OPERATOR),
    Endpoint("resubmit", "post", sub("resubmit/"), OPERATOR, setup=_state("revision_requested")),
    # The review desk
    Endpoint(
        "assign",
        "post",
        sub("assign/"),
        REVIEWER,
        setup=_state("submitted"),
        body=lambda w, s, i: {},
    ),
    Endpoint(
        "start review",
        "post",
        sub("start-review/"),
        REVIEWER,
        setup=_state("submitted", assigned=True),
    ),
    Endpoint(
        "decide",
        "post",
        sub("decisions/"),
        REVIEWER,
        success=201,
        setup=_state("in_review", assigned=True),
        body=lambda w, s, i: {"question_code": "D1.1", "decision": "verified"},
    ),
    Endpoint(
        "request revision",
        "post",
        sub("request-revision/"),
        REVIEWER,
        setup=_state("in_review", assigned=True),
        body=lambda w, s, i: {"question_codes": ["D1.1"], "message": "请补充设备接入证明"},
    ),
    Endpoint("certify", "post", sub("certify/"), REVIEWER, success=201, setup=_reviewed),
    Endpoint(
        "declare conflict",
        "post",
        sub("conflict/"),
        REVIEWER,
        success=201,
        body=lambda w, s, i: {"reason": "曾为其提供咨询服务"},
    ),
    Endpoint(
        "sign off",
        "post",
        certification_path("sign-off/"),
        set(),  # only a national reviewer other than the proposer (tested on its own)
        setup=_certification(CertificationStatus.AWAITING_SIGN_OFF),
    ),
    Endpoint(
        "decline sign-off",
        "post",
        certification_path("decline/"),
        set(),
        setup=_certification(CertificationStatus.AWAITING_SIGN_OFF),
        body=lambda w, s, i: {"reason": "证据不足"},
    ),
    Endpoint(
        "revoke",
        "post",
        certification_path("revoke/"),
        {"admin"},  # or a lead / national reviewer (tested on its own)
        setup=_certification(CertificationStatus.CERTIFIED),
        body=lambda w, s, i: {"reason": "发现数据造假"},
    ),
    # Dashboards: operators have none (the web hides them: 404)
    Endpoint(
        "dashboard", "get", with_region("/api/v1/dashboards/"), OFFICIALS, refused=404, desk="none"
    ),
    Endpoint(
        "dashboard platforms",
        "get",
        with_region("/api/v1/dashboards/platforms/"),
        OFFICIALS,
        refused=404,
        desk="none",
    ),
    # Regional reports and batches: regulators (and administrators)
    Endpoint(
        "regional report",
        "get",
        with_region("/api/v1/reports/regional/", cycle="2090", lang="en"),
        REGULATORS,
        role_first=True,
        desk="none",
    ),
    Endpoint("batches", "get", fixed("/api/v1/report-batches/"), REGULATORS, out=None, desk="none"),
    Endpoint(
        "request batch",
        "post",
        fixed("/api/v1/report-batches/"),
        REGULATORS,
        success=202,
        out=400,
        role_first=True,
        desk="none",
        body=lambda w, s, i: {
            "cycle": w.cycle.code,
            "region": "440000" if i else "330000",
            "lang": "en",
        },
    ),
    Endpoint("batch", "get", batch_path(), REGULATORS, role_first=True, desk="none"),
    Endpoint(
        "batch download", "get", batch_path("download/"), REGULATORS, role_first=True, desk="none"
    ),
]


def _cases():
    for endpoint in ENDPOINTS:
        for role in ROLES:
            scopes = (
                [True]
                if endpoint.out is None or role in ("admin", "anonymous")
                else [
                    True,
                    False,
                ]
            )
            for in_scope in scopes:
                scope = "in" if in_scope else "out"
                yield pytest.param(endpoint, role, in_scope, id=f"{endpoint.name}-{role}-{scope}")


@pytest.mark.parametrize(("endpoint", "role", "in_scope"), list(_cases()))
def test_permission_matrix(endpoint, role, in_scope):
    world = World()
    submission = world.submission(in_scope)
    if endpoint.setup is not None:
        endpoint.setup(world, submission)
    submission = Submission.objects.get(pk=submission.pk)
    path = endpoint.path(world, submission, in_scope)
    body = endpoint.body(world, submission, in_scope) if endpoint.body else {}
    if role == "conflicted" and submission.state == "draft":
        Submission.objects.filter(pk=submission.pk).update(state="submitted")
    state = Submission.objects.get(pk=submission.pk).state
    client = token_client(world.users[role])
    call = getattr(client, endpoint.method)
    if endpoint.method == "get":
        response = call(path)
    else:
        response = call(path, body, format="multipart" if endpoint.multipart else "json")
    expected = endpoint.expected(role, in_scope, state)
    assert response.status_code == expected, (
        f"{endpoint.method.upper()} {path} as {role}: {response.status_code} "
        f"{getattr(response, 'data', '')}"
    )
    if expected >= 400:
        assert set(response.json()) >= {"code", "message", "field"}
