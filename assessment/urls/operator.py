from django.urls import path

from assessment.views import operator

urlpatterns = [
    path("operator/", operator.operator_home, name="operator_home"),
    path("operator/start/", operator.submission_start, name="operator_submission_start"),
    path(
        "operator/submissions/<int:submission_id>/",
        operator.submission_continue,
        name="operator_submission_continue",
    ),
    path(
        "operator/submissions/<int:submission_id>/questionnaire/<str:section>/",
        operator.questionnaire,
        name="operator_questionnaire",
    ),
    path(
        "operator/submissions/<int:submission_id>/confirm-copied/",
        operator.confirm_copied,
        name="operator_confirm_copied",
    ),
    path(
        "operator/submissions/<int:submission_id>/autosave/",
        operator.autosave,
        name="operator_autosave",
    ),
    path(
        "operator/submissions/<int:submission_id>/submit/",
        operator.submission_submit,
        name="operator_submission_submit",
    ),
    path(
        "operator/submissions/<int:submission_id>/withdraw/",
        operator.submission_withdraw,
        name="operator_submission_withdraw",
    ),
    path(
        "operator/submissions/<int:submission_id>/view/",
        operator.submission_view,
        name="operator_submission_view",
    ),
    path(
        "operator/certifications/<int:certification_id>/renew/",
        operator.renewal_apply,
        name="operator_renewal_apply",
    ),
    path("evidence/<int:evidence_id>/", operator.evidence_download, name="evidence_download"),
    path("organisation/", operator.organisation_detail, name="organisation_detail"),
    path("organisation/platforms/new/", operator.platform_create, name="platform_create"),
    path(
        "organisation/platforms/<int:platform_id>/edit/",
        operator.platform_edit,
        name="platform_edit",
    ),
    path(
        "organisation/colleagues/<int:user_id>/remove/",
        operator.colleague_remove,
        name="colleague_remove",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        operator.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
