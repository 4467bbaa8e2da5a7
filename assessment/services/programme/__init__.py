"""The programme's writes (docs/programme.md), by step."""

from assessment.services.programme.calls import (
    application_check,
    call_publish,
    draw_sample,
    provincial_review_complete,
    quota_of,
    spot_check_draw,
    tier_apply,
)
from assessment.services.programme.common import call_for_submission, notice_period
from assessment.services.programme.notices import (
    notice_candidates,
    notice_publish,
    objection_answer,
    objection_file,
    publication_issue,
)
from assessment.services.programme.recommendations import (
    formal_check_decide,
    quota_used,
    recommendation_candidates,
    recommendation_sign,
)

__all__ = [
    "application_check",
    "call_for_submission",
    "call_publish",
    "draw_sample",
    "formal_check_decide",
    "notice_candidates",
    "notice_period",
    "notice_publish",
    "objection_answer",
    "objection_file",
    "provincial_review_complete",
    "publication_issue",
    "quota_of",
    "quota_used",
    "recommendation_candidates",
    "recommendation_sign",
    "spot_check_draw",
    "tier_apply",
]
