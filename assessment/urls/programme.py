from django.urls import path

from assessment.views import programme

urlpatterns = [
    path("programme/", programme.overview, name="programme_overview"),
    path("programme/calls/new/", programme.call_new, name="programme_call_new"),
    path("programme/calls/<int:call_id>/", programme.call_detail, name="programme_call"),
    path(
        "programme/calls/<int:call_id>/spot-check/",
        programme.spot_check,
        name="programme_spot_check",
    ),
    path(
        "programme/calls/<int:call_id>/recommend/", programme.recommend, name="programme_recommend"
    ),
    path(
        "programme/calls/<int:call_id>/notice/",
        programme.notice_publish,
        name="programme_notice_publish",
    ),
    path(
        "programme/submissions/<int:submission_id>/formal-check/",
        programme.formal_check,
        name="programme_formal_check",
    ),
    path(
        "programme/objections/<int:objection_id>/answer/",
        programme.objection_answer,
        name="programme_objection_answer",
    ),
    path(
        "programme/notices/<int:notice_id>/publish/",
        programme.publication_issue,
        name="programme_publication_issue",
    ),
    path(
        "operator/submissions/<int:submission_id>/apply/", programme.apply, name="programme_apply"
    ),
    path("notices/", programme.notices, name="public_notices"),
    path("notices/<int:notice_id>/", programme.notice_detail, name="public_notice"),
    path(
        "notices/entries/<int:entry_id>/objection/",
        programme.objection_file,
        name="objection_file",
    ),
    path(
        "publications/<int:publication_id>/",
        programme.publication_detail,
        name="publication_detail",
    ),
]
