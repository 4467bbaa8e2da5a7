"""Remove security audit events older than AUDIT_RETENTION_DAYS (at least 180 days).

Submission events are the record of official decisions and are never pruned. The chain stays
verifiable: the oldest kept event's `previous_hash` names the last removed one.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from assessment.models import AuditEvent


class Command(BaseCommand):
    help = "Remove security audit events past the retention period (AUDIT_RETENTION_DAYS)."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL pma.audit_purge = 'on'")
            old = AuditEvent.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)
            # The queryset refuses deletes; the retention purge is the one place that may.
            removed = models_delete(list(old))
        self.stdout.write(f"Removed {removed} audit events older than {cutoff:%Y-%m-%d}.")


def models_delete(ids: list[int]) -> int:
    if not ids:
        return 0
    with connection.cursor() as cursor:
        table = AuditEvent._meta.db_table
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            placeholders = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({placeholders})", chunk)  # noqa: S608
    return len(ids)
