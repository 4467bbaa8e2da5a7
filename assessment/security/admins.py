"""三权分立: three administrators, none able to do the others' work.

- system administrator: users (people, organisations), regions, cycles, platforms, targets;
- security administrator: roles and scope of users, lock-outs, API tokens, 2FA devices;
- audit administrator: reads and exports the audit trail, nothing else.

An administrator account (role "admin", is_staff) holds exactly one duty (`User.admin_duty`).
The superuser flag bypasses this separation; in production `check --deploy` warns while one
exists (assessment.checks).
"""

from assessment.models.people import AdminDuty, Role


def duty_of(user) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    if user.is_superuser:
        return "superuser"
    if user.role != Role.ADMIN:
        return ""
    return user.admin_duty or AdminDuty.SYSTEM


def is_system_admin(user) -> bool:
    return duty_of(user) in ("superuser", AdminDuty.SYSTEM)


def is_security_admin(user) -> bool:
    return duty_of(user) in ("superuser", AdminDuty.SECURITY)


def is_audit_admin(user) -> bool:
    return duty_of(user) in ("superuser", AdminDuty.AUDIT)


class DutyAdminMixin:
    """ModelAdmin permissions by duty instead of Django's per-model permissions.

    `view_duties`: duties that may look; `change_duties`: duties that may add, change, delete.
    Every change made through the admin is also written to the security audit trail.
    """

    view_duties: tuple = ()
    change_duties: tuple = ()
    read_only = False  # records only services write: looked at, never edited

    def _duty(self, request) -> str:
        return duty_of(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        duty = self._duty(request)
        if duty == "superuser":
            return super().has_view_permission(request, obj)
        return duty in self.view_duties or duty in self.change_duties

    def has_change_permission(self, request, obj=None):
        duty = self._duty(request)
        if duty == "superuser":
            return super().has_change_permission(request, obj)
        return duty in self.change_duties and not self.read_only

    def has_add_permission(self, request, *args):
        duty = self._duty(request)
        if duty == "superuser":
            return super().has_add_permission(request, *args)
        return duty in self.change_duties and not self.read_only

    def has_delete_permission(self, request, obj=None):
        duty = self._duty(request)
        if duty == "superuser":
            return super().has_delete_permission(request, obj)
        return duty in self.change_duties and not self.read_only

    def _audit(self, request, obj, action: str, message="") -> None:
        from assessment.models import AuditKind
        from assessment.security.audit import security_event_record

        security_event_record(
            request=request,
            kind=AuditKind.ADMIN_CHANGE,
            actor=request.user,
            subject=f"{obj._meta.label}:{obj.pk}",
            detail={"action": action, "object": str(obj)[:200], "change": str(message)[:2000]},
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "change", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "delete")
        return super().log_deletions(request, queryset)


SYSTEM = (AdminDuty.SYSTEM,)
SECURITY = (AdminDuty.SECURITY,)
AUDIT = (AdminDuty.AUDIT,)


# Who sees (first) and changes (second) each model in the Django admin.
MODEL_DUTIES = {
    "assessment.User": (SYSTEM + SECURITY, SYSTEM + SECURITY),
    "assessment.Region": (SYSTEM, SYSTEM),
    "assessment.Industry": (SYSTEM, SYSTEM),
    "assessment.Organisation": (SYSTEM, SYSTEM),
    "assessment.Platform": (SYSTEM, SYSTEM),
    "assessment.AssessmentCycle": (SYSTEM, SYSTEM),
    "assessment.Target": (SYSTEM, SYSTEM),
    "assessment.Submission": (SYSTEM, ()),
    "assessment.Certification": (SYSTEM, ()),
    "assessment.ConflictDeclaration": (SYSTEM + SECURITY, ()),
    "questionnaires.RubricVersion": (SYSTEM, ()),
    "django_tasks_database.DBTaskResult": (SYSTEM, ()),
    "assessment.SubmissionEvent": (AUDIT, ()),
    "assessment.AuditEvent": (AUDIT, ()),
    "assessment.ApiToken": (SECURITY, ()),  # revoked by an action, never edited
    "auth.Group": (SECURITY, SECURITY),
    # Clearing a lock-out is deleting its attempt row.
    "axes.AccessAttempt": (SECURITY + AUDIT, SECURITY),
    "axes.AccessLog": (SECURITY + AUDIT, ()),
    "axes.AccessFailureLog": (SECURITY + AUDIT, ()),
    "otp_totp.TOTPDevice": (SECURITY, SECURITY),
    "otp_static.StaticDevice": (SECURITY, SECURITY),
}


def apply_duties(site) -> None:
    """Put every registered ModelAdmin under the duty rules (unknown models: superuser only)."""
    for model, model_admin in list(site._registry.items()):
        view, change = MODEL_DUTIES.get(model._meta.label, ((), ()))
        base = type(model_admin)
        read_only = getattr(base, "read_only", False) or base.__name__ in {
            "SubmissionAdmin",
            "SubmissionEventAdmin",
            "CertificationAdmin",
            "ConflictDeclarationAdmin",
            "AuditEventAdmin",
            "ApiTokenAdmin",
        }
        duty_class = type(
            base.__name__,
            (DutyAdminMixin, base),
            {
                "view_duties": view,
                "change_duties": change,
                "read_only": read_only,
                "__module__": base.__module__,
            },
        )
        site.unregister(model)
        site.register(model, duty_class)
