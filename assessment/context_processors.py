from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from assessment.models import Role

# (url name, label) per role; the first entry is the role's home.
_NAVIGATION = {
    Role.OPERATOR: [
        ("operator_home", _("My submissions")),
        ("organisation_detail", _("My organisation")),
        ("benchmark", _("Peer benchmark")),
        ("operator_monitoring", _("Annual monitoring")),
        ("notifications", _("Notifications")),
    ],
    Role.REVIEWER: [
        ("review_queue", _("Review queue")),
        ("panel_list", _("Expert panels")),
        ("programme_overview", _("Programme")),
        ("dashboard_national", _("Dashboards")),
        ("monitoring", _("Annual monitoring")),
        ("notifications", _("Notifications")),
    ],
    Role.EXPERT: [
        ("panel_list", _("My panels")),
        ("notifications", _("Notifications")),
    ],
    Role.REGULATOR: [
        ("dashboard_national", _("Dashboards")),
        ("programme_overview", _("Programme")),
        ("report_batches", _("Report batches")),
        ("monitoring", _("Annual monitoring")),
        ("notifications", _("Notifications")),
    ],
    Role.ADMIN: [
        ("dashboard_national", _("Dashboards")),
        ("review_queue", _("Review queue")),
        ("monitoring", _("Annual monitoring")),
        ("notifications", _("Notifications")),
        ("admin:index", _("Administration")),
    ],
}
_PUBLIC = [
    ("rubric_list", _("Rubric")),
    ("public_register", _("Certified platforms")),
    ("public_notices", _("Public notices")),
    ("verify_report", _("Verify a report")),
]


def _links(entries):
    links = []
    for name, label in entries:
        try:
            links.append({"url": reverse(name), "label": label, "name": name})
        except NoReverseMatch:
            continue
    return links


def navigation(request):
    user = getattr(request, "user", None)
    role_entries = []
    if user is not None and user.is_authenticated:
        role_entries = _NAVIGATION.get(Role.ADMIN if user.is_admin else user.role, [])
        if user.role == Role.ADMIN and not user.is_admin:
            # The security and audit administrators work in the Django admin.
            role_entries = [("admin:index", _("Administration"))]
        if user.role == Role.ADMIN and user.admin_duty == "audit":
            role_entries = [*role_entries, ("audit_export", _("Audit trail"))]
    return {"nav_links": _links(role_entries), "public_links": _links(_PUBLIC)}
