"""The programme's pages (docs/programme.md): the officials' overview (pipeline, quotas, calls),
a call's desk (spot check, recommendation, formal check, notice), the operator's application,
and the public notice, objection and publication pages. Thin: scope through
assessment.permissions, writes in assessment.services.programme, reads in the selectors."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.errors import ApplicationError, NotFound
from assessment.models import (
    AssessmentCycle,
    CallForApplications,
    NoticeEntry,
    Objection,
    Publication,
    PublicNotice,
    Region,
    Role,
    Route,
    SubmissionState,
)
from assessment.models.programme import QUOTA_TIERS
from assessment.permissions import (
    acts_for_province,
    is_ministry_official,
    is_programme_official,
    provincial_lead_for,
    visible_submissions,
)
from assessment.selectors import programme as selectors
from assessment.services import programme as services
from assessment.services.evidence_files import ACCEPT_ATTRIBUTE
from assessment.services.programme.common import calls_by_tier
from assessment.services.programme.notices import notice_is_open
from questionnaires.choices import Tier

S = SubmissionState


def _require_official(request: HttpRequest) -> None:
    if not is_programme_official(request.user):
        raise Http404


def get_visible_or_404(queryset, **lookup):
    """assessment.permissions' lookup, out of scope answering 404 like missing."""
    from assessment.permissions import get_visible_or_404 as scoped

    try:
        return scoped(queryset, **lookup)
    except NotFound as error:
        raise Http404 from error


def _refused(request: HttpRequest, error: ApplicationError, url: str) -> HttpResponse:
    messages.error(request, error.message)
    return redirect(url)


# --- Officials -----------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The pipeline by stage with waiting times, the quota view per province, the calls."""
    _require_official(request)
    calls = list(selectors.calls_for(request.user))
    ministry_calls = [call for call in calls if call.region_id is None]
    chosen = ministry_calls[0] if ministry_calls else None
    context = {
        "calls": calls,
        "call": chosen,
        "stages": selectors.pipeline(request.user, cycle_id=chosen.cycle_id if chosen else None),
        "quotas": selectors.quota_view(chosen, request.user) if chosen else [],
        "quota_tiers": [Tier(tier) for tier in QUOTA_TIERS],
        "can_publish_call": is_ministry_official(request.user)
        or (request.user.role == Role.REGULATOR and bool(selectors.provinces_of(request.user))),
    }
    return render(request, "assessment/programme/overview.html", context)


def _parse_datetime(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def call_new(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    user = request.user
    provinces = selectors.provinces_of(user)
    context = {
        "cycles": AssessmentCycle.objects.order_by("-opens_on"),
        "tiers": Tier.choices,
        "provinces": Region.objects.filter(code__in=provinces),
        "is_ministry": is_ministry_official(user),
        "posted": request.POST,
    }
    if request.method != "POST":
        return render(request, "assessment/programme/call_form.html", context)
    cycle = AssessmentCycle.objects.filter(pk=_int(request.POST.get("cycle"), 0)).first()
    region_code = request.POST.get("region", "")
    region = Region.objects.filter(code=region_code, code__in=provinces).first()
    opens_at = _parse_datetime(request.POST.get("opens_at", ""))
    closes_at = _parse_datetime(request.POST.get("closes_at", ""))
    try:
        if cycle is None:
            raise ApplicationError("required", _("Choose the cycle."), field="cycle")
        if opens_at is None or closes_at is None:
            raise ApplicationError(
                "invalid_datetime", _("Enter when the call opens and closes."), field="opens_at"
            )
        call = services.call_publish(
            actor=user,
            cycle=cycle,
            region=region,
            title_zh_hans=request.POST.get("title_zh_hans", ""),
            title_en=request.POST.get("title_en", ""),
            opens_at=opens_at,
            closes_at=closes_at,
            tiers=request.POST.getlist("tiers"),
            attachments_zh_hans=request.POST.get("attachments_zh_hans", ""),
            attachments_en=request.POST.get("attachments_en", ""),
            quota_leading=_int(request.POST.get("quota_leading"), 3),
            quota_ecosystem=_int(request.POST.get("quota_ecosystem"), 1),
            spot_check_percent=_int(request.POST.get("spot_check_percent"), 20),
            notice_working_days=_int(request.POST.get("notice_working_days"), 5),
            decision_number_pattern=request.POST.get("decision_number_pattern", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        context["error"] = error
        return render(request, "assessment/programme/call_form.html", context, status=400)
    messages.success(request, _("The call for applications is published."))
    return redirect("programme_call", call.pk)


def _call_for(request: HttpRequest, call_id: int) -> CallForApplications:
    _require_official(request)
    return get_visible_or_404(selectors.calls_for(request.user), pk=call_id)


@login_required
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    """A call's desk: what the signed-in official may do in it at their level."""
    call = _call_for(request, call_id)
    user = request.user
    ministry = is_ministry_official(user)
    provinces = selectors.provinces_of(user)
    levels = ([None] if ministry else []) + provinces
    recommendations = []
    for province in provinces:
        if not provincial_lead_for(user, province):
            continue
        for tier in QUOTA_TIERS:
            if call.route_for(tier) != Route.MINISTRY:
                continue
            used = services.quota_used(call, province_code=province, tier=tier)
            quota = services.quota_of(call, province_code=province, tier=tier)
            recommendations.append(
                {
                    "province": province,
                    "tier": Tier(tier),
                    "quota": quota,
                    "used": used,
                    "candidates": list(
                        services.recommendation_candidates(call, province_code=province, tier=tier)
                    ),
                }
            )
    drawn = {draw.region_id: draw for draw in call.draws.all()}
    context = {
        "call": call,
        "is_ministry": ministry,
        "closed": timezone.now() > call.closes_at,
        "spot_checks": [
            {"province": level, "draw": drawn.get(level)}
            for level in levels
            if call.route_for(Tier.BASIC) == Route.SPOT_CHECK
        ],
        "recommendations": recommendations,
        "formal_checks": list(selectors.formal_check_queue(user, call)) if ministry else [],
        "notice_candidates": [
            {
                "province": level,
                "submissions": services.notice_candidates(call, province_code=level),
            }
            for level in levels
        ],
        "notices": selectors.notices_of(call),
        "routes": [(Tier(tier), Route(call.route_for(tier)).label) for tier in call.tiers],
    }
    return render(request, "assessment/programme/call_detail.html", context)


def _level(value: str) -> str | None:
    return value or None


def _call_desk_action(request: HttpRequest, call_id: int, act, done) -> HttpResponse:
    """A POST from a call's desk: `act(call)` calls the service; its refusal goes back to the
    desk as a message, its result to `done(result)` → (success message, where to go or None
    for the desk)."""
    call = _call_for(request, call_id)
    url = reverse("programme_call", args=[call.pk])
    try:
        result = act(call)
    except ApplicationError as error:
        return _refused(request, error, url)
    message, target = done(result)
    messages.success(request, message)
    return redirect(target or url)


@login_required
@require_POST
def spot_check(request: HttpRequest, call_id: int) -> HttpResponse:
    def act(call):
        return services.spot_check_draw(
            actor=request.user, call=call, province_code=_level(request.POST.get("province", ""))
        )

    def done(draw):
        message = _(
            "Drawn %(sample)d of %(population)d for the spot check; the others are certified."
        ) % {"sample": len(draw.sample), "population": len(draw.population)}
        return message, None

    return _call_desk_action(request, call_id, act, done)


@login_required
@require_POST
def recommend(request: HttpRequest, call_id: int) -> HttpResponse:
    province = request.POST.get("province", "")
    tier = request.POST.get("tier", "")
    ranked = []
    for submission in visible_submissions(request.user).filter(
        pk__in=[_int(value, 0) for value in request.POST.getlist("submission")]
    ):
        rank = request.POST.get(f"rank_{submission.pk}", "").strip()
        if rank:
            ranked.append((_int(rank, 999), submission.pk, submission))
    entries = [
        (submission, request.POST.get(f"opinion_{submission.pk}", ""))
        for _rank, _pk, submission in sorted(ranked, key=lambda row: row[:2])
    ]

    def act(call):
        return services.recommendation_sign(
            actor=request.user, call=call, province_code=province, tier=tier, entries=entries
        )

    def done(_recommendation):
        return _("The recommendation is signed and sent to the ministry."), None

    return _call_desk_action(request, call_id, act, done)


@login_required
@require_POST
def formal_check(request: HttpRequest, submission_id: int) -> HttpResponse:
    _require_official(request)
    submission = get_visible_or_404(visible_submissions(request.user), pk=submission_id)
    call = services.call_for_submission(submission)
    url = reverse("programme_call", args=[call.pk]) if call else reverse("programme_overview")
    passed = request.POST.get("outcome") == "pass"
    try:
        services.formal_check_decide(
            actor=request.user,
            submission=submission,
            complete=passed or request.POST.get("complete") == "on",
            eligible=passed or request.POST.get("eligible") == "on",
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as error:
        return _refused(request, error, url)
    if passed:
        messages.success(request, _("Formal check passed; the platform goes to the expert panel."))
    else:
        messages.success(request, _("Returned to the province with the reason."))
    return redirect(url)


@login_required
@require_POST
def notice_publish(request: HttpRequest, call_id: int) -> HttpResponse:
    def act(call):
        return services.notice_publish(
            actor=request.user, call=call, province_code=_level(request.POST.get("province", ""))
        )

    def done(notice):
        message = _("The public notice runs from %(start)s to %(end)s.") % {
            "start": notice.starts_on,
            "end": notice.ends_on,
        }
        return message, reverse("public_notice", args=[notice.pk])

    return _call_desk_action(request, call_id, act, done)


@login_required
@require_POST
def objection_answer(request: HttpRequest, objection_id: int) -> HttpResponse:
    _require_official(request)
    objection = Objection.objects.select_related("entry").filter(pk=objection_id).first()
    if objection is None:
        raise Http404
    get_visible_or_404(visible_submissions(request.user), pk=objection.entry.submission_id)
    url = reverse("public_notice", args=[objection.entry.notice_id])
    try:
        services.objection_answer(
            actor=request.user,
            objection=objection,
            upheld=request.POST.get("outcome") == "upheld",
            answer=request.POST.get("answer", ""),
        )
    except ApplicationError as error:
        return _refused(request, error, url)
    messages.success(request, _("The answer is on record."))
    return redirect(url)


@login_required
@require_POST
def publication_issue(request: HttpRequest, notice_id: int) -> HttpResponse:
    _require_official(request)
    notice = PublicNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    url = reverse("public_notice", args=[notice.pk])
    try:
        publication = services.publication_issue(actor=request.user, notice=notice)
    except ApplicationError as error:
        return _refused(request, error, url)
    messages.success(
        request,
        _("Published under %(number)s.") % {"number": publication.decision_number},
    )
    return redirect("publication_detail", publication.pk)


# --- The operator's application ------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The call that governs the operator's submission (window with a countdown, tiers,
    required attachments) and the tier applied for."""
    if request.user.role != Role.OPERATOR:
        raise Http404
    submission = get_visible_or_404(
        visible_submissions(request.user).select_related("platform__organisation", "cycle"),
        pk=submission_id,
    )
    if request.method == "POST":
        try:
            services.tier_apply(
                actor=request.user, submission=submission, tier=request.POST.get("tier", "")
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The tier you apply for is saved."))
            return redirect("programme_apply", submission.pk)
    governing = calls_by_tier(submission)
    call = services.call_for_submission(submission)
    context = {
        "submission": submission,
        "call": call,
        "tiers": [Tier(tier) for tier in governing],
        "now": timezone.now(),
    }
    return render(request, "assessment/programme/apply.html", context)


# --- Public pages --------------------------------------------------------------------------------


def notices(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/programme/notices.html",
        {"notices": selectors.public_notices(), "publications": selectors.publications()},
    )


def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = (
        PublicNotice.objects.select_related("call", "region", "publication")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise Http404
    user = request.user
    context = {
        "notice": notice,
        "entries": selectors.notice_entries(notice),
        "is_open": notice_is_open(notice),
        "ended": timezone.localdate() > notice.ends_on,
        "open_objections": selectors.open_objections(notice),
        "can_answer": user.is_authenticated
        and acts_for_province(user, province_code=notice.region_id),
        "accept": ACCEPT_ATTRIBUTE,
        "posted": {},
    }
    return render(request, "assessment/programme/notice.html", context)


@require_POST
def objection_file(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = NoticeEntry.objects.select_related("notice").filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    url = reverse("public_notice", args=[entry.notice_id])
    try:
        services.objection_file(
            entry=entry,
            name=request.POST.get("name", ""),
            organisation=request.POST.get("organisation", ""),
            phone=request.POST.get("phone", ""),
            email=request.POST.get("email", ""),
            text=request.POST.get("text", ""),
            files=request.FILES.getlist("file"),
        )
    except ApplicationError as error:
        return _refused(request, error, f"{url}#entry-{entry.pk}")
    messages.success(
        request, _("Your objection is received; the answer will be published on this page.")
    )
    return redirect(f"{url}#entry-{entry.pk}")


def publication_detail(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = (
        Publication.objects.select_related("notice__call", "notice__region")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        raise Http404
    return render(
        request,
        "assessment/programme/publication.html",
        {"publication": publication, "entries": selectors.publication_entries(publication)},
    )
