"""The third-party apps under names our readers understand, in both interface languages.

Their own apps are named from their labels ("Otp_Totp", "Tasks Database Backend"), and
django-otp names its models and fields in plain English strings that no catalogue can translate.
Each AppConfig here replaces the app's own in INSTALLED_APPS and, once the models are loaded,
gives them translatable names (msgids equal to their English, so `makemigrations`, which runs
without a language, sees nothing change; `_verbose_name`, what a migration records, is untouched).
"""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy
from django_tasks_db.apps import TasksAppConfig

# Strings of Django 6.1 that its zh_Hans catalogue does not have yet; ours has them (LOCALE_PATHS
# come before Django's own catalogues). The empty choice of every select is the first of them.
DJANGO_STRINGS_WITHOUT_CHINESE = (
    gettext_noop("- Select an option -"),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop("No %s matches the given query."),
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Logout"),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
)

# Per model: (verbose name, plural, {field: verbose name or (verbose name, help text)}).
_DEVICE_FIELDS = {
    "user": (_("user"), _("The user that this device belongs to.")),
    "name": (_("name"), _("The human-readable name of this device.")),
    "confirmed": (_("confirmed"), _("Is this device ready for use?")),
    "created_at": (
        _("created at"),
        _("The date and time when this device was initially created in the system."),
    ),
    "last_used_at": (_("last used at"), _("The most recent date and time this device was used.")),
    "throttling_failure_timestamp": (
        _("throttling failure timestamp"),
        _("A timestamp of the last failed verification attempt. Null if last attempt succeeded."),
    ),
    "throttling_failure_count": (
        _("throttling failure count"),
        _("Number of successive failed attempts."),
    ),
}

NAMES = {
    "otp_totp": {
        "totpdevice": (
            _("TOTP device"),
            _("TOTP devices"),
            {
                **_DEVICE_FIELDS,
                "key": (_("key"), _("A hex-encoded secret key of up to 40 bytes.")),
                "step": (_("step"), _("The time step in seconds.")),
                "t0": (_("t0"), _("The Unix time at which to begin counting steps.")),
                "digits": (_("digits"), _("The number of digits to expect in a token.")),
                "tolerance": (
                    _("tolerance"),
                    _("The number of time steps in the past or future to allow."),
                ),
                "drift": (
                    _("drift"),
                    _("The number of time steps the prover is known to deviate from our clock."),
                ),
                "last_t": (
                    _("last t"),
                    _(
                        "The t value of the latest verified token. The next token must be at a "
                        "higher time step."
                    ),
                ),
            },
        ),
    },
    "otp_static": {
        "staticdevice": (_("static device"), _("static devices"), _DEVICE_FIELDS),
        "statictoken": (
            _("static token"),
            _("static tokens"),
            {"device": _("device"), "token": _("token")},
        ),
    },
    "django_tasks_database": {
        "dbtaskresult": (_("Task Result"), _("Task Results"), {"id": _("ID")}),
    },
}


def _name_models(app_config) -> None:
    for model_name, (singular, plural, fields) in NAMES.get(app_config.label, {}).items():
        model = app_config.get_model(model_name)
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
        for field_name, names in fields.items():
            field = model._meta.get_field(field_name)
            verbose_name, help_text = names if isinstance(names, tuple) else (names, None)
            field.verbose_name = verbose_name
            if help_text is not None:
                field.help_text = help_text


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lock-outs")


class OtpTotpConfig(AppConfig):
    name = "django_otp.plugins.otp_totp"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Two-factor sign-in: authenticator apps")

    def ready(self):
        _name_models(self)


class OtpStaticConfig(AppConfig):
    name = "django_otp.plugins.otp_static"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Two-factor sign-in: recovery codes")

    def ready(self):
        _name_models(self)


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")

    def ready(self):
        super().ready()
        _name_models(self)
