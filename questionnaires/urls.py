"""The rubric browser: public, read-only pages of the stored rubric versions."""

from django.urls import path

from questionnaires import views

urlpatterns = [
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/compare/", views.rubric_compare, name="rubric_compare"),
    path("rubrics/<str:label>/", views.rubric_detail, name="rubric_detail"),
    path("rubrics/<str:old_label>/diff/<str:new_label>/", views.rubric_diff, name="rubric_diff"),
]
