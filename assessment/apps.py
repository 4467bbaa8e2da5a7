from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from assessment import checks  # noqa: F401  (registers the deploy checks)
        from assessment.security import receivers

        receivers.connect()
