"""Notices to people about a submission: an in-app Notification row and an email.

The message is stored in both languages when it is sent (each reader sees their own); the
email carries both, Chinese first. Emails go out from the task worker once the
surrounding transaction commits, so a refused write never sends anything and a failing mail
server never undoes a decision (the in-app notice stays either way).
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessment.models import Notification, Role, Submission, User
from assessment.services.mail import email_queue

logger = logging.getLogger(__name__)

LANGUAGES = ("zh-hans", "en")


class NotificationKind:
    REVISION_REQUESTED = "revision_requested"
    RESUBMITTED = "resubmitted"
    CERTIFIED = "certified"
    SIGN_OFF_REQUESTED = "sign_off_requested"
    SIGN_OFF_DECLINED = "sign_off_declined"
    REVOKED = "revoked"
    ASSIGNED = "assigned"


def _render(template: str | Promise, params: dict, language: str) -> str:
    """`template % params` in `language`; lazy parameters (tier names …) are rendered too."""
    with translation.override(language):
        rendered = {key: str(value) for key, value in params.items()}
        return str(template) % rendered


def submission_link(user: User, submission_id: int | None) -> str:
    """Where a notice about a submission takes its reader (a path; empty if nowhere)."""
    if submission_id is None:
        return ""
    names = ["review_detail"] if user.role in (Role.REVIEWER, Role.ADMIN) else []
    if user.role == Role.OPERATOR:
        names = ["operator_submission_continue"]
    for name in names:
        try:
            return reverse(name, args=[submission_id])
        except NoReverseMatch:
            continue
    try:
        return reverse("notifications")
    except NoReverseMatch:
        return ""


def _send_email(recipient: User, subject: dict[str, str], body: dict[str, str], link: str):
    text = "\n\n".join([body["zh-hans"], body["en"]])
    if link:
        text += f"\n\n{settings.SITE_URL}{link}"
    try:  # from the task worker, with a timeout and retries (assessment.services.mail)
        email_queue(
            subject=f"{subject['zh-hans']} / {subject['en']}",
            body=text,
            recipients=[recipient.email],
        )
    except Exception:  # a queue being down must not lose the in-app notice
        logger.exception("Could not queue an email to %s", recipient.email)


def notification_send(
    *,
    recipients: Iterable[User],
    submission: Submission | None,
    kind: str,
    subject: str | Promise,
    message: str | Promise,
    params: dict | None = None,
    email: bool = True,
) -> list[Notification]:
    """Notify each recipient in the app and (unless `email` is false) by email after the
    transaction commits, in both languages."""
    params = params or {}
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not unique:
        return []
    subjects = {language: _render(subject, params, language) for language in LANGUAGES}
    messages = {language: _render(message, params, language) for language in LANGUAGES}
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                submission=submission,
                kind=kind,
                message_zh_hans=messages["zh-hans"],
                message_en=messages["en"],
            )
            for user in unique.values()
        ]
    )
    submission_id = submission.pk if submission is not None else None
    for user in unique.values() if email else ():
        link = submission_link(user, submission_id)
        transaction.on_commit(
            lambda user=user, link=link: _send_email(user, subjects, messages, link)
        )
    return notifications


def operators_of(submission: Submission) -> list[User]:
    """The active operators of the submission's organisation (who hear about its review)."""
    return list(
        User.objects.filter(
            role=Role.OPERATOR,
            organisation_id=submission.platform.organisation_id,
            is_active=True,
        )
    )


def notify_revision_requested(
    *, submission: Submission, codes: list[str], message: str, email: bool = True
):
    return notification_send(
        email=email,
        recipients=operators_of(submission),
        submission=submission,
        kind=NotificationKind.REVISION_REQUESTED,
        subject=_("Revision requested: %(platform)s"),
        message=_(
            "The reviewer asks you to revise %(platform)s (%(cycle)s): %(codes)s. "
            "Message: %(message)s"
        ),
        params={
            "platform": submission.platform.name,
            "cycle": submission.cycle.code,
            "codes": ", ".join(codes),
            "message": message,
        },
    )


def notify_resubmitted(*, submission: Submission, email: bool = True):
    """Tell the assigned reviewer that the operator handed a revision back."""
    return notification_send(
        email=email,
        recipients=[submission.assigned_reviewer] if submission.assigned_reviewer_id else [],
        submission=submission,
        kind=NotificationKind.RESUBMITTED,
        subject=_("Resubmitted: %(platform)s"),
        message=_("%(platform)s (%(cycle)s) was resubmitted after revision and awaits review."),
        params={"platform": submission.platform.name, "cycle": submission.cycle.code},
    )


def notify_certified(
    *, submission: Submission, tier_label, valid_until, extra=(), email: bool = True
):
    return notification_send(
        email=email,
        recipients=[*operators_of(submission), *extra],
        submission=submission,
        kind=NotificationKind.CERTIFIED,
        subject=_("Certified: %(platform)s"),
        message=_(
            "%(platform)s (%(cycle)s) is certified at the %(tier)s tier, valid until %(date)s."
        ),
        params={
            "platform": submission.platform.name,
            "cycle": submission.cycle.code,
            "tier": tier_label,
            "date": valid_until.isoformat(),
        },
    )


def notify_sign_off_requested(
    *, submission: Submission, tier_label, proposer: User, email: bool = True
):
    national = User.objects.filter(role=Role.REVIEWER, is_national=True, is_active=True).exclude(
        pk=proposer.pk
    )
    return notification_send(
        email=email,
        recipients=list(national),
        submission=submission,
        kind=NotificationKind.SIGN_OFF_REQUESTED,
        subject=_("Sign-off requested: %(platform)s"),
        message=_(
            "%(reviewer)s proposes the %(tier)s tier for %(platform)s (%(cycle)s); "
            "it needs a national reviewer's sign-off."
        ),
        params={
            "reviewer": str(proposer),
            "tier": tier_label,
            "platform": submission.platform.name,
            "cycle": submission.cycle.code,
        },
    )


def notify_sign_off_declined(
    *, submission: Submission, proposer: User, reason: str, email: bool = True
):
    return notification_send(
        email=email,
        recipients=[proposer],
        submission=submission,
        kind=NotificationKind.SIGN_OFF_DECLINED,
        subject=_("Sign-off declined: %(platform)s"),
        message=_("The national sign-off for %(platform)s (%(cycle)s) was declined: %(reason)s"),
        params={
            "platform": submission.platform.name,
            "cycle": submission.cycle.code,
            "reason": reason,
        },
    )


def notify_revoked(*, submission: Submission, tier_label, reason: str, email: bool = True):
    return notification_send(
        email=email,
        recipients=operators_of(submission),
        submission=submission,
        kind=NotificationKind.REVOKED,
        subject=_("Certification revoked: %(platform)s"),
        message=_("The %(tier)s certification of %(platform)s (%(cycle)s) was revoked: %(reason)s"),
        params={
            "tier": tier_label,
            "platform": submission.platform.name,
            "cycle": submission.cycle.code,
            "reason": reason,
        },
    )


def notify_assigned(*, submission: Submission, reviewer: User, actor: User, email: bool = True):
    if reviewer.pk == actor.pk:
        return []
    return notification_send(
        email=email,
        recipients=[reviewer],
        submission=submission,
        kind=NotificationKind.ASSIGNED,
        subject=_("Assigned to you: %(platform)s"),
        message=_("%(lead)s assigned %(platform)s (%(cycle)s) to you for review."),
        params={
            "lead": str(actor),
            "platform": submission.platform.name,
            "cycle": submission.cycle.code,
        },
    )


@transaction.atomic
def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notices (all, or the given ones) as read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
