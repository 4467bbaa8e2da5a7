"""Annual monitoring pages: officials open windows, see the monitoring screen and compliance
per province, decide per platform; operators file their returns. Thin: reads from
assessment.selectors.monitoring, writes through assessment.services.monitoring."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.errors import ApplicationError
from assessment.forms_questionnaire import display_value
from assessment.models import MonitoringDecisionKind, MonitoringWindow, Role
from assessment.permissions import can_open_monitoring, visible_monitoring_returns
from assessment.selectors import monitoring as selectors
from assessment.services import monitoring as services
from questionnaires.rubric import QuestionType
from questionnaires.selectors import rubric_of


def _official(request: HttpRequest) -> None:
    if not selectors.is_monitoring_official(request.user):
        raise Http404


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
def monitoring_home(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.OPERATOR:
        return redirect("operator_monitoring")
    _official(request)
    today = timezone.localdate()
    context = {
        "windows": selectors.monitoring_windows(),
        "may_open": can_open_monitoring(request.user),
        "per_cycle": selectors.downgrades_and_exits_per_cycle(request.user),
        "form": {
            "year": today.year,
            "opens_on": today.isoformat(),
            "closes_on": "",
            "fall_threshold": str(services.default_fall_threshold()),
        },
        "errors": {},
    }
    status = 200
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in context["form"]}
        context["form"] = form
        try:
            year = int(form["year"])
            threshold = Decimal(form["fall_threshold"] or "0.30")
        except (ValueError, InvalidOperation):
            year, threshold = 0, Decimal("-1")
        opens_on, closes_on = _date(form["opens_on"]), _date(form["closes_on"])
        if not 2000 <= year <= 2100:
            context["errors"]["year"] = _("Enter a year between 2000 and 2100.")
        if opens_on is None:
            context["errors"]["opens_on"] = _("Enter a date (YYYY-MM-DD).")
        if closes_on is None:
            context["errors"]["closes_on"] = _("Enter a date (YYYY-MM-DD).")
        if not context["errors"]:
            try:
                window = services.monitoring_window_open(
                    actor=request.user,
                    year=year,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    fall_threshold=threshold,
                )
            except ApplicationError as error:
                context["errors"][error.field or "year"] = str(error.message)
            else:
                messages.success(
                    request,
                    _("The monitoring window %(year)s is open: %(count)d return(s) to file.")
                    % {"year": window.year, "count": window.returns.count()},
                )
                return redirect("monitoring_window", window.year)
        status = 400
    return render(request, "assessment/monitoring/home.html", context, status=status)


@login_required
def monitoring_window(request: HttpRequest, year: int) -> HttpResponse:
    _official(request)
    window = MonitoringWindow.objects.filter(year=year).first()
    if window is None:
        raise Http404
    rows = selectors.monitoring_screen(request.user, window)
    only_flagged = request.GET.get("flagged") == "1"
    context = {
        "window": window,
        "rows": [row for row in rows if row.flags] if only_flagged else rows,
        "only_flagged": only_flagged,
        "compliance": selectors.monitoring_compliance(request.user, window),
        "decision_kinds": MonitoringDecisionKind.choices,
    }
    return render(request, "assessment/monitoring/window.html", context)


@login_required
@require_POST
def monitoring_decide(request: HttpRequest, return_id: int) -> HttpResponse:
    _official(request)
    monitoring_return = (
        visible_monitoring_returns(request.user).select_related("window").filter(pk=return_id)
    ).first()
    if monitoring_return is None:
        raise Http404
    try:
        services.monitoring_decide(
            actor=request.user,
            monitoring_return=monitoring_return,
            kind=request.POST.get("kind", ""),
            reason=request.POST.get("reason", ""),
            deadline=_date(request.POST.get("deadline", "")),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision is recorded and the operator notified."))
    return redirect(f"/monitoring/{monitoring_return.window.year}/#return-{monitoring_return.pk}")


# --- The operator's side -------------------------------------------------------------------


def _operator(request: HttpRequest) -> None:
    if not request.user.is_authenticated or request.user.role != Role.OPERATOR:
        raise Http404


@login_required
def operator_monitoring(request: HttpRequest) -> HttpResponse:
    _operator(request)
    return render(
        request,
        "assessment/monitoring/operator_list.html",
        {"returns": selectors.operator_returns(request.user), "today": timezone.localdate()},
    )


class _Field:
    def __init__(self, indicator, value, language, error, previous=None):
        self.code = indicator.code
        self.name = f"m-{indicator.code}"
        self.id = "m-" + indicator.code.replace(".", "-")
        self.title = indicator.title.get(language)
        self.help = indicator.help.get(language)
        self.unit = indicator.unit.get(language) if indicator.unit else ""
        self.type = str(indicator.type)
        self.value = display_value(value)
        self.previous = display_value(previous)
        self.error = error
        self.options = [(option.code, option.label.get(language)) for option in indicator.options]
        self.multiple = indicator.multiple
        self.anchors = [(str(a.index), a.label.get(language)) for a in indicator.anchors]

    @property
    def values(self):
        return self.value if isinstance(self.value, list) else [self.value]


@login_required
def operator_monitoring_return(request: HttpRequest, return_id: int) -> HttpResponse:
    _operator(request)
    monitoring_return = (
        visible_monitoring_returns(request.user)
        .select_related("window", "certification__submission__rubric_version")
        .filter(pk=return_id)
        .first()
    )
    if monitoring_return is None:
        raise Http404
    submission = monitoring_return.certification.submission
    rubric = rubric_of(submission.rubric_version)
    codes = services.monitored_codes(rubric, submission.platform_kind)
    values = dict(monitoring_return.values)
    errors: dict[str, str] = {}
    incident = monitoring_return.incident_reported
    description = monitoring_return.incident_description
    status = 200
    if request.method == "POST":
        posted = {}
        for code in codes:
            indicator = rubric.indicator(code)
            name = f"m-{code}"
            if indicator.type == QuestionType.CHOICE and indicator.multiple:
                posted[code] = [v for v in request.POST.getlist(name) if v]
            else:
                posted[code] = request.POST.get(name, "").strip()
        incident = request.POST.get("incident_reported") == "yes"
        description = request.POST.get("incident_description", "")
        try:
            services.monitoring_return_file(
                actor=request.user,
                monitoring_return=monitoring_return,
                values=posted,
                incident_reported=incident,
                incident_description=description,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            errors = error.params.get("errors", {})
            values = posted
            status = 400
        else:
            messages.success(request, _("The monitoring return is filed."))
            return redirect("operator_monitoring")
    language = request.LANGUAGE_CODE
    fields = [
        _Field(
            rubric.indicator(code),
            values.get(code),
            language,
            errors.get(code, ""),
            monitoring_return.previous_values.get(code),
        )
        for code in codes
    ]
    evidence: dict[str, list] = {}
    for item in monitoring_return.evidence.all():
        evidence.setdefault(item.question_code, []).append(item)
    for field in fields:
        field.evidence = evidence.get(field.code, [])
    return render(
        request,
        "assessment/monitoring/operator_return.html",
        {
            "monitoring_return": monitoring_return,
            "submission": submission,
            "fields": fields,
            "editable": monitoring_return.window.is_open() and monitoring_return.state != "missing",
            "incident": incident,
            "incident_description": description,
            "incident_error": errors.get("incident_description", ""),
        },
        status=status,
    )


@login_required
@require_POST
def operator_monitoring_evidence(request: HttpRequest, return_id: int) -> HttpResponse:
    _operator(request)
    monitoring_return = visible_monitoring_returns(request.user).filter(pk=return_id).first()
    if monitoring_return is None:
        raise Http404
    try:
        services.monitoring_evidence_add(
            actor=request.user,
            monitoring_return=monitoring_return,
            question_code=request.POST.get("question_code", ""),
            uploaded_file=request.FILES.get("file"),
            url=request.POST.get("url", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evidence is attached."))
    return redirect("operator_monitoring_return", monitoring_return.pk)


@login_required
def monitoring_evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    from django.http import FileResponse

    from assessment.models import MonitoringEvidence

    evidence = (
        MonitoringEvidence.objects.filter(
            monitoring_return__in=visible_monitoring_returns(request.user), pk=evidence_id
        )
        .exclude(file="")
        .first()
    )
    if evidence is None:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )
