"""Helpers for the API tests: clients signed in by a personal token, and a small world with
one submission in scope (Shenzhen) and one out of it (Hangzhou) for every role."""

import functools
import uuid
from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from assessment.models import ConflictDeclaration, Evidence
from assessment.services.tokens import api_token_create
from assessment.services.workflow import record_event
from questionnaires.models import RubricVersion
from questionnaires.rubric import parse_rubric_file
from questionnaires.services import DEFAULT_RUBRIC_PATH
from tests.factories import (
    CycleFactory,
    OrganisationFactory,
    PlatformFactory,
    admin,
    answered_submission,
    operator,
    region,
    regulator,
    reviewer,
)


def token_client(user) -> APIClient:
    """A client that authenticates with a fresh personal API token of `user`."""
    client = APIClient()
    if user is not None:
        key = api_token_create(user=user, name=f"test {uuid.uuid4().hex[:8]}").key
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@functools.cache
def _default_rubric():
    return parse_rubric_file(DEFAULT_RUBRIC_PATH)


def rubric_version() -> RubricVersion:
    """The default rubric version, stored without parsing its YAML again for every test."""
    rubric = _default_rubric()
    stored = RubricVersion.objects.filter(code=rubric.code, version=rubric.version).first()
    if stored is not None:
        return stored
    return RubricVersion.objects.create(
        code=rubric.code,
        version=rubric.version,
        title_zh_hans=rubric.title.zh_hans,
        title_en=rubric.title.en,
        definition=rubric.to_dict(),
        fingerprint=rubric.fingerprint(),
    )


def open_cycle(code: str = "2090"):
    today = timezone.localdate()
    return CycleFactory(
        code=code,
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=30),
        rubric_version=rubric_version(),
    )


class World:
    """Two organisations, each with a complete draft, a link as evidence, an event, a spare
    platform; an open cycle; a user per role. Shenzhen is in every role's scope."""

    def __init__(self):
        self.cycle = open_cycle()
        self.sz_org = OrganisationFactory(region=region("440300"))
        self.hz_org = OrganisationFactory(region=region("330100"))
        self.sz = answered_submission(
            state="draft", cycle=self.cycle, platform=PlatformFactory(organisation=self.sz_org)
        )
        self.hz = answered_submission(
            state="draft", cycle=self.cycle, platform=PlatformFactory(organisation=self.hz_org)
        )
        self.sz_spare = PlatformFactory(organisation=self.sz_org)
        self.hz_spare = PlatformFactory(organisation=self.hz_org)
        self.sz_event = record_event(
            submission=self.sz, actor=self.sz.created_by, kind="state_changed", to_state="draft"
        )
        self.hz_event = record_event(
            submission=self.hz, actor=self.hz.created_by, kind="state_changed", to_state="draft"
        )
        self.users = {
            "operator": operator(organisation=self.sz_org),
            "reviewer": reviewer("440000"),
            "conflicted": reviewer("440000"),
            "regulator": regulator("440000"),
            "admin": admin(),
            "anonymous": None,
        }
        ConflictDeclaration.objects.create(
            reviewer=self.users["conflicted"], organisation=self.sz_org, reason="前雇主"
        )

    def evidence(self, submission) -> Evidence:
        return submission.evidence.order_by("id").first()

    def submission(self, in_scope: bool):
        return self.sz if in_scope else self.hz

    def spare_platform(self, in_scope: bool):
        return self.sz_spare if in_scope else self.hz_spare
