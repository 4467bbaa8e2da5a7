"""The operator's pages, by sub-area: home (starting, continuing, renewing), the questionnaire,
submitting, the organisation.

Thin views: objects come through assessment.permissions (out of scope = 404), reads through
assessment.selectors, writes through assessment.services. The names are re-exported so that
`from assessment.views import operator` and `operator.<view>` keep working for the URLs and
the other operator pages (filing, offline filing).
"""

from assessment.views.operator.common import (
    S,
    _questionnaire_url,
    _submission,
    operator_required,
)
from assessment.views.operator.home import operator_home, submission_continue, submission_start
from assessment.views.operator.organisation import (
    InvitationAcceptView,
    colleague_remove,
    organisation_detail,
    platform_create,
    platform_edit,
)
from assessment.views.operator.questionnaire import autosave, confirm_copied, questionnaire
from assessment.views.operator.renewal import renewal_apply
from assessment.views.operator.submitting import (
    evidence_download,
    submission_submit,
    submission_view,
    submission_withdraw,
)

__all__ = [
    "InvitationAcceptView",
    "S",
    "_questionnaire_url",
    "_submission",
    "autosave",
    "colleague_remove",
    "confirm_copied",
    "evidence_download",
    "operator_home",
    "operator_required",
    "organisation_detail",
    "platform_create",
    "platform_edit",
    "questionnaire",
    "renewal_apply",
    "submission_continue",
    "submission_start",
    "submission_submit",
    "submission_view",
    "submission_withdraw",
]
