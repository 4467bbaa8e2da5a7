"""The operator's organisation: its platforms and its colleagues.

Any active operator of an organisation may manage it. A colleague is invited by email: the
invitation creates an inactive operator account and mails a link (Django's password-reset token)
where the colleague chooses a password, which activates the account. Removing a colleague
deactivates the account; the rows it wrote stay, for the audit trail.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from assessment.errors import ApplicationError, NotFound, PermissionDenied
from assessment.models import Industry, Platform, Region, Role, User
from assessment.services.mail import email_queue


def _require_operator(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_operator and actor.organisation_id):
        raise PermissionDenied(
            "not_operator", _("Only a platform operator can manage an organisation.")
        )


def _check_platform_name(actor: User, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ApplicationError("name_required", _("Enter the platform's name."), field="name")
    taken = Platform.objects.filter(organisation_id=actor.organisation_id, name=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ApplicationError(
            "platform_name_taken",
            _("Your organisation already has a platform with this name."),
            field="name",
        )
    return name


def _check_english_name(name_en: str) -> str:
    # Optional; held to the name's length (the form checks it too, but a service is its own gate).
    name_en = (name_en or "").strip()
    limit = Platform._meta.get_field("name_en").max_length
    if len(name_en) > limit:
        raise ApplicationError(
            "name_en_too_long",
            _("The English name may have at most %(limit)d characters.") % {"limit": limit},
            field="name_en",
        )
    return name_en


@transaction.atomic
def platform_create(
    *,
    actor: User,
    name: str,
    kind: str,
    region: Region,
    launched_year: int,
    industries: list[Industry],
    website: str = "",
    name_en: str = "",
) -> Platform:
    """A new platform of the actor's organisation."""
    _require_operator(actor)
    platform = Platform.objects.create(
        organisation_id=actor.organisation_id,
        name=_check_platform_name(actor, name),
        name_en=_check_english_name(name_en),
        kind=kind,
        region=region,
        launched_year=launched_year,
        website=website,
    )
    platform.industries.set(industries)
    return platform


@transaction.atomic
def platform_update(
    *,
    actor: User,
    platform: Platform,
    name: str,
    kind: str,
    region: Region,
    launched_year: int,
    industries: list[Industry],
    website: str = "",
    name_en: str = "",
) -> Platform:
    """Change a platform's details; submissions already started keep the kind they froze."""
    _require_operator(actor)
    locked = Platform.objects.select_for_update().get(pk=platform.pk)
    if locked.organisation_id != actor.organisation_id:
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    locked.name = _check_platform_name(actor, name, exclude_pk=locked.pk)
    locked.name_en = _check_english_name(name_en)
    locked.kind = kind
    locked.region = region
    locked.launched_year = launched_year
    locked.website = website
    locked.save(update_fields=["name", "name_en", "kind", "region", "launched_year", "website"])
    locked.industries.set(industries)
    return locked


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})


def _send_invitation(actor: User, user: User) -> None:
    context = {
        "inviter": actor,
        "organisation": actor.organisation,
        "link": invitation_link(user),
        "email": user.email,
    }
    # The colleague's language is unknown: the invitation is written in both.
    bodies, subject = [], ""
    for language in ("zh-hans", "en"):
        with override(language):
            bodies.append(render_to_string("assessment/operator/invitation_email.txt", context))
            if not subject:
                subject = render_to_string(
                    "assessment/operator/invitation_subject.txt", context
                ).strip()
    email_queue(subject=subject, body="\n\n----------\n\n".join(bodies), recipients=[user.email])


@transaction.atomic
def colleague_invite(*, actor: User, email: str, full_name: str = "") -> User:
    """Invite a colleague to the actor's organisation (or re-invite a removed one)."""
    _require_operator(actor)
    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email:
        raise ApplicationError("email_required", _("Enter an email address."), field="email")
    existing = User.objects.select_for_update().filter(email=email).first()
    if existing is not None:
        if existing.organisation_id != actor.organisation_id or existing.role != Role.OPERATOR:
            # Answer as for a new address: whether an account exists elsewhere is not the
            # inviter's to learn (account enumeration). The owner is told instead.
            transaction.on_commit(lambda: _tell_owner_of_invitation(actor, existing))
            return existing
        if existing.is_active and existing.has_usable_password():
            raise ApplicationError(
                "already_member",
                _("%(email)s is already a member of your organisation.") % {"email": email},
                field="email",
            )
        user = existing
        user.is_active = False
        if full_name:
            user.full_name = full_name
        user.set_unusable_password()
        user.save(update_fields=["is_active", "full_name", "password"])
    else:
        user = User.objects.create_user(
            email=email,
            password=None,
            full_name=full_name.strip(),
            role=Role.OPERATOR,
            organisation_id=actor.organisation_id,
            is_active=False,
        )
    transaction.on_commit(lambda: _send_invitation(actor, user))
    return user


def _tell_owner_of_invitation(actor: User, owner: User) -> None:
    email_queue(
        subject=str(_("An invitation for your email address")),
        body=str(
            _(
                "%(organisation)s tried to invite %(email)s to the Platform Maturity Assessment. "
                "Your address already has an account, so nothing was changed. If you did not "
                "expect this, you need not do anything."
            )
        )
        % {"organisation": actor.organisation, "email": owner.email},
        recipients=[owner.email],
    )


@transaction.atomic
def colleague_remove(*, actor: User, colleague: User) -> User:
    """Remove a colleague from the organisation: the account is deactivated."""
    _require_operator(actor)
    locked = User.objects.select_for_update().filter(pk=colleague.pk).first()
    if locked is None or locked.organisation_id != actor.organisation_id:
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    if locked.pk == actor.pk:
        raise ApplicationError(
            "cannot_remove_self", _("You cannot remove yourself; ask a colleague to do it.")
        )
    locked.is_active = False
    if not locked.has_usable_password():
        # A pending invitation: a new random password voids the invitation link.
        locked.set_password(get_random_string(48))
    locked.save(update_fields=["is_active", "password"])
    return locked


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    """Set the invited colleague's password and activate the account."""
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user
