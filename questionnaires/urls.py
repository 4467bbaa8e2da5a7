"""The rubric browser (public, read-only) and the preview of rubric drafts (administrators)."""

from django.urls import path

from questionnaires import views, views_drafts

urlpatterns = [
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/compare/", views.rubric_compare, name="rubric_compare"),
    path("rubrics/drafts/", views_drafts.rubric_drafts, name="rubric_drafts"),
    path(
        "rubrics/drafts/<int:draft_id>/",
        views_drafts.rubric_draft_detail,
        name="rubric_draft_detail",
    ),
    path(
        "rubrics/drafts/<int:draft_id>/impact/",
        views_drafts.rubric_draft_impact,
        name="rubric_draft_impact",
    ),
    path(
        "rubrics/drafts/<int:draft_id>/publish/",
        views_drafts.rubric_draft_publish_view,
        name="rubric_draft_publish",
    ),
    path("rubrics/<str:label>/", views.rubric_detail, name="rubric_detail"),
    path("rubrics/<str:old_label>/diff/<str:new_label>/", views.rubric_diff, name="rubric_diff"),
]
