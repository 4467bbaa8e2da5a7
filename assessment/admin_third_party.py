"""The third-party apps' admin pages in the interface language: their own ModelAdmins, with the
columns, sections and links they label in plain English given translatable labels (their models'
names: assessment.third_party_apps). Imported by assessment.admin before the duties apply."""

from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin as BaseAccessFailureLogAdmin
from axes.admin import AccessLogAdmin as BaseAccessLogAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin as BaseStaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin as BaseDBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

# What django-axes and django-tasks-db mark for translation but ship no Chinese for: listed here,
# they are in our catalogue, which Django reads first.
THEIR_STRINGS = (
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("args kwargs"),
    gettext_noop("backend name"),
    gettext_noop("enqueued at"),
    gettext_noop("exception class path"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
    gettext_noop("return value"),
    gettext_noop("run after"),
    gettext_noop("started at"),
    gettext_noop("status"),
    gettext_noop("task path"),
    gettext_noop("traceback"),
    gettext_noop("worker id"),
)

_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    """A permission as "app | model | what", in the reader's language: the name Django stores is
    English ("Can add group"), so the four default permissions are named from their codename."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is None or action not in _ACTIONS or model_name != content_type.model:
        return str(permission)
    what = _ACTIONS[action] % {"model": model._meta.verbose_name}
    return f"{content_type.app_labeled_name} | {what}"


class GroupAdmin(BaseGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field


class _TitledAdmin:
    """Names the object of a change form by `object_title`: these models' own `__str__` is plain
    English ("Attempted Access: 2026-…", "DBTaskResult object (…)")."""

    change_form_template = "admin/titled_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        titled = {"subtitle": self.object_title(obj)} if obj is not None else {}
        return super().change_view(
            request, object_id, form_url, {**titled, **(extra_context or {})}
        )


def _at(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


class AccessAttemptAdmin(_TitledAdmin, BaseAccessAttemptAdmin):
    def object_title(self, obj):
        return _("Sign-in attempts of %(username)s, %(time)s") % {
            "username": obj.username,
            "time": _at(obj.attempt_time),
        }

    @admin.display(description=_("Expires at"))
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)

    @admin.display(description=_("Status"))
    def status(self, obj: AccessAttempt):
        remaining = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining <= 0:
            return _("Locked Out")
        return ngettext(
            "%(count)d attempt remaining", "%(count)d attempts remaining", remaining
        ) % {"count": remaining}


_SECTIONS = {
    "Identity": _("Identity"),
    "Timestamps": _("Timestamps"),
    "Configuration": _("Configuration"),
    "State": _("State"),
    "Throttling": _("Throttling"),
}


class _DeviceAdmin:
    search_help_text = _("Search by the user's email")

    def get_fieldsets(self, request, obj=None):
        return [
            (_SECTIONS.get(title, title), options)
            for title, options in super().get_fieldsets(request, obj)
        ]


class TOTPDeviceAdmin(_DeviceAdmin, BaseTOTPDeviceAdmin):
    @admin.display(description=_("QR code"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("Show the QR code"))


class StaticDeviceAdmin(_DeviceAdmin, BaseStaticDeviceAdmin):
    pass


class AccessLogAdmin(_TitledAdmin, BaseAccessLogAdmin):
    def object_title(self, obj):
        return _("Sign-in of %(username)s, %(time)s") % {
            "username": obj.username,
            "time": _at(obj.attempt_time),
        }


class AccessFailureLogAdmin(_TitledAdmin, BaseAccessFailureLogAdmin):
    def object_title(self, obj):
        return _("Failed sign-in of %(username)s, %(time)s") % {
            "username": obj.username,
            "time": _at(obj.attempt_time),
        }


class DBTaskResultAdmin(_TitledAdmin, BaseDBTaskResultAdmin):
    def object_title(self, obj):
        return f"{obj.task_name} · {_at(obj.enqueued_at)}"

    list_display = (
        "task_id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    def get_readonly_fields(self, request, obj=None):
        return [
            "task_id" if name == "id" else name
            for name in super().get_readonly_fields(request, obj)
        ]

    @admin.display(description=_("ID"), ordering="id")
    def task_id(self, obj: DBTaskResult):
        return obj.id

    @admin.display(description=_("Task"))
    def task(self, obj: DBTaskResult):
        return obj.task_name

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj: DBTaskResult):
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)


for model, model_admin in [
    (Group, GroupAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
    (TOTPDevice, TOTPDeviceAdmin),
    (StaticDevice, StaticDeviceAdmin),
    (DBTaskResult, DBTaskResultAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
