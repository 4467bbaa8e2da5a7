"""factory_boy factories for every model, in one place."""

from datetime import date, timedelta

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from assessment.models import (
    Answer,
    AssessmentCycle,
    Organisation,
    Platform,
    Region,
    Role,
    Submission,
    User,
)
from assessment.validators import credit_code_check_character
from questionnaires.services import default_rubric_version

PASSWORD = "correct-horse-battery-staple"
_HASHED_PASSWORD = make_password(PASSWORD)


def credit_code(number: int) -> str:
    """A valid unified social credit code, distinct for each number."""
    first_17 = f"91{440300:06d}{number:09d}"
    return first_17 + credit_code_check_character(first_17)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    credit_code = factory.Sequence(credit_code)
    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    region = factory.LazyFunction(lambda: region("440300"))


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"工业互联网平台{n}")
    kind = "industry"
    region = factory.LazyAttribute(lambda platform: platform.organisation.region)
    website = "https://platform.example.cn"
    launched_year = 2020

    @factory.post_generation
    def industries(self, create, extracted, **kwargs):
        if create:
            self.industries.set(extracted or ["C"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = _HASHED_PASSWORD
    role = Role.OPERATOR
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda user: user.role == Role.OPERATOR),
        factory.SubFactory(OrganisationFactory),
        None,
    )

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


def operator(organisation=None, **fields) -> User:
    return UserFactory(
        role=Role.OPERATOR, organisation=organisation or OrganisationFactory(), **fields
    )


def reviewer(*region_codes: str, **fields) -> User:
    return UserFactory(role=Role.REVIEWER, regions=list(region_codes), **fields)


def regulator(*region_codes: str, **fields) -> User:
    return UserFactory(role=Role.REGULATOR, regions=list(region_codes), **fields)


def admin(**fields) -> User:
    return UserFactory(
        role=Role.ADMIN, is_staff=True, is_superuser=True, is_national=True, **fields
    )


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCycle

    code = factory.Sequence(lambda n: f"{2027 + n}")
    title_zh_hans = factory.LazyAttribute(lambda cycle: f"{cycle.code}年度评估")
    title_en = factory.LazyAttribute(lambda cycle: f"{cycle.code} annual assessment")
    # Open today, and a later cycle opens later (copy-from-previous depends on that order).
    opens_on = factory.Sequence(lambda n: date(2020, 1, 1) + timedelta(days=n))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3650))
    rubric_version = factory.LazyFunction(default_rubric_version)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A draft of the default rubric; pass state=… for other states."""

    class Meta:
        model = Submission

    platform = factory.SubFactory(PlatformFactory)
    cycle = factory.SubFactory(CycleFactory)
    rubric_version = factory.LazyAttribute(lambda submission: submission.cycle.rubric_version)
    platform_kind = factory.LazyAttribute(lambda submission: submission.platform.kind)
    created_by = factory.LazyAttribute(
        lambda submission: operator(organisation=submission.platform.organisation)
    )


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    submission = factory.SubFactory(SubmissionFactory)
    question_code = "D1.1"
    value = 5
    updated_by = factory.LazyAttribute(lambda answer: answer.submission.created_by)


# --- Review desk: answered submissions and evidence ----------------------------------------------


class EvidenceLinkFactory(factory.django.DjangoModelFactory):
    """A link as evidence (no file), uploaded by the submission's creator."""

    class Meta:
        model = "assessment.Evidence"

    submission = factory.SubFactory(SubmissionFactory)
    question_code = "D1.1"
    url = factory.LazyAttribute(
        lambda evidence: f"https://evidence.example.cn/{evidence.question_code}.pdf"
    )
    description = "证明材料"
    uploaded_by = factory.LazyAttribute(lambda evidence: evidence.submission.created_by)


def answer_meeting(indicator, kind: str, tier: str):
    """An answer that fully meets `indicator` up to `tier` (and nothing above it)."""
    from questionnaires.choices import TIER_ORDER

    reached = [c for c in indicator.criteria if TIER_ORDER.index(c.tier) <= TIER_ORDER.index(tier)]
    if indicator.type in ("numeric", "percentage"):
        targets = [c.target_for(kind) for c in reached if c.target_for(kind) is not None]
        best = max(targets) if targets else 0
        return int(best) if best == int(best) else float(best)
    if indicator.type == "boolean":
        return bool(reached)
    if indicator.type == "ordinal":
        return 3 if reached else 0
    tiers = [c.tier for c in reached]
    useful = [o for o in indicator.options if any(o.satisfaction_at(t) > 0 for t in tiers)]
    if indicator.multiple:
        return [option.code for option in useful] or [indicator.options[0].code]
    best = max(indicator.options, key=lambda o: [o.satisfaction_at(t) for t in reversed(tiers)])
    return best.code


def answered_submission(*, tier: str = "basic", evidence: bool = True, **fields):
    """A submission (default state "submitted") whose answers fully meet every criterion up to
    `tier`, with every precondition met and a link as evidence wherever the rubric asks for it.
    Its claimed result is what submitting stores: the result if every uploaded item holds."""
    from django.utils import timezone

    from assessment.services.scoring import submission_rescore
    from questionnaires.selectors import rubric_of

    fields.setdefault("state", "submitted")
    submission = SubmissionFactory(**fields)
    rubric = rubric_of(submission.rubric_version)
    answers, links = [], []
    for precondition in rubric.preconditions:
        answers.append(
            Answer(
                submission=submission,
                question_code=precondition.code,
                value=True,
                updated_by=submission.created_by,
            )
        )
    for indicator in rubric.indicators:
        if not indicator.applies_to(submission.platform_kind):
            continue
        answers.append(
            Answer(
                submission=submission,
                question_code=indicator.code,
                value=answer_meeting(indicator, submission.platform_kind, tier),
                updated_by=submission.created_by,
            )
        )
        if evidence and indicator.evidence != "none":
            links.append(
                EvidenceLinkFactory.build(submission=submission, question_code=indicator.code)
            )
    Answer.objects.bulk_create(answers)
    for link in links:
        link.save()
    submission_rescore(submission=submission)
    if submission.state != "draft":
        from assessment.services.submissions import claimed_result

        submission.claimed_result = claimed_result(submission)
        submission.submitted_at = submission.submitted_at or timezone.now()
        submission.save(update_fields=["claimed_result", "submitted_at"])
    return submission


# --- Operator: evidence files --------------------------------------------------------------------


def pdf_bytes(title: str = "证明材料") -> bytes:
    """A small, valid one-page PDF (read back with pypdf in the tests that need it)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def uploaded_file(content: bytes, name: str = "evidence.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- Dashboards: stored score summaries, dimension scores, certifications, targets ---------------


class ScoreSummaryFactory(factory.django.DjangoModelFactory):
    """A stored score summary with hand-set figures (what dashboards aggregate)."""

    class Meta:
        model = "assessment.ScoreSummary"

    submission = factory.SubFactory(SubmissionFactory)
    result = "not_rated"
    progress_index = "0.00"
    score_basic = "0.0000"
    score_growth = "0.0000"
    score_leading = "0.0000"
    score_ecosystem = "0.0000"
    tier_in_reach = "basic"
    connected_devices = None
    enterprises_served = None
    breakdown = factory.LazyFunction(lambda: {"dimensions": {}})


class DimensionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.DimensionScore"

    submission = factory.SubFactory(SubmissionFactory)
    dimension_code = "D1"
    mean = "0.5000"


def _now():
    from django.utils import timezone

    return timezone.now()


class CertificationFactory(factory.django.DjangoModelFactory):
    """A certified tier (status certified unless given), proposed by a fresh reviewer."""

    class Meta:
        model = "assessment.Certification"

    submission = factory.SubFactory(SubmissionFactory, state="certified")
    tier = "basic"
    status = "certified"
    rubric_label = "iip-2026@1.0"
    snapshot = factory.LazyFunction(dict)
    proposed_by = factory.LazyFunction(lambda: reviewer())
    proposed_at = factory.LazyFunction(_now)
    certified_at = factory.LazyAttribute(lambda certification: certification.proposed_at)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessment.Target"

    name_zh_hans = "目标"
    name_en = "Target"
    metric = "influential_platforms"
    comparison = "gt"
    target_value = 450
    deadline = "2028-12-31"
    region = None


def scored_submission(
    *,
    region_code: str,
    cycle,
    kind: str = "industry",
    state: str = "submitted",
    certified_tier: str = "",
    progress_index: str = "0.00",
    tier_in_reach: str = "basic",
    connected_devices: int | None = None,
    enterprises_served: int | None = None,
    industries=("C",),
    dimension_means: dict | None = None,
    breakdown: dict | None = None,
    organisation=None,
):
    """A platform in `region_code` with one submission in `cycle`, its stored score summary
    (figures as given), dimension scores and, with `certified_tier`, a certification."""
    organisation = organisation or OrganisationFactory(region=region(region_code))
    platform = PlatformFactory(
        organisation=organisation,
        region=region(region_code),
        kind=kind,
        industries=list(industries),
    )
    submission = SubmissionFactory(platform=platform, cycle=cycle, state=state)
    ScoreSummaryFactory(
        submission=submission,
        result=certified_tier or "not_rated",
        progress_index=progress_index,
        tier_in_reach=tier_in_reach,
        connected_devices=connected_devices,
        enterprises_served=enterprises_served,
        breakdown=breakdown or {"dimensions": {}},
    )
    for code, mean in (dimension_means or {}).items():
        DimensionScoreFactory(submission=submission, dimension_code=code, mean=mean)
    if certified_tier:
        CertificationFactory(submission=submission, tier=certified_tier)
    return submission


# --- Reports: a submission at a given result, reviewed and optionally certified ----------------


def reviewed_submission(*, result: str = "basic", certified: bool = False, **fields):
    """A submission whose verified answers give exactly `result` ("not_rated" or a tier).

    Every indicator meets its criteria up to the tier and its evidence is verified by a
    reviewer (so gates hold); "not_rated" fails precondition P1. With `certified` the tier is
    certified (state certified, a Certification with the engine's snapshot, valid 3 years).
    """
    from datetime import timedelta

    from django.utils import timezone

    from assessment.models import Certification, ReviewDecision
    from assessment.services.scoring import submission_rescore

    fields.setdefault("state", "certified" if certified else "in_review")
    submission = answered_submission(tier="basic" if result == "not_rated" else result, **fields)
    checker = reviewer(submission.platform.region.province_code)
    submission.assigned_reviewer = checker
    submission.review_round = 1
    submission.save(update_fields=["assigned_reviewer", "review_round"])
    codes = submission.evidence.values_list("question_code", flat=True).distinct()
    ReviewDecision.objects.bulk_create(
        ReviewDecision(
            submission=submission,
            question_code=code,
            decision="verified",
            review_round=1,
            reviewer=checker,
        )
        for code in codes
    )
    if result == "not_rated":
        Answer.objects.filter(submission=submission, question_code="P1").update(value=False)
    score = submission_rescore(submission=submission)
    assert score.result == result, (score.result, result)
    if certified:
        now = timezone.now()
        Certification.objects.create(
            submission=submission,
            tier=result,
            status="certified",
            rubric_label=submission.rubric_version.label,
            snapshot=score.to_dict(),
            proposed_by=checker,
            proposed_at=now,
            certified_at=now,
            valid_until=(now + timedelta(days=3 * 365)).date(),
        )
    return submission


# --- Expert panels and on-site checks (branch i14b) ----------------------------------------------


def expert(province_code: str = "440000", organisation=None, **fields) -> User:
    """An expert in the pool, from `province_code`, optionally employed by `organisation`."""
    from assessment.models import ExpertProfile

    user = UserFactory(role=Role.EXPERT, organisation=organisation, **fields)
    ExpertProfile.objects.create(
        user=user,
        home_province=region(province_code),
        dimensions=["D1", "D3"],
        platform_kinds=["industry"],
    )
    return user


def panel_submission(*, tier: str = "growth", **fields):
    """A reviewed submission applying for `tier` (its answers reach it), waiting for a panel."""
    fields.setdefault("state", "expert_review")
    return reviewed_submission(result=tier, tier_applied=tier, **fields)


# --- Programme (issue 14, i14a): calls, and submissions brought to a stage ----------------------


def ministry_official(**fields) -> User:
    """A national reviewer: the ministry's formal check, notice and publication."""
    return UserFactory(role=Role.REVIEWER, is_national=True, **fields)


def provincial_lead(*region_codes: str, **fields) -> User:
    return UserFactory(
        role=Role.REVIEWER, is_lead_reviewer=True, regions=list(region_codes), **fields
    )


def call_for_applications(*, cycle=None, region=None, **fields):
    """A call of `cycle` (a fresh one by default) open since yesterday for 30 days."""
    from assessment.models import CallForApplications

    now = timezone.now()
    fields.setdefault("opens_at", now - timedelta(days=1))
    fields.setdefault("closes_at", now + timedelta(days=30))
    return CallForApplications.objects.create(
        cycle=cycle or CycleFactory(),
        region=region,
        title_zh_hans=fields.pop("title_zh_hans", "2027年度工业互联网平台培优申报通知"),
        title_en=fields.pop("title_en", "2027 call for applications"),
        created_by=fields.pop("created_by", None) or ministry_official(),
        **fields,
    )


def programme_submission(*, call, tier: str = "leading", result: str | None = None, **fields):
    """A reviewed submission (in review, decisions made) of `call`'s cycle applying for
    `tier`, its answers reaching `result` (the tier by default)."""
    submission = reviewed_submission(result=result or tier, cycle=call.cycle, **fields)
    submission.tier_applied = tier
    submission.save(update_fields=["tier_applied"])
    return submission


def to_public_notice(submission, *, tier: str):
    """Take a submission awaiting its expert panel to the public notice through the real
    services: a panel of three new experts who agree with the review, its conclusion, and for
    leading and ecosystem a passed on-site check. The panel proposes `tier`."""
    from assessment.services import panels, site_checks
    from questionnaires.selectors import rubric_of

    submission.refresh_from_db()
    province = submission.platform.region.province_code
    national = tier in panels.NATIONAL_PANEL_TIERS
    if national:
        official = ministry_official()
        home = "320000" if province == "310000" else "310000"
    else:
        official = reviewer(province)
        home = province
    seated = [expert(home) for _seat in range(3)]
    panel = panels.panel_form(
        actor=official, submissions=[submission], size=3, named_experts=seated, email=False
    )
    entry = panel.entries.get()
    rubric = rubric_of(submission.rubric_version)
    judged = panels.judged_indicators(rubric, submission.platform_kind, entry.tier)
    for member in seated:
        panels.expert_score_save(
            actor=member,
            entry=entry,
            decisions={indicator.code: {"decision": "agree"} for indicator in judged},
            recommended_tier=tier,
            submit=True,
        )
    panels.panel_write_opinion(actor=panel.lead, panel=panel, opinion="同意审核意见。")
    panels.panel_conclude(actor=official, panel=panel)
    submission.refresh_from_db()
    assert submission.proposed_tier == tier, (submission.proposed_tier, tier)
    if national:
        inspector = ministry_official()
        check = site_checks.site_check_open(actor=inspector, submission=submission)
        for item in check.items.all():
            site_checks.site_check_record_finding(actor=inspector, item=item, status="confirmed")
        site_checks.site_check_decide(actor=inspector, site_check=check, verdict="passed")
        submission.refresh_from_db()
    assert submission.state == "public_notice", submission.state
    return submission


# --- Back-dating events in tests --------------------------------------------------------------


def backdate_event(event_id: int, when) -> None:
    """Give a submission event an earlier time, as if it had happened then. Events are
    append-only: on PostgreSQL their trigger refuses (or, while purging, skips) an UPDATE, so
    the test database's superuser sets triggers aside for this one statement."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(
                "UPDATE assessment_submissionevent SET created_at = %s WHERE id = %s",
                [when, event_id],
            )
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("RESET session_replication_role")


def flush_database() -> None:
    """Empty the test database, audit tables included (their PostgreSQL triggers let only a
    session that says it is purging truncate them)."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET pma.audit_purge = 'on'")
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET pma.audit_purge")
