"""The application form (申报书) and the commitment letter (承诺书)."""

from django.urls import path

from assessment.views import filing

urlpatterns = [
    path(
        "submissions/<int:submission_id>/application-form.pdf",
        filing.application_form_download,
        name="application_form_download",
    ),
    path(
        "operator/submissions/<int:submission_id>/commitment-letter/",
        filing.commitment_letter,
        name="commitment_letter",
    ),
    path(
        "submissions/<int:submission_id>/commitment-letter/file",
        filing.commitment_letter_download,
        name="commitment_letter_download",
    ),
]
