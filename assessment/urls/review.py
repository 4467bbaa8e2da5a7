from django.urls import path

from assessment.views import review

urlpatterns = [
    path("review/", review.queue, name="review_queue"),
    path("review/assign/", review.assign, name="review_assign"),
    path("review/<int:submission_id>/", review.detail, name="review_detail"),
    path("review/<int:submission_id>/start/", review.start, name="review_start"),
    path("review/<int:submission_id>/decide/<str:code>/", review.decide, name="review_decide"),
    path(
        "review/<int:submission_id>/revision/",
        review.request_revision,
        name="review_request_revision",
    ),
    path("review/<int:submission_id>/certify/", review.certify, name="certification_propose"),
    path("review/<int:submission_id>/conflict/", review.declare_conflict, name="conflict_declare"),
    path("review/<int:submission_id>/events/", review.events, name="submission_events"),
    path("review/<int:submission_id>/events.csv", review.events_csv, name="submission_events_csv"),
    path(
        "certifications/<int:certification_id>/sign-off/",
        review.sign_off,
        name="certification_sign_off",
    ),
    path(
        "certifications/<int:certification_id>/revoke/",
        review.revoke,
        name="certification_revoke",
    ),
    path("notifications/", review.notifications, name="notifications"),
    path("notifications/read/", review.notifications_read, name="notifications_read"),
    path("notifications/unread.json", review.notifications_unread, name="notifications_unread"),
    path("register/", review.public_register, name="public_register"),
]
