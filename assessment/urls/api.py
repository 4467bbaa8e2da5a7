"""/api/v1/: the REST API, its schema and docs, and the web page for personal API tokens."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from assessment.api import schema  # noqa: F401  (registers the "id" path converter)
from assessment.api.exceptions import api_not_found
from assessment.api.views import docs, organisations, reference, submissions
from assessment.views import tokens

router = SimpleRouter()
router.include_format_suffixes = False
router.register("rubric-versions", reference.RubricVersionViewSet, basename="api-rubric-version")
router.register("regions", reference.RegionViewSet, basename="api-region")
router.register("cycles", reference.CycleViewSet, basename="api-cycle")
router.register("organisations", organisations.OrganisationViewSet, basename="api-organisation")
router.register("platforms", organisations.PlatformViewSet, basename="api-platform")
router.register("submissions", submissions.SubmissionViewSet, basename="api-submission")
router.register("events", submissions.EventViewSet, basename="api-event")

evidence_item_paths = [
    path("", submissions.EvidenceItemView.as_view(), name="api-evidence-item"),
    path("replace/", submissions.EvidenceReplaceView.as_view(), name="api-evidence-replace"),
    path("confirm/", submissions.EvidenceConfirmView.as_view(), name="api-evidence-confirm"),
    path("download/", submissions.EvidenceDownloadView.as_view(), name="api-evidence-download"),
]
submission_paths = [
    path("answers/", submissions.AnswersView.as_view(), name="api-answers"),
    path("completeness/", submissions.CompletenessView.as_view(), name="api-completeness"),
    path("evidence/", submissions.EvidenceListView.as_view(), name="api-evidence"),
    path("evidence/files/", submissions.EvidenceFileView.as_view(), name="api-evidence-files"),
    path("evidence/links/", submissions.EvidenceLinkView.as_view(), name="api-evidence-links"),
    path("evidence/<id:evidence_id>/", include(evidence_item_paths)),
    path("score/", submissions.ScoreView.as_view(), name="api-score"),
    path("submit/", submissions.SubmitView.as_view(), name="api-submit"),
    path("withdraw/", submissions.WithdrawView.as_view(), name="api-withdraw"),
    path("resubmit/", submissions.ResubmitView.as_view(), name="api-resubmit"),
]

urlpatterns = [
    path("tokens/", tokens.token_list, name="api_tokens"),
    path("tokens/<id:token_id>/revoke/", tokens.token_revoke, name="api_token_revoke"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", docs.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("me/", reference.MeView.as_view(), name="api-me"),
    path("submissions/<id:pk>/", include(submission_paths)),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404, never the HTML error page.
    re_path(r"^.*$", api_not_found),
]
