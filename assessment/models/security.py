"""Security records: the security audit trail, password history, idempotency keys."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def chain_hash(previous: str, payload: dict) -> str:
    """SHA-256 over the previous event's hash and this event's canonical content."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    LOCKOUT = "lockout", _("Locked out")
    LOCKOUT_CLEARED = "lockout_cleared", _("Lock-out cleared")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Password reset requested")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor sign-in enabled")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor sign-in disabled")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Two-factor code refused")
    ADMIN_CHANGE = "admin_change", _("Changed in the administration")
    ROLE_CHANGED = "role_changed", _("Role or scope changed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_USED = "token_used", _("API token used")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    EVIDENCE_OPENED = "evidence_opened", _("Evidence opened")
    EXPORT = "export", _("Exported")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only; they cannot be updated.")

    def delete(self):
        raise PermissionError("Audit events are append-only; they cannot be deleted.")


class AuditEvent(models.Model):
    """One security-relevant happening (GB/T 22239-2019 8.1.4.3): who, from where, what, when.

    Append-only: the queryset refuses updates and deletes, and on PostgreSQL a trigger refuses
    them in SQL too; each row carries the hash of the one before (`manage.py verify_audit`).
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AuditKind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The account named (a failed sign-in names one that may not exist), kept as text.
    subject = models.CharField(_("account or object"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    region = models.ForeignKey(
        "assessment.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("security audit event")
        verbose_name_plural = _("security audit events")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only; they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only; they cannot be deleted.")

    def chain_payload(self) -> dict:
        return {
            "created_at": self.created_at.isoformat(),
            "kind": self.kind,
            "actor": self.actor_id,
            "subject": self.subject,
            "ip": self.ip_address,
            "region": self.region_id,
            "detail": self.detail,
        }


class PasswordHistory(models.Model):
    """The hashes of an account's earlier passwords (none may be used again)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class IdempotencyKey(models.Model):
    """An API `Idempotency-Key`, held from the start of its request (state "in flight") and
    then with the response to replay; in the database, so every server process sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    key_hash = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "path", "key_hash"], name="one_idempotency_key_per_user_path"
            )
        ]

    def __str__(self):
        return f"{self.path} {self.key_hash[:8]}"
