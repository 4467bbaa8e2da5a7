"""A realistic, reproducible demo data set (manage.py seed_demo).

Everything is drawn from seeded random generators and inserted in bulk, so 10,000 platforms
take well under a minute, and the same seed always gives the same data.
"""

import itertools
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from assessment.demo_monitoring import seed_monitoring
from assessment.models import (
    AssessmentCycle,
    Industry,
    Organisation,
    Platform,
    Region,
    RegionLevel,
    Role,
    User,
)
from assessment.validators import CREDIT_CODE_CHARSET, credit_code_check_character
from questionnaires.choices import PlatformKind

DEMO_PASSWORD = "demo-pass-2026"

# Relative weight of each province in the platform population (industrial base), by code prefix.
PROVINCE_WEIGHTS = {
    "44": 14,
    "32": 13,
    "33": 12,
    "37": 9,
    "31": 7,
    "11": 7,
    "34": 5,
    "35": 5,
    "42": 5,
    "43": 4,
    "41": 5,
    "51": 5,
    "50": 4,
    "13": 4,
    "12": 3,
    "21": 3,
    "61": 3,
    "36": 3,
    "14": 2,
    "22": 2,
    "23": 2,
    "45": 2,
    "52": 2,
    "53": 2,
    "15": 1,
    "46": 1,
    "62": 1,
    "63": 1,
    "64": 1,
    "65": 1,
    "54": 1,
}
# Industrial enterprises per province (thousands), the penetration target's denominator.
INDUSTRIAL_ENTERPRISES_THOUSANDS = {
    "44": 620,
    "32": 540,
    "33": 500,
    "37": 330,
    "31": 120,
    "11": 60,
    "34": 200,
    "35": 210,
    "42": 170,
    "43": 190,
    "41": 230,
    "51": 160,
    "50": 80,
    "13": 170,
    "12": 60,
    "21": 90,
    "61": 80,
    "36": 130,
    "14": 50,
    "22": 30,
    "23": 30,
    "45": 70,
    "52": 40,
    "53": 45,
    "15": 25,
    "46": 8,
    "62": 20,
    "63": 6,
    "64": 10,
    "65": 25,
    "54": 3,
}
_TRADE_NAMES = [
    "智联",
    "云端",
    "精工",
    "数造",
    "工业云",
    "海创",
    "卡奥斯",
    "根云",
    "汉云",
    "智造",
    "星火",
    "蓝海",
    "鼎新",
    "瑞泰",
    "华智",
    "天工",
    "博联",
    "恒通",
    "格致",
    "启明",
    "中汇",
    "信控",
    "易链",
    "宏图",
    "匠心",
    "远景",
    "长风",
    "众擎",
    "睿达",
    "新锐",
]
_SUFFIXES = ["科技有限公司", "工业互联网有限公司", "信息技术股份有限公司", "智能科技有限公司"]
_PLATFORM_PATTERNS = [
    "{trade}工业互联网平台",
    "{trade}云平台",
    "{trade}智造平台",
    "{trade}{industry}产业链协同平台",
    "{trade}设备云",
    "{trade}数字工厂平台",
]
_INDUSTRY_WORDS = ["装备", "纺织", "化工", "电子", "汽车", "钢铁", "家电", "食品", "建材", "医药"]
# Manufacturing dominates; a few platforms serve mining, energy, construction or logistics too.
_INDUSTRY_CHOICES = ["C"] * 8 + ["B", "D", "E", "G", "I"]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    region_codes: tuple[str, ...] = ()
    is_national: bool = False
    is_lead_reviewer: bool = False
    full_name: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.cn", Role.ADMIN, is_national=True, full_name="系统管理员"),
    DemoAccount(
        "regulator.national@demo.cn", Role.REGULATOR, is_national=True, full_name="部级监管员"
    ),
    DemoAccount(
        "reviewer.national@demo.cn",
        Role.REVIEWER,
        is_national=True,
        is_lead_reviewer=True,
        full_name="部级评审专家",
    ),
    DemoAccount("regulator.gd@demo.cn", Role.REGULATOR, ("440000",), full_name="广东省工信厅"),
    DemoAccount(
        "reviewer.gd@demo.cn",
        Role.REVIEWER,
        ("440000",),
        is_lead_reviewer=True,
        full_name="广东评审组长",
    ),
    DemoAccount("reviewer2.gd@demo.cn", Role.REVIEWER, ("440000",), full_name="广东评审员"),
    DemoAccount("reviewer.sz@demo.cn", Role.REVIEWER, ("440300",), full_name="深圳评审员"),
    DemoAccount("regulator.js@demo.cn", Role.REGULATOR, ("320000",), full_name="江苏省工信厅"),
    DemoAccount(
        "reviewer.js@demo.cn",
        Role.REVIEWER,
        ("320000",),
        is_lead_reviewer=True,
        full_name="江苏评审组长",
    ),
    DemoAccount("regulator.zj@demo.cn", Role.REGULATOR, ("330000",), full_name="浙江省经信厅"),
    DemoAccount(
        "reviewer.zj@demo.cn",
        Role.REVIEWER,
        ("330000",),
        is_lead_reviewer=True,
        full_name="浙江评审组长",
    ),
    DemoAccount("reviewer.sd@demo.cn", Role.REVIEWER, ("370000",), full_name="山东评审员"),
]
# The demo operator's organisation is the first one generated, placed in Shenzhen.
DEMO_OPERATOR_EMAIL = "operator@demo.cn"


def random_credit_code(rng: random.Random, region_code: str) -> str:
    body = "".join(rng.choice(CREDIT_CODE_CHARSET[:10] + "ABCDEFGHJK") for _ in range(9))
    first_17 = f"91{region_code}{body}"
    return first_17 + credit_code_check_character(first_17)


def _pick_city(rng: random.Random, provinces, cities_by_province) -> Region:
    province = rng.choices(provinces, weights=[PROVINCE_WEIGHTS[p.code[:2]] for p in provinces])[0]
    return rng.choice(cities_by_province[province.code])


@transaction.atomic
def seed_people_and_platforms(*, platforms: int, seed: int) -> dict:
    """Organisations, platforms, operators, officials and demo accounts. Returns counts."""
    rng = random.Random(seed)
    password_hash = make_password(DEMO_PASSWORD)
    provinces = list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"))
    cities_by_province: dict[str, list[Region]] = {p.code: [] for p in provinces}
    for city in Region.objects.filter(level=RegionLevel.CITY).order_by("code"):
        cities_by_province[city.parent_id].append(city)

    for province in provinces:
        province.industrial_enterprises = INDUSTRIAL_ENTERPRISES_THOUSANDS[province.code[:2]] * 1000
    Region.objects.bulk_update(provinces, ["industrial_enterprises"])

    shenzhen = Region.objects.get(code="440300")
    organisations: list[Organisation] = []
    used_codes: set[str] = set()
    organisation_count = max(1, round(platforms * 0.8))
    for number in range(organisation_count):
        city = shenzhen if number == 0 else _pick_city(rng, provinces, cities_by_province)
        code = random_credit_code(rng, city.code)
        while code in used_codes:
            code = random_credit_code(rng, city.code)
        used_codes.add(code)
        trade = rng.choice(_TRADE_NAMES)
        city_name = city.name_zh_hans.removesuffix("市")
        organisations.append(
            Organisation(
                credit_code=code,
                name=f"{city_name}{trade}{rng.choice(_SUFFIXES)}（{number + 1:05d}）",
                region=city,
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=2000)

    kinds = [PlatformKind.INDUSTRY, PlatformKind.SPECIALIZED, PlatformKind.COLLABORATIVE]
    platform_rows: list[Platform] = []
    names_per_org: dict[int, set[str]] = {}
    for number in range(platforms):
        # Every organisation gets one platform; the rest go to randomly chosen ones.
        organisation = (
            organisations[number] if number < len(organisations) else rng.choice(organisations)
        )
        trade = organisation.name[len(organisation.region.name_zh_hans.removesuffix("市")) :][:2]
        name = rng.choice(_PLATFORM_PATTERNS).format(
            trade=trade, industry=rng.choice(_INDUSTRY_WORDS)
        )
        taken = names_per_org.setdefault(organisation.id, set())
        while name in taken:
            name = f"{name}{len(taken) + 1}"
        taken.add(name)
        platform_rows.append(
            Platform(
                organisation=organisation,
                name=name,
                kind=rng.choices(kinds, weights=[5, 3, 2])[0],
                region=organisation.region,
                website=f"https://p{number + 1}.platform.demo.cn",
                launched_year=rng.randint(2015, 2024),
            )
        )
    Platform.objects.bulk_create(platform_rows, batch_size=2000)
    through = Platform.industries.through
    industry_codes = set(Industry.objects.values_list("code", flat=True))
    links = []
    for platform_id in (platform.pk for platform in platform_rows):
        for code in sorted({rng.choice(_INDUSTRY_CHOICES) for _ in range(rng.randint(1, 2))}):
            if code in industry_codes:
                links.append(through(platform_id=platform_id, industry_id=code))
    through.objects.bulk_create(links, batch_size=5000)

    users = [
        User(
            email=DEMO_OPERATOR_EMAIL,
            full_name="平台运营专员",
            role=Role.OPERATOR,
            organisation=organisations[0],
            password=password_hash,
        )
    ]
    for number, organisation in enumerate(organisations, start=1):
        users.append(
            User(
                email=f"op{number}@org{organisation.id}.demo.cn",
                full_name=f"运营人员{number}",
                role=Role.OPERATOR,
                organisation=organisation,
                password=password_hash,
            )
        )
    for account in DEMO_ACCOUNTS:
        users.append(
            User(
                email=account.email,
                full_name=account.full_name,
                role=account.role,
                is_national=account.is_national,
                is_lead_reviewer=account.is_lead_reviewer,
                is_staff=account.role == Role.ADMIN,
                is_superuser=account.role == Role.ADMIN,
                password=password_hash,
            )
        )
    User.objects.bulk_create(users, batch_size=2000)
    by_email = {
        user.email: user for user in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])
    }
    region_links = [
        User.regions.through(user_id=by_email[account.email].id, region_id=code)
        for account in DEMO_ACCOUNTS
        for code in account.region_codes
    ]
    User.regions.through.objects.bulk_create(region_links)
    __import__("assessment.demo_security").demo_security.seed_security_admins(password_hash)
    return {
        "organisations": len(organisations),
        "platforms": len(platform_rows),
        "users": len(users),
    }


def seed_cycles(rubric_version) -> list[AssessmentCycle]:
    """The closed 2026 cycle and the open 2027 one, both on the given rubric version."""
    previous, _ = AssessmentCycle.objects.get_or_create(
        code="2026",
        defaults={
            "title_zh_hans": "2026年度工业互联网平台评估",
            "title_en": "2026 annual assessment of industrial internet platforms",
            "opens_on": date(2026, 3, 1),
            "closes_on": date(2026, 9, 30),
            "rubric_version": rubric_version,
        },
    )
    current, _ = AssessmentCycle.objects.get_or_create(
        code="2027",
        defaults={
            "title_zh_hans": "2027年度工业互联网平台评估",
            "title_en": "2027 annual assessment of industrial internet platforms",
            "opens_on": date(2026, 11, 1),
            "closes_on": date(2027, 6, 30),
            "rubric_version": rubric_version,
        },
    )
    return [previous, current]


# --- Submissions, reviews and certifications -----------------------------------------------------

_TIER_INDEX = {"basic": 1, "growth": 2, "leading": 3, "ecosystem": 4}


def _demo_answer(rng: random.Random, indicator, kind: str, level: int):
    """An answer typical of a platform whose maturity reaches tier `level` (0…4)."""
    criteria = sorted(indicator.criteria, key=lambda criterion: _TIER_INDEX[criterion.tier])
    kind_type = indicator.type
    if kind_type in ("numeric", "percentage"):
        reached = [c for c in criteria if _TIER_INDEX[c.tier] <= level]
        if reached:
            value = float(reached[-1].target_for(kind)) * rng.uniform(1.0, 1.6)
        else:
            value = float(criteria[0].target_for(kind)) * rng.uniform(0.3, 0.95)
        if kind_type == "percentage":
            return round(min(value, 100.0), 1)
        return int(value)
    if kind_type == "boolean":
        return level >= _TIER_INDEX[criteria[0].tier]
    if kind_type == "ordinal":
        return max(0, min(3, level - _TIER_INDEX[criteria[0].tier] + 2 + rng.choice((-1, 0, 0, 1))))
    # choice: the options that count at tiers the platform reaches
    useful = [
        option
        for option in indicator.options
        if any(
            option.satisfaction_at(tier) > 0
            for tier, index in _TIER_INDEX.items()
            if index <= level
        )
    ]
    if indicator.multiple:
        return [option.code for option in useful] or [indicator.options[0].code]
    if not useful:
        return indicator.options[0].code
    target_tier = min(level, 4)
    tier_name = next(tier for tier, index in _TIER_INDEX.items() if index == max(target_tier, 1))
    return max(useful, key=lambda option: option.satisfaction_at(tier_name)).code


def _bulk_insert(
    model, rows: list[dict], *, prepared: frozenset[str] = frozenset(), batch_size: int = 5000
) -> None:
    """Insert many rows, given as {attname: value}, without model instances: COPY on
    PostgreSQL, executemany elsewhere.

    The ORM's bulk_create builds an instance and SQL per object; for the hundreds of thousands
    of answers of a large demo this plain path is several times faster. Fields left out take
    their defaults; auto_now fields take the present time. The fields named in ``prepared``
    are given in database form already (JSON as text, serialised by the worker processes).
    """
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    columns = []  # (attname, adapter of given values or None, adapted default)
    for field in fields:
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            default = now
        elif field.has_default() or not field.null:
            default = field.get_default()
        else:
            default = None
        adapts = field.attname not in prepared and isinstance(
            field, models.JSONField | models.DateField | models.DecimalField | models.FileField
        )
        columns.append(
            (
                field.attname,
                field.get_db_prep_save if adapts else None,
                field.get_db_prep_save(default, connection),
            )
        )
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(field.column) for field in fields)
    values = [
        [
            default if name not in row else adapt(row[name], connection) if adapt else row[name]
            for name, adapt, default in columns
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608
        for start in range(0, len(values), batch_size):
            cursor.executemany(sql, values[start : start + batch_size])


@dataclass(frozen=True)
class _PlannedSubmission:
    """One submission to generate: plain data, so that a worker process can take it."""

    platform_id: int
    kind: str
    cycle_id: int
    window: tuple[datetime, datetime]  # when it may have been submitted
    now: datetime
    state: str
    maturity: float
    operator_id: int
    reviewer_id: int
    seed: str  # of its own random generator: the data do not depend on the worker or key


@dataclass
class _GeneratedSubmission:
    plan: _PlannedSubmission
    state: str
    claimed_result: str
    path: list[str]  # its state changes
    submitted_at: datetime | None
    certified_at: datetime | None
    started_at: datetime  # when the draft was started (Submission.created_at)
    changed_at: list[datetime]  # when each state change of `path` happened
    answers: list[tuple[str, object]]
    evidenced: list[str]
    decisions: list[tuple[str, str]]
    summary: dict
    dimension_means: dict[str, str]


def _generate_submission(rubric, plan: _PlannedSubmission) -> _GeneratedSubmission:
    """Answers, evidence, review decisions and score of one planned submission (no database)."""
    from assessment.selectors.submissions import result_if_verified
    from assessment.services.scoring import build_score_inputs, summary_values
    from questionnaires.scoring import score

    rng = random.Random(plan.seed)
    state = plan.state
    answers, evidenced, decisions = [], [], []
    # A draft is partly answered; everything else is complete.
    answered_share = rng.uniform(0.3, 0.9) if state == "draft" else 1.0
    for precondition in rubric.preconditions:
        answers.append((precondition.code, rng.random() > 0.02))
    for indicator in rubric.indicators:
        if not indicator.applies_to(plan.kind) or rng.random() > answered_share:
            continue
        value = _demo_answer(rng, indicator, plan.kind, _maturity_level(rng, plan.maturity))
        answers.append((indicator.code, value))
        if indicator.evidence == "none" or rng.random() > (0.95 if state != "draft" else 0.6):
            continue
        evidenced.append(indicator.code)
        if (
            state == "certified"
            or (state == "in_review" and rng.random() < 0.5)
            or state == "resubmitted"
        ):
            decisions.append((indicator.code, "verified"))
        elif state == "revision_requested" and rng.random() < 0.1:
            decisions.append((indicator.code, "rejected"))

    preconditions, inputs = build_score_inputs(
        rubric, answers, set(evidenced), {code: (decision, None) for code, decision in decisions}
    )
    result = score(rubric, plan.kind, preconditions, inputs)
    claimed = ""
    if state == "certified" and result.result == "not_rated":
        # Nothing to certify: the reviewer sent it back and the operator withdrew.
        state = "withdrawn"
        path = ["draft", "submitted", "in_review", "revision_requested", "withdrawn"]
    elif state == "certified":
        claimed = result.result  # every uploaded item was verified: the claim is the score
        path = ["draft", "submitted", "in_review", "certified"]
    elif state == "withdrawn":
        path = ["draft", "withdrawn"]
    else:
        path = ["draft", "submitted", "in_review", "revision_requested", "resubmitted"]
        path = path[: path.index(state) + 1]
        if state != "draft":
            claimed = result_if_verified(rubric, plan.kind, answers, set(evidenced), {})

    submitted_at = certified_at = None
    if state != "draft":
        opens, latest = plan.window
        span = max(1, int((latest - opens).total_seconds()))
        submitted_at = opens + timedelta(seconds=rng.randrange(span))
    if state == "certified":
        # Certified some weeks after submission, and never in the future.
        certified_at = min(submitted_at + timedelta(days=rng.randint(14, 70)), plan.now)
    started_at, changed_at, submitted_at, certified_at = _timeline(
        rng, plan, path, submitted_at, certified_at
    )
    summary, dimension_means = summary_values(rubric, inputs, result)
    summary["breakdown"] = json.dumps(summary["breakdown"])  # here, in parallel
    return _GeneratedSubmission(
        plan=plan,
        state=state,
        claimed_result=claimed,
        path=path,
        submitted_at=submitted_at,
        certified_at=certified_at,
        started_at=started_at,
        changed_at=changed_at,
        answers=answers,
        evidenced=evidenced,
        decisions=decisions,
        summary=summary,
        dimension_means=dimension_means,
    )


# Days each step of the review takes in the demo (from the previous step).
_STEP_DAYS = {
    "in_review": (1, 7),
    "revision_requested": (3, 14),
    "resubmitted": (2, 10),
    "withdrawn": (1, 10),
}


def _timeline(rng, plan, path, submitted_at, certified_at):
    """When the draft was started and when each state change happened: in order, certification
    last, never in the future; an open submission has waited some days in its state (events used
    to be dated at the time of seeding, after the certification they led to, and drafts and
    revisions waited "0 days"). Returns started_at, the change times, submitted_at and
    certified_at (moved back together when the steps would end in the future)."""
    opens, latest = plan.window
    if submitted_at is None:
        span = max(1, int((latest - opens).total_seconds()))
        started_at = opens + timedelta(seconds=rng.randrange(span))
        started_at = min(started_at, plan.now - timedelta(days=rng.randint(1, 20)))
        return started_at, [], None, None
    started_at = max(opens, submitted_at - timedelta(days=rng.randint(3, 30)))
    changed_at, previous = [], started_at
    for _from_state, to_state in itertools.pairwise(path):
        if to_state == "submitted":
            moment = submitted_at
        elif to_state == "certified":
            moment = certified_at
        else:
            low, high = _STEP_DAYS.get(to_state, (1, 5))
            moment = previous + timedelta(days=rng.randint(low, high), hours=rng.randint(0, 8))
        moment = max(moment, previous)
        changed_at.append(moment)
        previous = moment
    if certified_at is not None:
        certified_at = previous  # the certification is the last step
    # The last step lies some days back (an open one has been waiting since).
    overflow = previous - (plan.now - timedelta(days=rng.randint(1, 12)))
    if overflow > timedelta(0):
        started_at -= overflow
        changed_at = [moment - overflow for moment in changed_at]
        submitted_at -= overflow
        certified_at = certified_at - overflow if certified_at is not None else None
    return started_at, changed_at, submitted_at, certified_at


def _generate_submissions(rubric, plans: list[_PlannedSubmission]) -> list[_GeneratedSubmission]:
    return [_generate_submission(rubric, plan) for plan in plans]


def _submission_window(cycle, now) -> tuple[datetime, datetime]:
    return (
        datetime.combine(cycle.opens_on, time(9), tzinfo=UTC),
        min(now, datetime.combine(cycle.closes_on, time(18), tzinfo=UTC)),
    )


def _maturity_level(rng: random.Random, maturity: float) -> int:
    return max(0, min(4, round(maturity + rng.gauss(0, 0.45))))


# Share of the current cycle's submissions in each state (the rest of the platforms have none).
_CURRENT_STATES = [
    ("draft", 40),
    ("submitted", 14),
    ("in_review", 14),
    ("revision_requested", 7),
    ("resubmitted", 5),
    ("certified", 20),
]

# A revision request opens round 2 (review_request_revision does the same).
_REVIEW_ROUND = {"draft": 0, "submitted": 0, "revision_requested": 2, "resubmitted": 2}
_REVIEWED_STATES = ("in_review", "revision_requested", "resubmitted", "certified")
_REJECTION = "证明材料与填报数据不一致，请补充第三方检测报告。"


@transaction.atomic
def seed_submissions(*, cycles, seed: int, workers: int = 1) -> dict:
    """Submissions for every cycle: certified results last cycle; every state this cycle.

    Submissions are generated and scored in ``workers`` processes, in batches, while this one
    writes the batches already done; every submission draws from its own seeded generator, so
    the data are the same whatever the number of workers.
    """
    from assessment.services.dashboard_cache import dashboard_cache_invalidate
    from questionnaires.parallel import forked_map
    from questionnaires.selectors import rubric_of

    rng = random.Random(seed + 1)
    previous, current = cycles
    rubric = rubric_of(current.rubric_version)
    national_reviewer = User.objects.get(email="reviewer.national@demo.cn")
    reviewer_by_province: dict[str, int] = {}
    for official in (
        User.objects.filter(role=Role.REVIEWER, is_national=False)
        .prefetch_related("regions")
        .order_by("id")
    ):
        for region in official.regions.all():
            reviewer_by_province.setdefault(region.province_code, official.id)
    operators = dict(
        User.objects.filter(role=Role.OPERATOR).order_by("-id").values_list("organisation_id", "id")
    )
    demo_organisation_id = User.objects.get(email=DEMO_OPERATOR_EMAIL).organisation_id
    now = timezone.now()
    windows = {cycle.pk: _submission_window(cycle, now) for cycle in cycles}

    plans: list[_PlannedSubmission] = []

    def plan(number, platform, cycle, state, maturity):
        plans.append(
            _PlannedSubmission(
                platform_id=platform.pk,
                kind=platform.kind,
                cycle_id=cycle.pk,
                window=windows[cycle.pk],
                now=now,
                state=state,
                maturity=maturity,
                operator_id=operators[platform.organisation_id],
                reviewer_id=reviewer_by_province.get(
                    platform.region_id[:2] + "0000", national_reviewer.id
                ),
                seed=f"{seed}/{number}/{cycle.code}",
            )
        )

    platforms = Platform.objects.order_by("id").only("kind", "organisation", "region")
    for number, platform in enumerate(platforms):
        maturity = min(4.3, max(0.0, rng.betavariate(2.2, 3.0) * 4.6))
        demo = platform.organisation_id == demo_organisation_id
        if demo or rng.random() < 0.7:
            state = "certified" if rng.random() < 0.85 or demo else "withdrawn"
            plan(number, platform, previous, state, maturity)
        if demo:
            plan(number, platform, current, "draft", maturity + 0.4)
        elif rng.random() < 0.65:
            state = rng.choices(
                [s for s, _ in _CURRENT_STATES], weights=[w for _, w in _CURRENT_STATES]
            )[0]
            plan(number, platform, current, state, maturity + 0.3)

    counts = {"submissions": 0, "answers": 0, "certifications": 0}
    batches = (plans[start : start + 250] for start in range(0, len(plans), 250))
    generate = partial(_generate_submissions, rubric)
    for generated in forked_map(generate, batches, workers=workers):
        _store_generated(
            generated,
            rubric_version=current.rubric_version,
            national_reviewer_id=national_reviewer.id,
            counts=counts,
        )
    dashboard_cache_invalidate()
    return counts


def _store_generated(
    generated: list[_GeneratedSubmission], *, rubric_version, national_reviewer_id: int, counts
) -> None:
    """Write a batch of generated submissions, each table in one statement."""
    from assessment.models import (
        Answer,
        Certification,
        DimensionScore,
        EventKind,
        Evidence,
        ReviewDecision,
        ScoreSummary,
        Submission,
        SubmissionEvent,
    )
    from assessment.models.reviews import CertificationStatus

    submissions = Submission.objects.bulk_create(
        [
            Submission(
                platform_id=item.plan.platform_id,
                cycle_id=item.plan.cycle_id,
                rubric_version=rubric_version,
                platform_kind=item.plan.kind,
                state=item.state,
                created_by_id=item.plan.operator_id,
                assigned_reviewer_id=item.plan.reviewer_id
                if item.plan.state in _REVIEWED_STATES
                else None,
                submitted_at=item.submitted_at,
                claimed_result=item.claimed_result,
                review_round=_REVIEW_ROUND.get(item.state, 1),
            )
            for item in generated
        ]
    )
    answers, evidence, decisions, summaries, means, events, certifications = ([] for _ in range(7))
    for submission, item in zip(submissions, generated, strict=True):
        key, operator_id, reviewer_id = submission.pk, item.plan.operator_id, item.plan.reviewer_id
        answers.extend(
            {
                "submission_id": key,
                "question_code": code,
                "value": value,
                "updated_by_id": operator_id,
            }
            for code, value in item.answers
        )
        evidence.extend(
            {
                "submission_id": key,
                "question_code": code,
                "url": f"https://evidence.demo.cn/{key}/{code}.pdf",
                "description": "证明材料",
                "uploaded_by_id": operator_id,
            }
            for code in item.evidenced
        )
        decisions.extend(
            {
                "submission_id": key,
                "question_code": code,
                "decision": decision,
                "reason": _REJECTION if decision == "rejected" else "",
                "review_round": 1,
                "reviewer_id": reviewer_id,
            }
            for code, decision in item.decisions
        )
        summaries.append({"submission_id": key, **item.summary})
        means.extend(
            {"submission_id": key, "dimension_code": code, "mean": mean}
            for code, mean in item.dimension_means.items()
        )
        events.extend(
            {
                "submission_id": key,
                "kind": EventKind.STATE_CHANGED.value,
                "actor_id": reviewer_id
                if to_state in ("in_review", "revision_requested", "certified")
                else operator_id,
                "from_state": from_state,
                "to_state": to_state,
                "created_at": moment,
            }
            for (from_state, to_state), moment in zip(
                itertools.pairwise(item.path), item.changed_at, strict=True
            )
        )
        submission.created_at = item.started_at
        submission.updated_at = item.changed_at[-1] if item.changed_at else item.started_at
        if item.state == "certified":
            needs_sign_off = item.claimed_result in ("leading", "ecosystem")
            certifications.append(
                {
                    "submission_id": key,
                    "tier": item.claimed_result,
                    "status": CertificationStatus.CERTIFIED.value,
                    "rubric_label": rubric_version.label,
                    "snapshot": item.summary["breakdown"],
                    "proposed_by_id": reviewer_id,
                    "proposed_at": item.certified_at,
                    "signed_off_by_id": national_reviewer_id if needs_sign_off else None,
                    "signed_off_at": item.certified_at if needs_sign_off else None,
                    "certified_at": item.certified_at,
                    "valid_until": (item.certified_at + timedelta(days=3 * 365)).date(),
                }
            )
    # bulk_create stamps auto_now(_add) fields with the present; give the generated times.
    Submission.objects.bulk_update(submissions, ["created_at", "updated_at"], batch_size=500)
    _bulk_insert(Answer, answers)
    _bulk_insert(Evidence, evidence)
    _bulk_insert(ReviewDecision, decisions)
    _bulk_insert(ScoreSummary, summaries, prepared=frozenset({"breakdown"}))
    _bulk_insert(DimensionScore, means)
    _bulk_insert(SubmissionEvent, events)
    _bulk_insert(Certification, certifications, prepared=frozenset({"snapshot"}))
    counts["submissions"] += len(submissions)
    counts["answers"] += len(answers)
    counts["certifications"] += len(certifications)


# --- Operator: a few real evidence files for the demo operator's draft ---------------------------

_DEMO_EVIDENCE = [
    (
        "P1",
        "营业执照（演示）.pdf",
        "营业执照（演示件）",
        "统一社会信用代码、成立日期与登记状态“存续”。",
    ),
    (
        "D8.1",
        "网络安全分类分级备案回执（演示）.pdf",
        "工业互联网企业网络安全分类分级备案回执",
        "备案等级：二级；备案日期：2026年5月。",
    ),
]


def _demo_pdf(title: str, body: str) -> bytes:
    from weasyprint import HTML

    html = (
        "<html><head><meta charset='utf-8'><style>body{font-family:'Noto Sans CJK SC',sans-serif;"
        "margin:3cm}h1{font-size:20pt}p{font-size:12pt}</style></head><body>"
        f"<h1>{title}</h1><p>{body}</p><p>本文件为演示数据，不具有法律效力。</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def seed_operator_evidence() -> int:
    """Attach a few generated files to the demo operator's open draft (through the service)."""
    from assessment.models import Submission
    from assessment.services.evidence_files import in_memory_file
    from assessment.services.submissions import evidence_add_file

    operator = User.objects.filter(email=DEMO_OPERATOR_EMAIL).first()
    draft = (
        Submission.objects.filter(
            platform__organisation_id=getattr(operator, "organisation_id", None), state="draft"
        )
        .order_by("-cycle__opens_on")
        .first()
    )
    if operator is None or draft is None:
        return 0
    from questionnaires.selectors import rubric_of

    rubric = rubric_of(draft.rubric_version)
    registry_code = "D1.2" if rubric.indicator("D1.2").applies_to(draft.platform_kind) else "D1.3"
    for code, name, title, body in _DEMO_EVIDENCE:
        evidence_add_file(
            actor=operator,
            submission=draft,
            question_code=code,
            uploaded_file=in_memory_file(_demo_pdf(title, body), name),
            description=title,
        )
    csv = (
        "设备编码,设备类型,协议,所属企业,最近在线时间\n"
        "SZ-0001,数控机床,OPC UA,深圳某精密制造厂,2026-10-30\n"
    )
    evidence_add_file(
        actor=operator,
        submission=draft,
        question_code=registry_code,
        uploaded_file=in_memory_file(csv.encode("utf-8"), "设备接入清单（节选）.csv"),
        description="设备接入清单导出（节选）",
    )
    return len(_DEMO_EVIDENCE) + 1


# --- Review desk: revision requests, notifications, a conflict of interest, a real PDF ----------

_DEMO_REVISION_MESSAGE = "请补充第三方检测报告，并确认填报数据与证明材料一致。"


def _reopen_revisions(current_cycle) -> int:
    """Give the demo's "revision requested" submissions what the review desk records: the
    reopened questions (those with a rejected decision, else the first one with evidence), the
    request event with the answers and evidence it was asked on, and the operator's notice."""
    from collections import defaultdict

    from assessment.models import (
        Answer,
        EventKind,
        Evidence,
        ReviewDecision,
        Submission,
        SubmissionEvent,
    )
    from assessment.services.notifications import notify_revision_requested

    submissions = list(
        Submission.objects.filter(cycle=current_cycle, state="revision_requested")
        .select_related("platform", "cycle")
        .order_by("id")
    )
    ids = [submission.pk for submission in submissions]
    rejected = defaultdict(list)
    for submission_id, code in ReviewDecision.objects.filter(
        submission_id__in=ids, is_current=True, decision="rejected"
    ).values_list("submission_id", "question_code"):
        rejected[submission_id].append(code)
    evidence = defaultdict(lambda: defaultdict(list))
    for submission_id, code, evidence_id in (
        Evidence.objects.filter(submission_id__in=ids, is_current=True)
        .order_by("id")
        .values_list("submission_id", "question_code", "id")
    ):
        evidence[submission_id][code].append(evidence_id)
    answers = defaultdict(dict)
    for answer_id, submission_id, code, value in Answer.objects.filter(
        submission_id__in=ids
    ).values_list("id", "submission_id", "question_code", "value"):
        answers[submission_id][code] = (answer_id, value)

    requested_at = dict(
        SubmissionEvent.objects.filter(
            submission_id__in=ids, kind=EventKind.STATE_CHANGED, to_state="revision_requested"
        )
        .order_by("created_at")
        .values_list("submission_id", "created_at")
    )
    reopened_ids, events = [], []
    for submission in submissions:
        codes = sorted(rejected[submission.pk]) or sorted(evidence[submission.pk])[:1]
        if not codes:
            continue
        reopened_ids += [answers[submission.pk][c][0] for c in codes if c in answers[submission.pk]]
        submission.review_round = 2
        events.append(
            {
                "submission_id": submission.pk,
                "kind": EventKind.REVISION_REQUESTED.value,
                "actor_id": submission.assigned_reviewer_id,
                "note": _DEMO_REVISION_MESSAGE,
                "detail": {
                    "questions": codes,
                    "round": 2,
                    "answers": {c: answers[submission.pk].get(c, (0, None))[1] for c in codes},
                    "evidence": {c: evidence[submission.pk][c] for c in codes},
                },
                # with the state change it goes with, not at the time of seeding
                **(
                    {"created_at": requested_at[submission.pk]}
                    if submission.pk in requested_at
                    else {}
                ),
            }
        )
        notify_revision_requested(
            submission=submission, codes=codes, message=_DEMO_REVISION_MESSAGE, email=False
        )
    for start in range(0, len(reopened_ids), 5000):
        Answer.objects.filter(pk__in=reopened_ids[start : start + 5000]).update(reopened=True)
    Submission.objects.bulk_update(submissions, ["review_round"], batch_size=2000)
    _bulk_insert(SubmissionEvent, events)
    return len(events)


def _attach_demo_pdf(reviewer: User) -> int:
    """A real PDF on a submission the Guangdong reviewer has in review (for the inline viewer)."""
    from django.core.files.base import ContentFile

    from assessment.models import Evidence, Submission
    from assessment.services.evidence_files import check_evidence_file, in_memory_file
    from assessment.services.scoring import submission_rescore

    submission = (
        Submission.objects.filter(assigned_reviewer=reviewer, state="in_review")
        .order_by("id")
        .first()
    )
    if submission is None:
        return 0
    name = "第三方检测报告（演示）.pdf"
    content = _demo_pdf(
        "工业协议解析能力第三方检测报告", "检测结论：平台在用工业协议 30 种，均解析正常。"
    )
    checked = check_evidence_file(in_memory_file(content, name))
    evidence = Evidence(
        submission=submission,
        question_code="D1.1",
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description="第三方检测报告",
        uploaded_by=submission.created_by,
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    submission_rescore(submission=submission)
    return 1


@transaction.atomic
def seed_review_desk() -> dict:
    """The review desk's side of the demo: revision requests with reopened questions and their
    notices, resubmission and certification notices in Guangdong and for the demo operator, a
    declared conflict of interest, and a real PDF to view inline."""
    from assessment.models import ConflictDeclaration, Organisation, Submission
    from assessment.services.notifications import notify_certified, notify_resubmitted
    from questionnaires.choices import Tier

    current = AssessmentCycle.objects.filter(code="2027").first()
    if current is None:
        return {}
    revisions = _reopen_revisions(current)
    gd_reviewer = User.objects.get(email="reviewer.gd@demo.cn")
    demo_operator = User.objects.get(email=DEMO_OPERATOR_EMAIL)
    notices = 0
    for submission in Submission.objects.filter(
        state="resubmitted", platform__region__code__startswith="44"
    ).select_related("platform", "cycle", "assigned_reviewer"):
        notices += len(notify_resubmitted(submission=submission, email=False))
    certified = Submission.objects.filter(state="certified", certification__status="certified")
    certified = certified.filter(
        Q(platform__region__code__startswith="44")
        | Q(platform__organisation_id=demo_operator.organisation_id)
    ).select_related("platform", "cycle", "certification")
    for submission in certified:
        notices += len(
            notify_certified(
                submission=submission,
                tier_label=Tier(submission.certification.tier).label,
                valid_until=submission.certification.valid_until,
                email=False,
            )
        )
    conflicted = (
        Organisation.objects.filter(region__code__startswith="44")
        .exclude(pk=demo_operator.organisation_id)
        .order_by("id")
        .first()
    )
    conflicts = 0
    if conflicted is not None:
        ConflictDeclaration.objects.create(
            reviewer=User.objects.get(email="reviewer2.gd@demo.cn"),
            organisation=conflicted,
            reason="本人曾于2025年为该企业提供数字化转型咨询服务。",
        )
        conflicts = 1
    return {
        "revision requests": revisions,
        "notifications": notices,
        "conflicts of interest": conflicts,
        "review evidence files": _attach_demo_pdf(gd_reviewer),
        **__import__("assessment.demo_panels", fromlist=["seed_panels"]).seed_panels(),
        **seed_monitoring(),  # annual monitoring and XLSX-filed drafts (demo_monitoring.py)
        **__import__("assessment.demo_programme").demo_programme.seed_programme(),
    }
