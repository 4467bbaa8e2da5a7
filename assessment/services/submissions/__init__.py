"""The operator's side of a submission: start, copy, answer, attach evidence, submit, withdraw,
resubmit. Every state change goes through assessment.services.workflow; every change to the
inputs of the score is followed by assessment.services.scoring.submission_rescore.

Editing rules: a draft is editable as a whole; after a revision request only the answers the
reviewer reopened (Answer.reopened) and their evidence are; in every other state nothing is.
Answers carry a version: a save names the version it was based on and a save over a newer one
is refused with Conflict, so two tabs or two colleagues never overwrite each other silently.

Split by step: common (checks every step shares), drafts, answers, evidence, submitting.
"""

from assessment.services.submissions.answers import (  # noqa: F401
    AnswerChange,
    answer_save,
    answers_save,
)
from assessment.services.submissions.common import (  # noqa: F401
    MAX_NUMBER,
    S,
    normalise_answer,
    question_codes,
    same_answer,
    storable_value,
)
from assessment.services.submissions.drafts import (  # noqa: F401
    previous_submission,
    submission_copy_from_previous,
    submission_start,
)
from assessment.services.submissions.evidence import (  # noqa: F401
    copied_items_confirm,
    evidence_add_file,
    evidence_add_link,
    evidence_confirm,
    evidence_remove,
    evidence_replace,
)
from assessment.services.submissions.submitting import (  # noqa: F401
    claimed_result,
    evidence_opened,
    submission_resubmit,
    submission_submit,
    submission_withdraw,
)
