"""Report pages: the evaluation report download, the public verification page, regional
reports and batches for regulators. Thin: the work is in assessment.services.reports."""

import hashlib
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from assessment.errors import ApplicationError, NotFound
from assessment.models import AssessmentCycle, ReportBatchStatus
from assessment.permissions import get_visible_or_404, visible_submissions
from assessment.selectors import reports as report_selectors
from assessment.services import certificates, signing, verification
from assessment.services import reports as report_services
from assessment.services.report_batches import batch_is_downloadable

LANGUAGE_CHOICES = [("zh-hans", "简体中文"), ("en", "English")]
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


def _report_language(request: HttpRequest) -> str:
    return request.GET.get("lang") or request.LANGUAGE_CODE


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _get_or_404(queryset, **lookup):
    try:
        return get_visible_or_404(queryset, **lookup)
    except NotFound as error:
        raise Http404(str(error.message)) from error


def _report_submission(request: HttpRequest, submission_id: int):
    """The submission with what its report and certificate read, if the caller may see it."""
    scoped = report_selectors.report_submission_queryset().filter(
        pk__in=visible_submissions(request.user).values("pk")
    )
    return _get_or_404(scoped, pk=submission_id)


def _refused(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return render(request, "assessment/reports/refused.html", {"error": error}, status=error.status)


# --- Evaluation report -------------------------------------------------------------------------


@login_required
@require_GET
def submission_report(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The evaluation report of a submission as PDF (?lang=zh-hans|en)."""
    submission = _report_submission(request, submission_id)
    try:
        report, pdf = report_services.submission_report_pdf(
            submission=submission, language=_report_language(request), user=request.user
        )
    except ApplicationError as error:
        return _refused(request, error)
    return _pdf_response(pdf, report_services.report_filename(report, submission))


@login_required
@require_GET
def submission_certificate(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The certificate of a certification in force as a signed PDF (?lang=zh-hans|en)."""
    submission = _report_submission(request, submission_id)
    try:
        report, pdf = certificates.certificate_pdf(
            submission=submission, language=_report_language(request), user=request.user
        )
    except ApplicationError as error:
        return _refused(request, error)
    return _pdf_response(pdf, f"{report.number}.pdf")


# --- Verification (public) ---------------------------------------------------------------------


class VerifyNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Report number"),
        max_length=60,
        help_text=_("As printed in every page footer, e.g. IIP-2027-7K3M-9QXD-2HBF-RW4A."),
    )


class VerifyHashForm(forms.Form):
    sha256 = forms.CharField(
        label=_("SHA-256 or SM3 hash"),
        required=False,
        max_length=100,
        help_text=_(
            "A data hash printed on the last page (SHA-256 or SM3), or the SHA-256 of the PDF."
        ),
    )
    pdf = forms.FileField(
        label=_("Or upload the PDF"),
        required=False,
        help_text=_("The file is hashed and its signature checked; it is not kept."),
    )

    def clean_sha256(self):
        value = self.cleaned_data["sha256"].strip()
        if value and not _HEX64.match(value):
            raise forms.ValidationError(_("A SHA-256 or SM3 hash has 64 hexadecimal characters."))
        return value.lower()

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("sha256") and not cleaned.get("pdf") and not self.errors:
            raise forms.ValidationError(_("Paste a hash or choose a PDF file."))
        return cleaned

    def checked(self) -> tuple[str, signing.SignatureCheck | None]:
        """The hash to look up, and the uploaded PDF's signature check (None when pasted)."""
        upload = self.cleaned_data.get("pdf")
        if upload:
            content = b"".join(upload.chunks())
            return hashlib.sha256(content).hexdigest(), signing.pdf_signature_check(content)
        return self.cleaned_data["sha256"], None


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if verification.verification_allowed(client=_client_address(request)):
        return None
    response = render(request, "assessment/reports/throttled.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_GET
def verify_report(request: HttpRequest) -> HttpResponse:
    """Public: enter a report number (no login)."""
    if request.GET and (refused := _throttled(request)):
        return refused
    form = VerifyNumberForm(request.GET or None)
    if form.is_bound and form.is_valid():
        number = report_services.normalise_report_number(form.cleaned_data["number"])
        if report_services.report_number_is_well_formed(number):
            return HttpResponseRedirect(reverse("verify_report_detail", kwargs={"number": number}))
        form.add_error(
            "number", _("This is not a report number of the form IIP-2027-XXXX-XXXX-XXXX-XXXX.")
        )
    return render(request, "assessment/reports/verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_report_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Public: the authoritative facts of a report number, and a hash and signature check."""
    if refused := _throttled(request):
        return refused
    hash_form = VerifyHashForm(request.POST or None, request.FILES or None)
    given, signature = "", None
    if request.method == "POST" and hash_form.is_valid():
        given, signature = hash_form.checked()
    try:
        record = report_services.report_verify(number=number, sha256=given, signature=signature)
    except NotFound:
        form = VerifyNumberForm(initial={"number": number})
        return render(
            request,
            "assessment/reports/verify.html",
            {"form": form, "not_found": number},
            status=404,
        )
    return render(
        request,
        "assessment/reports/verify_detail.html",
        {"verification": record, "hash_form": hash_form},
    )


# --- Regional reports and batches (regulators) -------------------------------------------------


class RegionalReportForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=AssessmentCycle.objects.all(), to_field_name="code"
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, user, nation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        regions = [
            (region.code, f"{region.code} {region.name}")
            for region in report_selectors.batch_regions(user)
        ]
        choices = ([("", _("Nation"))] if nation else []) + regions
        self.fields["region"].choices = choices
        self.fields["region"].required = not nation


class BatchRequestForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=AssessmentCycle.objects.all(), to_field_name="code"
    )
    region = forms.ChoiceField(label=_("Region"))
    lang = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            (region.code, f"{region.code} {region.name}")
            for region in report_selectors.batch_regions(user)
        ]


def _require_regulator(request: HttpRequest) -> None:
    if not report_selectors.can_request_regional_reports(request.user):
        raise Http404


@login_required
@require_GET
def regional_report(request: HttpRequest) -> HttpResponse:
    """A province's (or the nation's) report for a cycle, as PDF."""
    _require_regulator(request)
    try:
        # Out of scope looks like missing (404); the nation without national scope is refused.
        region = report_services.regional_report_region(
            user=request.user, region_code=request.GET.get("region", "")
        )
    except NotFound as error:
        raise Http404(str(error.message)) from error
    except ApplicationError as error:
        return _refused(request, error)
    nation = report_selectors.can_see_nation(request.user)
    form = RegionalReportForm(request.GET, user=request.user, nation=nation)
    if not form.is_valid():
        messages.error(request, _("Choose a cycle, a region and a language."))
        return redirect("report_batches")
    try:
        pdf = report_services.regional_report_pdf(
            cycle=form.cleaned_data["cycle"], region=region, language=form.cleaned_data["lang"]
        )
    except ApplicationError as error:
        return _refused(request, error)
    cycle = form.cleaned_data["cycle"]
    name = f"regional-report-{cycle.code}-{region.code if region else 'national'}.pdf"
    return _pdf_response(pdf, name)


@login_required
@require_http_methods(["GET", "POST"])
def report_batches(request: HttpRequest) -> HttpResponse:
    """A regulator's batches: request one, follow its progress, download the ZIP."""
    _require_regulator(request)
    user = request.user
    initial = {"lang": request.LANGUAGE_CODE}
    latest_cycle = AssessmentCycle.objects.order_by("-opens_on").first()
    if latest_cycle:
        initial["cycle"] = latest_cycle.code
    form = BatchRequestForm(request.POST or None, user=user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            region = report_selectors.batch_regions(user).get(code=form.cleaned_data["region"])
            try:
                report_services.report_batch_request(
                    user=user,
                    region=region,
                    cycle=form.cleaned_data["cycle"],
                    language=form.cleaned_data["lang"],
                )
            except ApplicationError as error:
                form.add_error(error.field or None, error.message)
                status = error.status
            else:
                messages.success(request, _("The batch is queued. This page shows its progress."))
                return redirect("report_batches")
        else:
            status = 400
    regional_form = RegionalReportForm(
        user=user,
        nation=report_selectors.can_see_nation(user),
        initial=initial,
        auto_id="regional_%s",
    )
    batches = list(report_selectors.visible_batches(user)[:50])
    return render(
        request,
        "assessment/reports/batches.html",
        {
            "form": form,
            "regional_form": regional_form,
            "batches": batches,
            "keep_hours": settings.REPORT_BATCH_KEEP_HOURS,
            "running": any(
                batch.status in (ReportBatchStatus.QUEUED, ReportBatchStatus.RUNNING)
                for batch in batches
            ),
        },
        status=status,
    )


@login_required
@require_GET
def report_batch_status(request: HttpRequest, batch_id: int) -> JsonResponse:
    _require_regulator(request)
    batch = _get_or_404(report_selectors.visible_batches(request.user), pk=batch_id)
    return JsonResponse(
        {
            "id": batch.pk,
            "status": batch.status,
            "status_label": str(batch.get_status_display()),
            "done": batch.done,
            "total": batch.total,
            "percent": batch.percent,
            "download": reverse("report_batch_download", kwargs={"batch_id": batch.pk})
            if batch.status == ReportBatchStatus.DONE
            else "",
        }
    )


@login_required
@require_GET
def report_batch_download(request: HttpRequest, batch_id: int) -> FileResponse:
    _require_regulator(request)
    batch = _get_or_404(report_selectors.visible_batches(request.user), pk=batch_id)
    if not batch_is_downloadable(batch):  # housekeeping deletes expired ZIPs
        raise Http404
    return FileResponse(
        batch.zip_file.open("rb"),
        as_attachment=True,
        filename=report_services.batch_download_name(batch),
        content_type="application/zip",
    )
