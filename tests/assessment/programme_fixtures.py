"""Submissions brought along the programme's path for tests: proposed by their reviewer,
recommended by the province, formally checked, on the ministry's public notice. Each step goes
through the services, as the web and the API would."""

from assessment.services import programme, reviews
from tests.factories import (
    ministry_official,
    programme_submission,
    provincial_lead,
    to_public_notice,
)

PROVINCE = "440000"


def propose(submission):
    """The submission's reviewer proposes its tier (the certification, or its programme route)."""
    return reviews.certification_propose(actor=submission.assigned_reviewer, submission=submission)


def proposed(call, count: int = 1, tier: str = "leading", **fields) -> list:
    """`count` applications of `call` for `tier` whose reviewers proposed the tier."""
    submissions = []
    for _index in range(count):
        submission = programme_submission(call=call, tier=tier, **fields)
        propose(submission)
        submissions.append(submission)
    return submissions


def recommended(call, count: int = 1, *, lead=None) -> list:
    """`count` leading applications of `call` on one signed recommendation of PROVINCE."""
    submissions = proposed(call, count)
    programme.recommendation_sign(
        actor=lead or provincial_lead(PROVINCE),
        call=call,
        province_code=PROVINCE,
        tier="leading",
        entries=[(submission, "推荐") for submission in submissions],
    )
    return submissions


def to_notice(submissions) -> None:
    """Pass the ministry's formal check and the panel (stood in for): awaiting the notice."""
    official = ministry_official()
    for submission in submissions:
        programme.formal_check_decide(
            actor=official, submission=submission, complete=True, eligible=True
        )
        to_public_notice(submission, tier="leading")


def on_notice(call, count: int = 1, **notice_fields):
    """The ministry's published notice of `call` listing `count` leading platforms, and them."""
    submissions = recommended(call, count)
    to_notice(submissions)
    notice = programme.notice_publish(
        actor=ministry_official(), call=call, province_code=None, **notice_fields
    )
    return notice, submissions
