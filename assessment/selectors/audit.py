"""The audit trail for the audit administrator: security events and submission events in one
list, filtered by date range, region (a province includes its cities), actor and kind."""

import csv
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import chain

from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone

from assessment.models import AuditEvent, Region, SubmissionEvent


@dataclass
class AuditRow:
    when: datetime
    source: str
    kind: str
    kind_label: str
    actor: str
    subject: str
    subject_label: str  # the page's words for the subject (the CSV keeps `subject`)
    ip: str
    region: str
    detail: str


def _bounds(filters):
    zone = timezone.get_current_timezone()
    start = filters.get("start")
    end = filters.get("end")
    return (
        datetime.combine(start, time.min, zone) if start else None,
        datetime.combine(end, time.min, zone) + timedelta(days=1) if end else None,
    )


def _region_codes(code: str) -> list[str]:
    return [code, *Region.objects.filter(parent_id=code).values_list("code", flat=True)]


def _filtered(events, filters, *, region_field: str, actor_match):
    """`events` within the filters' dates, region (a province takes its cities), actor and kind,
    newest first; the two event tables differ only in where the region and actor are."""
    start, end = _bounds(filters)
    if start:
        events = events.filter(created_at__gte=start)
    if end:
        events = events.filter(created_at__lt=end)
    if filters.get("region"):
        events = events.filter(**{f"{region_field}__in": _region_codes(filters["region"])})
    if filters.get("actor"):
        events = events.filter(actor_match(filters["actor"].strip().lower()))
    if filters.get("kind"):
        events = events.filter(kind=filters["kind"])
    return events.order_by("-created_at", "-id")


def _security(filters):
    return _filtered(
        AuditEvent.objects.select_related("actor", "region"),
        filters,
        region_field="region_id",
        actor_match=lambda needle: Q(actor__email__icontains=needle) | Q(subject__icontains=needle),
    )


def _submission(filters):
    return _filtered(
        SubmissionEvent.objects.select_related("actor", "submission__platform"),
        filters,
        region_field="submission__platform__region_id",
        actor_match=lambda needle: Q(actor__email__icontains=needle),
    )


def _security_row(event) -> AuditRow:
    return AuditRow(
        when=event.created_at,
        source="security",
        kind=event.kind,
        kind_label=event.get_kind_display(),
        actor=event.actor.email if event.actor else "",
        subject=event.subject,
        subject_label=event.subject,
        ip=event.ip_address or "",
        region=event.region_id or "",
        detail=str(event.detail or ""),
    )


def _submission_row(event) -> AuditRow:
    return AuditRow(
        when=event.created_at,
        source="submission",
        kind=event.kind,
        kind_label=event.get_kind_display(),
        actor=event.actor.email if event.actor else "",
        subject=f"submission {event.submission_id} {event.question_code}".strip(),
        subject_label=" ".join(filter(None, [str(event.submission.platform), event.question_code])),
        ip="",
        region=event.submission.platform.region_id,
        detail=str(event.detail or ""),
    )


def audit_rows(filters, *, limit: int) -> list[AuditRow]:
    rows = [_security_row(e) for e in _security(filters)[:limit]]
    rows += [_submission_row(e) for e in _submission(filters)[:limit]]
    return sorted(rows, key=lambda row: row.when, reverse=True)[:limit]


class _Echo:
    def write(self, value):
        return value


def audit_csv_response(filters) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = ["when", "source", "kind", "actor", "subject", "address", "region", "detail"]
    rows = chain(
        (_security_row(e) for e in _security(filters).iterator(chunk_size=2000)),
        (_submission_row(e) for e in _submission(filters).iterator(chunk_size=2000)),
    )
    lines = chain(
        ["\ufeff"],
        [writer.writerow(header)],
        (
            writer.writerow(
                [
                    timezone.localtime(r.when).isoformat(),
                    r.source,
                    r.kind,
                    r.actor,
                    r.subject,
                    r.ip,
                    r.region,
                    r.detail,
                ]
            )
            for r in rows
        ),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
