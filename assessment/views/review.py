"""The review desk's pages: the queue, the review screen and its actions, the audit trail,
notifications, and the public register of certified platforms. Thin: objects come through
assessment.permissions, writes go to assessment.services.reviews, reads to the selectors."""

import csv
import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from assessment.errors import ApplicationError, NotFound
from assessment.models import (
    Certification,
    Notification,
    Role,
    Submission,
    SubmissionState,
    User,
)
from assessment.models.reviews import CertificationStatus
from assessment.models.submissions import ReviewDecisionKind
from assessment.permissions import can_review_submission, visible_submissions
from assessment.selectors import reviews as selectors
from assessment.services import notifications as notification_services
from assessment.services import reviews as services
from questionnaires.choices import PlatformKind, Result, Tier

S = SubmissionState


# --- Helpers -------------------------------------------------------------------------------------


def _is_desk_user(user: User) -> bool:
    return user.is_authenticated and (user.role == Role.REVIEWER or user.is_admin)


def _submission_for_review(request: HttpRequest, submission_id: int) -> Submission:
    """The submission if the user may open its review screen; otherwise 404 (as if missing)."""
    user = request.user
    if not _is_desk_user(user):
        raise Http404
    scoped = visible_submissions(user).exclude(state=S.DRAFT)
    submission = selectors.review_screen_submission(submission_id, scoped)
    if submission is None:
        raise Http404
    if not user.is_admin and not can_review_submission(user, submission):
        raise Http404
    return submission


def _certification_for(request: HttpRequest, certification_id: int) -> Certification:
    certification = Certification.objects.filter(pk=certification_id).first()
    if certification is None:
        raise Http404
    _submission_for_review(request, certification.submission_id)
    return certification


def _screen_url(submission_id: int, anchor: str = "") -> str:
    url = reverse("review_detail", args=[submission_id])
    return f"{url}#{anchor}" if anchor else url


def _render_screen(
    request: HttpRequest,
    submission: Submission,
    *,
    error: ApplicationError | None = None,
    error_target: str = "",
    posted: dict | None = None,
    refusal: "_Refusal | None" = None,
    in_place: bool = False,
):
    """The review screen; after a refused action, with the refusal beside its field.

    `in_place`: for review.js, which takes the changed parts out of this page without a reload
    (so no message is queued for the next page).
    """
    screen = selectors.review_screen(user=request.user, submission=submission)
    if error is not None and not in_place:
        messages.error(request, error.message)
    context = {
        "screen": screen,
        "submission": screen.submission,
        "error": error or refusal,
        "error_target": error_target,
        "posted": posted or {},
        "decision_kinds": ReviewDecisionKind.choices,
        "check_labels": {
            selectors.CHECK_GATE: _("gate"),
            selectors.CHECK_NUMERIC: _("numeric criterion"),
            selectors.CHECK_SAMPLE: _("sample"),
        },
    }
    status = error.status if error is not None else 200
    return render(request, "assessment/review/detail.html", context, status=status)


def _reload(request: HttpRequest, submission_id: int) -> Submission:
    return _submission_for_review(request, submission_id)


_REFUSAL_KEY = "review_refusal"


@dataclass(frozen=True)
class _Refusal:
    """A refused action carried over a redirect to the screen (what the template shows)."""

    field: str
    message: str


def _refused(
    request: HttpRequest, submission_id: int, error: ApplicationError, target: str, posted: dict
) -> HttpResponse:
    """After a refused form on the screen, back to the screen's own URL (never the POST URL, so
    reloading cannot post again) with the message beside the field and the input kept."""
    messages.error(request, error.message)
    request.session[_REFUSAL_KEY] = {
        "submission": submission_id,
        "target": target,
        "field": error.field or "",
        "message": str(error.message),
        "posted": posted,
    }
    return redirect(_screen_url(submission_id, target))


# --- Queue ---------------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not _is_desk_user(request.user):
        raise Http404
    filters = selectors.QueueFilters.from_query(request.GET)
    queue_page = selectors.review_queue(user=request.user, filters=filters)
    context = {
        "queue": queue_page,
        "filters": filters,
        "page": queue_page.page,
        "options": queue_page.options,
        "state_choices": [
            (selectors.STATE_OPEN, _("Open (awaiting the desk)")),
            *[(state, S(state).label) for state in selectors.OPEN_STATES],
            (S.CERTIFIED, S.CERTIFIED.label),
            (selectors.STATE_REVOKED, _("Revoked")),
            (selectors.STATE_AWAITING_SIGN_OFF, _("Awaiting national sign-off")),
            ("all", _("All")),
        ],
        "kind_choices": PlatformKind.choices,
        "result_choices": Result.choices,
        "waiting_choices": selectors.WAITING_DAYS,
        "sort_links": {
            key.replace("-", "desc_"): "?" + filters.query_string(sort=key)
            for key in selectors.QUEUE_SORTS
        },
        "can_assign_others": bool(queue_page.options.reviewers),
        # Translated once for the page, not once per row.
        "awaiting_label": _("awaiting sign-off"),
        "days_label": _("days"),
        "unassigned_label": _("Not assigned"),
        "assign_label": _("Assign to me"),
        "is_reviewer": request.user.role == Role.REVIEWER,
    }
    return render(request, "assessment/review/queue.html", context)


@login_required
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    """Assign one or several submissions: to oneself, or (a lead) to a chosen reviewer."""
    if not _is_desk_user(request.user):
        raise Http404
    ids = [value for value in request.POST.getlist("submission") if value.isdigit()]
    target = request.POST.get("reviewer", "self")
    next_url = request.POST.get("next", "")
    if not next_url and len(ids) == 1 and target == "self":
        next_url = reverse("review_detail", args=[ids[0]])  # taking one: go and review it
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("review_queue")
    if not ids:
        messages.error(request, _("Choose at least one submission to assign."))
        return redirect(next_url)
    if target == "self":
        reviewer = request.user
    else:
        reviewer = (
            User.objects.filter(pk=target, role=Role.REVIEWER, is_active=True).first()
            if target.isdigit()
            else None
        )
        if reviewer is None:
            messages.error(request, _("Choose a reviewer."))
            return redirect(next_url)
    scoped = visible_submissions(request.user)
    assigned = 0
    for submission in scoped.filter(pk__in=ids).select_related("platform"):
        try:
            services.review_assign(actor=request.user, submission=submission, reviewer=reviewer)
            assigned += 1
        except ApplicationError as error:
            messages.error(
                request,
                _("%(platform)s: %(message)s")
                % {"platform": submission.platform.name, "message": error.message},
            )
    if assigned:
        messages.success(
            request,
            _("%(count)d submission(s) assigned to %(reviewer)s.")
            % {"count": assigned, "reviewer": reviewer},
        )
    return redirect(next_url)


# --- Review screen -------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission_for_review(request, submission_id)
    refusal = request.session.pop(_REFUSAL_KEY, None)
    if refusal and refusal.get("submission") == submission.pk:
        return _render_screen(
            request,
            submission,
            refusal=_Refusal(field=refusal["field"], message=refusal["message"]),
            error_target=refusal["target"],
            posted=refusal["posted"],
        )
    return _render_screen(request, submission)


@login_required
@require_POST
def start(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission_for_review(request, submission_id)
    try:
        services.review_start(actor=request.user, submission=submission)
    except ApplicationError as error:
        return _render_screen(request, _reload(request, submission_id), error=error)
    messages.success(request, _("The review has started."))
    return redirect(_screen_url(submission_id))


@login_required
@require_POST
def decide(request: HttpRequest, submission_id: int, code: str) -> HttpResponse:
    submission = _submission_for_review(request, submission_id)
    in_place = request.headers.get("X-Requested-With") == "fetch"
    decision = request.POST.get("decision", "")
    corrected = request.POST.getlist("corrected_value")
    if len(corrected) <= 1:
        corrected = corrected[0] if corrected and corrected[0] != "" else None
    if request.POST.get("corrected_multiple") and isinstance(corrected, str):
        corrected = [corrected]
    try:
        services.review_decide(
            actor=request.user,
            submission=submission,
            question_code=code,
            decision=decision,
            reason=request.POST.get("reason", ""),
            corrected_value=corrected,
        )
    except ApplicationError as error:
        posted = {"decision": decision, "reason": request.POST.get("reason", "")}
        return _render_screen(
            request,
            _reload(request, submission_id),
            error=error,
            error_target=code,
            posted=posted,
            in_place=in_place,
        )
    if in_place:
        # review.js swaps in this indicator and the score panels; the rest of the page, with
        # whatever the reviewer ticked or typed there, stays as it is.
        return _render_screen(request, _reload(request, submission_id), in_place=True)
    messages.success(request, _("Decision on %(code)s saved.") % {"code": code})
    return redirect(_screen_url(submission_id, f"ind-{code}"))


@login_required
@require_POST
def request_revision(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission_for_review(request, submission_id)
    codes = request.POST.getlist("question_codes")
    message = request.POST.get("message", "")
    try:
        services.review_request_revision(
            actor=request.user, submission=submission, question_codes=codes, message=message
        )
    except ApplicationError as error:
        return _render_screen(
            request,
            _reload(request, submission_id),
            error=error,
            error_target="revision",
            posted={"message": message, "question_codes": codes},
        )
    messages.success(request, _("Revision requested; the operator has been notified."))
    return redirect(_screen_url(submission_id))


@login_required
@require_POST
def certify(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission_for_review(request, submission_id)
    try:
        certification = services.certification_propose(actor=request.user, submission=submission)
    except ApplicationError as error:
        return _render_screen(
            request, _reload(request, submission_id), error=error, error_target="certify"
        )
    if certification.status == CertificationStatus.CERTIFIED:
        messages.success(
            request,
            _("Certified at the %(tier)s tier, valid until %(date)s.")
            % {"tier": Tier(certification.tier).label, "date": certification.valid_until},
        )
    elif certification.status == CertificationStatus.IN_PROGRAMME:
        messages.success(
            request,
            _("The %(tier)s tier is proposed; it goes on along the programme's route (%(stage)s).")
            % {
                "tier": Tier(certification.tier).label,
                "stage": S(certification.submission.state).label,
            },
        )
    else:
        messages.success(
            request,
            _("The %(tier)s tier is proposed; it awaits a national reviewer's sign-off.")
            % {"tier": Tier(certification.tier).label},
        )
    return redirect(_screen_url(submission_id))


@login_required
@require_POST
def sign_off(request: HttpRequest, certification_id: int) -> HttpResponse:
    certification = _certification_for(request, certification_id)
    submission_id = certification.submission_id
    action = request.POST.get("action", "sign_off")
    reason = request.POST.get("reason", "")
    try:
        if action == "decline":
            services.certification_decline(
                actor=request.user, certification=certification, reason=reason
            )
        else:
            services.certification_sign_off(actor=request.user, certification=certification)
    except ApplicationError as error:
        return _refused(request, submission_id, error, "sign_off", {"reason": reason})
    if action == "decline":
        messages.success(request, _("Sign-off declined; the proposing reviewer was notified."))
    else:
        messages.success(request, _("Signed off: the tier is certified."))
    return redirect(_screen_url(submission_id))


@login_required
def revoke(request: HttpRequest, certification_id: int) -> HttpResponse:
    """Revoking asks first: the page names the certification and takes the reason."""
    certification = _certification_for(request, certification_id)
    submission_id = certification.submission_id
    reason = request.POST.get("reason", "")
    error = None
    if request.method == "POST":
        try:
            services.certification_revoke(
                actor=request.user, certification=certification, reason=reason
            )
        except ApplicationError as refused:
            error = refused
        else:
            messages.success(request, _("The certification is revoked."))
            return redirect(_screen_url(submission_id))
    screen = selectors.review_screen(user=request.user, submission=_reload(request, submission_id))
    if not screen.can_revoke:
        raise Http404
    context = {
        "certification": certification,
        "submission": screen.submission,
        "error": error,
        "reason": reason,
    }
    return render(
        request,
        "assessment/review/revoke.html",
        context,
        status=error.status if error is not None else 200,
    )


@login_required
@require_POST
def declare_conflict(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission_for_review(request, submission_id)
    reason = request.POST.get("reason", "")
    try:
        services.conflict_declare(
            reviewer=request.user,
            organisation=submission.platform.organisation,
            reason=reason,
        )
    except NotFound as error:
        raise Http404 from error
    except ApplicationError as error:
        return _render_screen(
            request,
            _reload(request, submission_id),
            error=error,
            error_target="conflict",
            posted={"reason": reason},
        )
    messages.success(
        request,
        _(
            "Your conflict of interest with %(organisation)s is recorded; its submissions are "
            "no longer yours to review."
        )
        % {"organisation": submission.platform.organisation.name},
    )
    return redirect("review_queue")


# --- Audit trail ---------------------------------------------------------------------------------


@login_required
@require_GET
def events(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _submission_for_review(request, submission_id)
    labels = dict(S.choices)
    rows = [
        {
            "event": event,
            "from_label": labels.get(event.from_state, event.from_state),
            "to_label": labels.get(event.to_state, event.to_state),
        }
        for event in selectors.submission_events(submission)
    ]
    context = {"submission": submission, "rows": rows, "can_export": request.user.is_admin}
    return render(request, "assessment/review/events.html", context)


class _Echo:
    def write(self, value):
        return value


def _csv_cell(value) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def events_csv(request: HttpRequest, submission_id: int) -> HttpResponse:
    if not request.user.is_admin:
        raise Http404
    submission = _submission_for_review(request, submission_id)
    writer = csv.writer(_Echo())
    header = [
        "id",
        "created_at",
        "actor_email",
        "actor_name",
        "kind",
        "from_state",
        "to_state",
        "question_code",
        "note",
        "detail",
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for event in selectors.submission_events(submission).iterator():
            yield writer.writerow(
                [
                    _csv_cell(value)
                    for value in (
                        event.pk,
                        timezone.localtime(event.created_at).isoformat(),
                        event.actor.email if event.actor else "",
                        str(event.actor) if event.actor else "",
                        event.kind,
                        event.from_state,
                        event.to_state,
                        event.question_code,
                        event.note,
                        json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="submission-{submission.pk}-events.csv"'
    )
    return response


# --- Notifications -------------------------------------------------------------------------------

NOTIFICATIONS_SHOWN = 100


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    user = request.user
    notices = list(
        Notification.objects.filter(recipient=user)
        .select_related("submission__platform")
        .order_by("-created_at", "-id")[:NOTIFICATIONS_SHOWN]
    )
    english = (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en")
    items = [
        {
            "notice": notice,
            "message": notice.message_en if english else notice.message_zh_hans,
            "link": notification_services.submission_link(user, notice.submission_id),
        }
        for notice in notices
    ]
    unread = sum(1 for notice in notices if notice.read_at is None)
    return render(
        request, "assessment/review/notifications.html", {"items": items, "unread": unread}
    )


@login_required
@require_GET
def notifications_unread(request: HttpRequest) -> JsonResponse:
    """How many of the user's notifications are unread, for the count beside the menu link
    (nav.js asks, so no page pays a query for it)."""
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    label = ngettext("%(count)d unread", "%(count)d unread", count) % {"count": count}
    return JsonResponse({"unread": count, "label": label})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = [value for value in request.POST.getlist("notification") if value.isdigit()]
    count = notification_services.notifications_mark_read(
        user=request.user, notification_ids=ids or None
    )
    if count:
        messages.success(request, _("%(count)d notification(s) marked as read.") % {"count": count})
    return redirect("notifications")


# --- Public register -----------------------------------------------------------------------------


@require_GET
def public_register(request: HttpRequest) -> HttpResponse:
    filters = selectors.RegisterFilters.from_query(request.GET)
    page = selectors.register_certifications(filters=filters)
    context = {
        "page": page,
        "filters": filters,
        "provinces": selectors.register_provinces(),
        "tier_choices": Tier.choices,
        "kind_choices": PlatformKind.choices,
    }
    return render(request, "assessment/review/register.html", context)
