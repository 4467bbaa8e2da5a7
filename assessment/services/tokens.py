"""Personal API tokens: create (the key is returned once), revoke, and resolve a presented key.

A key is `pma_` followed by 43 URL-safe characters (32 random bytes). Only its SHA-256 is
stored: a key of that strength needs no slow hash, and a database leak reveals no usable key.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.errors import ApplicationError, NotFound
from assessment.models import ApiToken, AuditKind, User
from assessment.security.audit import security_event_record

KEY_PREFIX = "pma_"
# Characters of the key kept in clear (after KEY_PREFIX) so the owner can tell tokens apart.
VISIBLE_CHARACTERS = 8
MAX_ACTIVE_TOKENS = 20
# A token's last use is written at most this often; every use is still logged.
LAST_USED_RESOLUTION = timedelta(minutes=1)

usage_log = logging.getLogger("assessment.api.tokens")


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # the only time the key exists in clear


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, lifetime_days: int | None = None, request=None
) -> NewToken:
    """A new token for `user`; the returned key is never stored and cannot be shown again.

    It expires after `lifetime_days` (default API_TOKEN_DAYS, 90; at most API_TOKEN_MAX_DAYS).
    """
    lifetime_days = settings.API_TOKEN_DAYS if lifetime_days is None else lifetime_days
    if not 1 <= lifetime_days <= settings.API_TOKEN_MAX_DAYS:
        raise ApplicationError(
            "invalid_lifetime",
            _("A token lives from 1 to %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS},
            field="lifetime_days",
        )
    name = name.strip()
    if not name:
        raise ApplicationError(
            "token_name_required",
            _("Give the token a name, e.g. the system that will use it."),
            field="name",
        )
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ApplicationError(
            "token_name_too_long", _("The name may have at most 80 characters."), field="name"
        )
    # Lock the user's row so two parallel requests cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(
        expires_at__lte=timezone.now()
    )
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ApplicationError(
            "too_many_tokens",
            _("You have %(count)d active tokens, the most allowed. Revoke one you no longer use.")
            % {"count": MAX_ACTIVE_TOKENS},
        )
    if active.filter(name=name).exists():
        raise ApplicationError(
            "token_name_taken",
            _("You already have an active token with this name."),
            field="name",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: len(KEY_PREFIX) + VISIBLE_CHARACTERS],
        key_hash=hash_key(key),
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    usage_log.info("token created: %s user=%s name=%r", token.prefix, user.pk, name)
    security_event_record(
        request=request,
        kind=AuditKind.TOKEN_CREATED,
        actor=user,
        detail={"token": token.prefix, "name": name, "expires": token.expires_at.isoformat()},
    )
    return NewToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(
    *, user: User, token_id: int, request=None, by: User | None = None
) -> ApiToken:
    """Revoke one of the user's own tokens (or, with `by`, the security administrator revokes
    someone's); revoking twice is harmless."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound("not_found", _("That token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        usage_log.info("token revoked: %s user=%s", token.prefix, user.pk)
        security_event_record(
            request=request,
            kind=AuditKind.TOKEN_REVOKED,
            actor=by or user,
            subject=user.email,
            detail={"token": token.prefix},
        )
    return token


def api_token_authenticate(*, key: str, ip: str | None = None) -> ApiToken | None:
    """The active token a presented key belongs to (with its user), or None.

    Records the use: the row's last use at most once per LAST_USED_RESOLUTION.
    """
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
        token.last_used_at, token.last_used_ip = now, ip
        # Into the audit trail at the same resolution (every use is on the usage log).
        security_event_record(
            request=None,
            kind=AuditKind.TOKEN_USED,
            actor=token.user,
            detail={"token": token.prefix, "ip": ip},
        )
    return token


def api_tokens_of(user: User):
    """The user's tokens, newest first (revoked ones included, for the record)."""
    return ApiToken.objects.filter(user=user)
