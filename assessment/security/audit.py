"""Writing and checking the security audit trail (AuditEvent) and the submission events' chain."""

from django.db import connection, transaction

from assessment.client_ip import client_ip
from assessment.models import AuditEvent, SubmissionEvent
from assessment.models.security import chain_hash

# Any constant: serialises appends to the audit chain on PostgreSQL (SQLite's IMMEDIATE
# transactions already do).
_CHAIN_LOCK = 2207_2019


def _region_of(actor, region):
    if region is not None or actor is None or not getattr(actor, "is_authenticated", False):
        return region
    if actor.organisation_id:
        return actor.organisation.region
    return actor.regions.order_by("code").first()


@transaction.atomic
def security_event_record(
    *,
    request,
    kind: str,
    actor=None,
    subject: str = "",
    region=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the security audit trail, chained to the one before."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if not subject and actor is not None:
        subject = actor.email
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
    address = client_ip(request) if request is not None else None
    event = AuditEvent(
        kind=kind,
        actor=actor,
        subject=(subject or "")[:254],
        ip_address=address or None,
        region=_region_of(actor, region),
        detail=detail or {},
        previous_hash=last,
    )
    event.hash = chain_hash(last, event.chain_payload())
    event.save()
    return event


def verify_chains() -> list[str]:
    """Every break in the audit chains: an edited event, a removed one, a reordered one."""
    problems = []
    previous = None  # the oldest kept event may follow pruned ones (prune_audit)
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if previous is not None and event.previous_hash != previous:
            problems.append(f"audit event {event.pk}: the event before it was removed or altered")
        if event.hash != chain_hash(event.previous_hash, event.chain_payload()):
            problems.append(f"audit event {event.pk}: its content was altered")
        previous = event.hash
    chain = {}
    for event in SubmissionEvent.objects.order_by("submission_id", "sequence", "id").iterator(
        chunk_size=2000
    ):
        expected_sequence, previous = chain.get(event.submission_id, (1, ""))
        label = f"submission {event.submission_id} event {event.pk}"
        if event.sequence is None:
            problems.append(f"{label}: not chained")
            continue
        if event.sequence != expected_sequence or event.previous_hash != previous:
            problems.append(f"{label}: an event before it was removed or altered")
        if event.hash != chain_hash(event.previous_hash, event.chain_payload()):
            problems.append(f"{label}: its content was altered")
        chain[event.submission_id] = (event.sequence + 1, event.hash)
    return problems
