"""/api/v1/: the REST API, its schema and docs, and the web page for personal API tokens."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from assessment.api import schema  # noqa: F401  (registers the "id" path converter)
from assessment.api.exceptions import api_not_found
from assessment.api.views import (
    dashboards,
    docs,
    monitoring,
    offline_filing,
    organisations,
    panels,
    programme,
    public,
    reference,
    reports,
    reviews,
    submissions,
)
from assessment.views import tokens
from questionnaires import api as rubric_api

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
    path(
        "questionnaire/xlsx/",
        offline_filing.QuestionnaireXlsxView.as_view(),
        name="api-questionnaire-xlsx",
    ),
    path("evidence/", submissions.EvidenceListView.as_view(), name="api-evidence"),
    path("evidence/files/", submissions.EvidenceFileView.as_view(), name="api-evidence-files"),
    path("evidence/links/", submissions.EvidenceLinkView.as_view(), name="api-evidence-links"),
    path("evidence/<id:evidence_id>/", include(evidence_item_paths)),
    path("score/", submissions.ScoreView.as_view(), name="api-score"),
    path("submit/", submissions.SubmitView.as_view(), name="api-submit"),
    path("withdraw/", submissions.WithdrawView.as_view(), name="api-withdraw"),
    path("resubmit/", submissions.ResubmitView.as_view(), name="api-resubmit"),
    path("report/", reports.SubmissionReportView.as_view(), name="api-submission-report"),
    # The review desk
    path("assign/", reviews.AssignView.as_view(), name="api-assign"),
    path("start-review/", reviews.StartReviewView.as_view(), name="api-start-review"),
    path("decisions/", reviews.DecisionsView.as_view(), name="api-decisions"),
    path(
        "request-revision/",
        reviews.RequestRevisionView.as_view(),
        name="api-request-revision",
    ),
    path("certify/", reviews.CertifyView.as_view(), name="api-certify"),
    path("conflict/", reviews.ConflictView.as_view(), name="api-conflict"),
    # The programme
    path("tier-applied/", programme.TierAppliedView.as_view(), name="api-tier-applied"),
    path("formal-check/", programme.FormalCheckView.as_view(), name="api-formal-check"),
]
programme_paths = [
    path("calls/", programme.CallListView.as_view(), name="api-calls"),
    path("calls/<id:call_id>/quotas/", programme.QuotaView.as_view(), name="api-quotas"),
    path("calls/<id:call_id>/pipeline/", programme.PipelineView.as_view(), name="api-pipeline"),
    path(
        "calls/<id:call_id>/spot-check/", programme.SpotCheckView.as_view(), name="api-spot-check"
    ),
    path(
        "calls/<id:call_id>/recommendations/",
        programme.RecommendationsView.as_view(),
        name="api-recommendations",
    ),
    path(
        "calls/<id:call_id>/notices/",
        programme.NoticePublishView.as_view(),
        name="api-notice-publish",
    ),
    path(
        "notices/<id:notice_id>/publication/",
        programme.PublicationIssueView.as_view(),
        name="api-publication-issue",
    ),
    path(
        "objections/<id:objection_id>/answer/",
        programme.ObjectionAnswerView.as_view(),
        name="api-objection-answer",
    ),
]
certification_paths = [
    path("", reviews.CertificationView.as_view(), name="api-certification"),
    path("sign-off/", reviews.SignOffView.as_view(), name="api-sign-off"),
    path("decline/", reviews.DeclineView.as_view(), name="api-decline"),
    path("revoke/", reviews.RevokeView.as_view(), name="api-revoke"),
    path("renew/", monitoring.RenewView.as_view(), name="api-renew"),
]

urlpatterns = [
    path("tokens/", tokens.token_list, name="api_tokens"),
    path("tokens/<id:token_id>/revoke/", tokens.token_revoke, name="api_token_revoke"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", docs.redoc_view(url_name="api-schema"), name="api-redoc"),
    path("me/", reference.MeView.as_view(), name="api-me"),
    path("submissions/<id:pk>/", include(submission_paths)),
    path("certifications/<id:certification_id>/", include(certification_paths)),
    path("dashboards/", dashboards.DashboardView.as_view(), name="api-dashboard"),
    path(
        "dashboards/platforms/",
        dashboards.DashboardPlatformsView.as_view(),
        name="api-dashboard-platforms",
    ),
    path("reports/regional/", reports.RegionalReportView.as_view(), name="api-regional-report"),
    path("report-batches/", reports.ReportBatchesView.as_view(), name="api-report-batches"),
    path(
        "report-batches/<id:batch_id>/",
        reports.ReportBatchView.as_view(),
        name="api-report-batch",
    ),
    path(
        "report-batches/<id:batch_id>/download/",
        reports.ReportBatchDownloadView.as_view(),
        name="api-report-batch-download",
    ),
    path("panels/", panels.PanelsView.as_view(), name="api-panels"),
    path("panels/<id:panel_id>/", panels.PanelView.as_view(), name="api-panel"),
    path(
        "panels/<id:panel_id>/entries/<id:entry_id>/score/",
        panels.ExpertScoreView.as_view(),
        name="api-expert-score",
    ),
    path(
        "panels/<id:panel_id>/opinion/", panels.PanelOpinionView.as_view(), name="api-panel-opinion"
    ),
    path(
        "panels/<id:panel_id>/defences/",
        panels.PanelDefenceView.as_view(),
        name="api-panel-defences",
    ),
    path(
        "panels/<id:panel_id>/conclude/",
        panels.PanelConcludeView.as_view(),
        name="api-panel-conclude",
    ),
    path("site-checks/", panels.SiteChecksView.as_view(), name="api-site-checks"),
    path("site-checks/<id:site_check_id>/", panels.SiteCheckView.as_view(), name="api-site-check"),
    path(
        "site-checks/<id:site_check_id>/items/<id:item_id>/",
        panels.SiteCheckItemView.as_view(),
        name="api-site-check-item",
    ),
    path(
        "site-checks/<id:site_check_id>/files/",
        panels.SiteCheckFilesView.as_view(),
        name="api-site-check-files",
    ),
    path(
        "site-checks/<id:site_check_id>/verdict/",
        panels.SiteCheckVerdictView.as_view(),
        name="api-site-check-verdict",
    ),
    path("rubric-drafts/", rubric_api.RubricDraftsView.as_view(), name="api-rubric-drafts"),
    path(
        "rubric-drafts/<id:draft_id>/",
        rubric_api.RubricDraftView.as_view(),
        name="api-rubric-draft",
    ),
    path(
        "rubric-drafts/<id:draft_id>/impact/",
        rubric_api.RubricDraftImpactView.as_view(),
        name="api-rubric-draft-impact",
    ),
    path(
        "rubric-drafts/<id:draft_id>/publish/",
        rubric_api.RubricDraftPublishView.as_view(),
        name="api-rubric-draft-publish",
    ),
    path("public/register/", public.RegisterView.as_view(), name="api-public-register"),
    path("public/notices/", programme.NoticeListView.as_view(), name="api-public-notices"),
    path(
        "public/notices/<id:notice_id>/",
        programme.NoticeDetailView.as_view(),
        name="api-public-notice",
    ),
    path(
        "public/notice-entries/<id:entry_id>/objections/",
        programme.ObjectionFileView.as_view(),
        name="api-objection-file",
    ),
    path(
        "public/publications/",
        programme.PublicationListView.as_view(),
        name="api-public-publications",
    ),
    path("programme/", include(programme_paths)),
    path("public/verify/<str:number>/", public.VerifyView.as_view(), name="api-public-verify"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404, never the HTML error page.
    re_path(r"^.*$", api_not_found),
]
