"""Expert panel and on-site check pages. Thin: objects come through assessment.permissions
(via the selectors), writes go to assessment.services.panels and .site_checks."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import presentation
from assessment.errors import ApplicationError
from assessment.models import (
    ExpertDecision,
    Organisation,
    PanelSubmission,
    Role,
    SiteCheckFile,
    SiteCheckItem,
    SiteCheckItemStatus,
    SiteCheckVerdict,
    Submission,
    User,
)
from assessment.permissions import visible_submissions
from assessment.selectors import panels as selectors
from assessment.services import panels as services
from assessment.services import site_checks as site_services
from assessment.services.evidence_files import ACCEPT_ATTRIBUTE, INLINE_TYPES
from questionnaires.choices import Result


def _require_panel_user(user: User) -> None:
    if not (user.role in (Role.EXPERT, Role.REVIEWER, Role.REGULATOR) or user.is_admin):
        raise Http404


def _panel_or_404(request: HttpRequest, panel_id: int):
    _require_panel_user(request.user)
    panel = selectors.panel_for_screen(request.user, panel_id)
    if panel is None:
        raise Http404
    return panel


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


# --- Panel list and forming ----------------------------------------------------------------------


@login_required
@require_GET
def panel_list(request: HttpRequest) -> HttpResponse:
    _require_panel_user(request.user)
    context = {
        "rows": selectors.panel_rows(request.user),
        "candidates": selectors.panel_candidates(request.user),
        "is_expert": request.user.role == Role.EXPERT,
        "posted": {},
    }
    return render(request, "assessment/panels/list.html", context)


@login_required
@require_POST
def panel_form(request: HttpRequest) -> HttpResponse:
    _require_panel_user(request.user)
    ids = [int(pk) for pk in request.POST.getlist("submission") if pk.isdigit()]
    submissions = list(visible_submissions(request.user).filter(pk__in=ids))
    if len(submissions) != len(set(ids)):
        raise Http404
    try:
        panel = services.panel_form(
            actor=request.user,
            submissions=submissions,
            size=request.POST.get("size", ""),
            seed=request.POST.get("seed", "") or None,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        context = {
            "rows": selectors.panel_rows(request.user),
            "candidates": selectors.panel_candidates(request.user),
            "is_expert": False,
            "posted": {
                "ids": ids,
                "size": request.POST.get("size", ""),
                "seed": request.POST.get("seed", ""),
            },
            "error": error,
        }
        return render(request, "assessment/panels/list.html", context, status=error.status)
    messages.success(request, _("Panel formed; its experts can now score."))
    return redirect("panel_detail", panel.pk)


@login_required
@require_POST
def expert_conflict(request: HttpRequest) -> HttpResponse:
    """An expert declares a conflict of interest with an organisation, by its credit code."""
    if request.user.role != Role.EXPERT:
        raise Http404
    code = (request.POST.get("credit_code") or "").strip().upper()
    organisation = Organisation.objects.filter(credit_code=code).first()
    try:
        if organisation is None:
            raise ApplicationError(
                "unknown_organisation",
                _("No organisation is registered with this credit code."),
                field="credit_code",
            )
        services.expert_conflict_declare(
            expert=request.user, organisation=organisation, reason=request.POST.get("reason", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("panel_list")
    messages.success(
        request,
        _("Conflict of interest with %(organisation)s recorded; no panel for it will draw you.")
        % {"organisation": organisation},
    )
    return redirect("panel_list")


# --- Panel screen and its actions ----------------------------------------------------------------


def _render_panel(request: HttpRequest, panel, *, error: ApplicationError | None = None):
    screen = selectors.panel_screen(user=request.user, panel=panel)
    if error is not None:
        messages.error(request, error.message)
    context = {"screen": screen, "panel": panel, "error": error, "today": date.today()}  # noqa: DTZ011
    return render(
        request, "assessment/panels/detail.html", context, status=error.status if error else 200
    )


@login_required
@require_GET
def panel_detail(request: HttpRequest, panel_id: int) -> HttpResponse:
    return _render_panel(request, _panel_or_404(request, panel_id))


@login_required
@require_POST
def panel_opinion(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel_or_404(request, panel_id)
    try:
        services.panel_write_opinion(
            actor=request.user, panel=panel, opinion=request.POST.get("opinion", "")
        )
    except ApplicationError as error:
        return _render_panel(request, panel, error=error)
    messages.success(request, _("Panel opinion saved."))
    return redirect("panel_detail", panel.pk)


@login_required
@require_POST
def panel_defence(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel_or_404(request, panel_id)
    entry = panel.entries.filter(submission_id=request.POST.get("submission") or 0).first()
    if entry is None:
        raise Http404
    try:
        services.defence_record(
            actor=request.user,
            panel=panel,
            submission=entry.submission,
            held_on=_parse_date(request.POST.get("held_on", "")),
            attendees=request.POST.get("attendees", ""),
            notes=request.POST.get("notes", ""),
        )
    except ApplicationError as error:
        return _render_panel(request, panel, error=error)
    messages.success(request, _("Defence session recorded."))
    return redirect("panel_detail", panel.pk)


@login_required
@require_POST
def panel_conclude(request: HttpRequest, panel_id: int) -> HttpResponse:
    panel = _panel_or_404(request, panel_id)
    try:
        services.panel_conclude(actor=request.user, panel=panel)
    except ApplicationError as error:
        return _render_panel(request, panel, error=error)
    messages.success(request, _("Panel concluded; each submission moved on."))
    return redirect("panel_detail", panel.pk)


# --- Expert scoring ------------------------------------------------------------------------------


def decisions_from_post(post, codes: list[str], multiple: set[str]) -> dict:
    decisions = {}
    for code in codes:
        decision = post.get(f"decision-{code}", "")
        if not decision:
            continue
        given = {"decision": decision, "reason": post.get(f"reason-{code}", "")}
        if decision == ExpertDecision.CORRECTED:
            values = [v for v in post.getlist(f"value-{code}") if v != ""]
            given["value"] = values if code in multiple else (values[0] if values else None)
        decisions[code] = given
    return decisions


@login_required
@require_http_methods(["GET", "POST"])
def expert_score(request: HttpRequest, panel_id: int, entry_id: int) -> HttpResponse:
    if request.user.role != Role.EXPERT:
        raise Http404
    entry = selectors.entry_for_expert(request.user, panel_id, entry_id)
    if entry is None:
        raise Http404
    error = None
    posted = None
    if request.method == "POST":
        rows, _mine = selectors.scoring_rows(user=request.user, entry=entry)
        codes = [row.code for row in rows]
        multiple = {row.code for row in rows if row.multiple}
        decisions = decisions_from_post(request.POST, codes, multiple)
        submit = request.POST.get("action") == "submit"
        try:
            services.expert_score_save(
                actor=request.user,
                entry=entry,
                decisions=decisions,
                recommended_tier=request.POST.get("recommended_tier", ""),
                comment=request.POST.get("comment", ""),
                submit=submit,
            )
        except ApplicationError as error_raised:
            error = error_raised
            messages.error(request, error.message)
            posted = {
                "decisions": decisions,
                "recommended_tier": request.POST.get("recommended_tier", ""),
                "comment": request.POST.get("comment", ""),
            }
        else:
            if submit:
                messages.success(request, _("Your scores are submitted."))
                return redirect("panel_detail", panel_id)
            messages.success(request, _("Draft saved."))
            return redirect("expert_score", panel_id, entry_id)
    rows, mine = selectors.scoring_rows(user=request.user, entry=entry)
    if posted:
        for row in rows:
            given = posted["decisions"].get(row.code, {})
            row.decision = given.get("decision", row.decision)
            row.value = given.get("value", row.value)
            row.reason = given.get("reason", row.reason)
    context = {
        "entry": entry,
        "submission": entry.submission,
        "rows": rows,
        "mine": mine,
        "submitted": bool(mine and mine.submitted_at),
        "tier_label": presentation.tier_label(entry.tier),
        "decision_choices": ExpertDecision.choices,
        "result_choices": Result.choices,
        "recommended": (posted or {}).get(
            "recommended_tier", mine.recommended_tier if mine else ""
        ),
        "comment": (posted or {}).get("comment", mine.comment if mine else ""),
        "error": error,
    }
    return render(
        request, "assessment/panels/score.html", context, status=error.status if error else 200
    )


# --- On-site checks ------------------------------------------------------------------------------


def _require_inspector(user: User) -> None:
    if user.role != Role.REVIEWER or not user.is_national:
        raise Http404


@login_required
@require_GET
def site_check_list(request: HttpRequest) -> HttpResponse:
    _require_inspector(request.user)
    waiting, checks = selectors.site_check_queue(request.user)
    return render(
        request, "assessment/panels/site_checks.html", {"waiting": waiting, "checks": checks}
    )


@login_required
@require_POST
def site_check_open(request: HttpRequest, submission_id: int) -> HttpResponse:
    _require_inspector(request.user)
    submission = visible_submissions(request.user).filter(pk=submission_id).first()
    if submission is None:
        raise Http404
    try:
        site_check = site_services.site_check_open(
            actor=request.user,
            submission=submission,
            checked_on=_parse_date(request.POST.get("checked_on", "")),
            inspectors=request.POST.get("inspectors", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("site_check_list")
    return redirect("site_check_detail", site_check.pk)


def _site_check_or_404(request: HttpRequest, site_check_id: int):
    _require_inspector(request.user)
    site_check = selectors.site_check_for_screen(request.user, site_check_id)
    if site_check is None:
        raise Http404
    return site_check


def _render_site_check(request, site_check, *, error=None):
    if error is not None:
        messages.error(request, error.message)
    context = {
        "site_check": site_check,
        "submission": site_check.submission,
        "rows": selectors.site_check_rows(site_check),
        "general_files": selectors.site_check_general_files(site_check),
        "tier_label": presentation.tier_label(site_check.tier),
        "status_choices": SiteCheckItemStatus.choices,
        "verdict_choices": SiteCheckVerdict.choices,
        "accept": ACCEPT_ATTRIBUTE,
        "error": error,
    }
    return render(
        request,
        "assessment/panels/site_check.html",
        context,
        status=error.status if error else 200,
    )


@login_required
@require_GET
def site_check_detail(request: HttpRequest, site_check_id: int) -> HttpResponse:
    return _render_site_check(request, _site_check_or_404(request, site_check_id))


@login_required
@require_POST
def site_check_findings(request: HttpRequest, site_check_id: int) -> HttpResponse:
    site_check = _site_check_or_404(request, site_check_id)
    try:
        for item in site_check.items.all():
            status = request.POST.get(f"status-{item.pk}", "")
            finding = request.POST.get(f"finding-{item.pk}", "")
            if not status or (status == item.status and finding == item.finding):
                continue
            site_services.site_check_record_finding(
                actor=request.user, item=item, status=status, finding=finding
            )
    except ApplicationError as error:
        return _render_site_check(request, _site_check_or_404(request, site_check_id), error=error)
    messages.success(request, _("Findings saved."))
    return redirect("site_check_detail", site_check_id)


@login_required
@require_POST
def site_check_upload(request: HttpRequest, site_check_id: int) -> HttpResponse:
    site_check = _site_check_or_404(request, site_check_id)
    item = None
    if request.POST.get("item"):
        item = SiteCheckItem.objects.filter(
            site_check=site_check, pk=request.POST.get("item") or 0
        ).first()
        if item is None:
            raise Http404
    uploaded = request.FILES.get("file")
    try:
        if uploaded is None:
            raise ApplicationError("required", _("Choose a file to upload."), field="file")
        site_services.site_check_attach(
            actor=request.user, site_check=site_check, uploaded_file=uploaded, item=item
        )
    except ApplicationError as error:
        return _render_site_check(request, site_check, error=error)
    messages.success(request, _("File attached."))
    return redirect("site_check_detail", site_check_id)


@login_required
@require_POST
def site_check_verdict(request: HttpRequest, site_check_id: int) -> HttpResponse:
    site_check = _site_check_or_404(request, site_check_id)
    try:
        site_services.site_check_decide(
            actor=request.user,
            site_check=site_check,
            verdict=request.POST.get("verdict", ""),
            summary=request.POST.get("summary", ""),
        )
    except ApplicationError as error:
        return _render_site_check(request, site_check, error=error)
    messages.success(request, _("Verdict recorded."))
    return redirect("site_check_detail", site_check_id)


@login_required
@require_GET
def site_check_file(request: HttpRequest, file_id: int) -> HttpResponse:
    attachment = SiteCheckFile.objects.filter(pk=file_id).first()
    if attachment is None:
        raise Http404
    _site_check_or_404(request, attachment.site_check_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=attachment.content_type not in INLINE_TYPES,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def submission_panels_url(submission: Submission) -> str:
    entry = PanelSubmission.objects.filter(submission=submission).order_by("-id").first()
    return reverse("panel_detail", args=[entry.panel_id]) if entry else ""
