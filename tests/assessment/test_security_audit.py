"""The audit trail is append-only in SQL (PostgreSQL trigger) and hash-chained
(`manage.py verify_audit` finds an edited, removed or reordered event)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from assessment.models import AuditEvent, SubmissionEvent
from assessment.security.audit import security_event_record, verify_chains
from assessment.services.workflow import record_event
from tests.factories import SubmissionFactory, operator

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _events(count=3):
    submission = SubmissionFactory()
    return submission, [
        record_event(submission=submission, actor=None, kind="state_changed", note=f"n{n}")
        for n in range(count)
    ]


def test_events_are_chained_per_submission():
    submission, events = _events(3)
    assert [event.sequence for event in events] == [1, 2, 3]
    assert events[1].previous_hash == events[0].hash
    assert verify_chains() == []
    call_command("verify_audit")


def test_bulk_created_events_are_chained_too():
    submission, _ = _events(1)
    SubmissionEvent.objects.bulk_create(
        [SubmissionEvent(submission=submission, kind="copied", note=str(n)) for n in range(2)]
    )
    assert list(
        SubmissionEvent.objects.filter(submission=submission).values_list("sequence", flat=True)
    ) == [1, 2, 3]
    assert verify_chains() == []


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL pma.audit_purge = 'off'")
        cursor.execute(sql, params)


def test_verify_audit_finds_an_edited_event():
    """Python refuses edits, but raw SQL on SQLite (or a table owner) can: the chain tells."""
    if connection.vendor == "postgresql":
        pytest.skip("the trigger refuses the edit on PostgreSQL (tested below)")
    _, events = _events(3)
    _raw("UPDATE assessment_submissionevent SET note = 'forged' WHERE id = %s", [events[1].pk])
    problems = verify_chains()
    assert any(f"event {events[1].pk}: its content was altered" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_verify_audit_finds_a_removed_event():
    if connection.vendor == "postgresql":
        pytest.skip("the trigger refuses the delete on PostgreSQL (tested below)")
    _, events = _events(3)
    _raw("DELETE FROM assessment_submissionevent WHERE id = %s", [events[1].pk])
    assert any(f"event {events[2].pk}: an event before it" in p for p in verify_chains())


def test_verify_audit_finds_an_edited_security_event():
    if connection.vendor == "postgresql":
        pytest.skip("the trigger refuses the edit on PostgreSQL (tested below)")
    for _ in range(3):
        security_event_record(request=None, kind="sign_in", actor=operator())
    middle = AuditEvent.objects.order_by("id")[1]
    _raw("UPDATE assessment_auditevent SET subject = 'x' WHERE id = %s", [middle.pk])
    assert any(f"audit event {middle.pk}" in p for p in verify_chains())


@postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE assessment_submissionevent SET note = 'forged'",
        "DELETE FROM assessment_submissionevent",
        "UPDATE assessment_auditevent SET subject = 'forged'",
        "DELETE FROM assessment_auditevent",
    ],
)
def test_postgresql_refuses_changes_to_the_audit_tables(statement):
    _events(2)
    security_event_record(request=None, kind="sign_in", actor=operator())
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _raw(statement)
    assert SubmissionEvent.objects.count() == 2
    assert AuditEvent.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", ["assessment_submissionevent", "assessment_auditevent"])
def test_postgresql_refuses_truncate_of_the_audit_tables(table):
    _events(2)
    security_event_record(request=None, kind="sign_in", actor=operator())
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        _raw(f"TRUNCATE {table} CASCADE")
    assert SubmissionEvent.objects.count() == 2
    assert AuditEvent.objects.count() == 1


def test_the_queryset_refuses_updates_and_deletes():
    _events(1)
    with pytest.raises(PermissionError):
        SubmissionEvent.objects.all().update(note="x")
    security_event_record(request=None, kind="sign_in", actor=operator())
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_prune_keeps_recent_events_and_the_chain_verifiable(settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.AUDIT_RETENTION_DAYS = 180
    old = AuditEvent(kind="sign_in", created_at=timezone.now() - timedelta(days=200))
    old.hash = "0" * 64
    old.save()
    security_event_record(request=None, kind="sign_in", actor=operator())
    call_command("prune_audit")
    assert AuditEvent.objects.count() == 1
    assert verify_chains() == []
