"""Whose dashboard a user may open: the region asked for, if it is in the user's scope."""

from django.utils.translation import gettext_lazy as _

from assessment.errors import NotFound
from assessment.models import (
    Region,
    Role,
    User,
)
from assessment.permissions import region_codes_in_scope

# --- Scope ----------------------------------------------------------------------------------------


_UNSET = object()


def user_scope(user: User) -> set[str] | None:
    """`region_codes_in_scope(user)`, worked out once per user object (i.e. per request)."""
    scope = getattr(user, "_dashboard_scope", _UNSET)
    if scope is _UNSET:
        scope = region_codes_in_scope(user)
        user._dashboard_scope = scope
    return scope


def dashboard_region(*, user: User | None, region_code: str | None) -> Region | None:
    """The region whose dashboard is asked for (None: national), if the user may see it.

    `user=None` is a trusted caller (the `metrics` command, background tasks). Operators see no
    dashboard; reviewers, regulators and administrators see their regions (a province includes
    its cities) and the national dashboard only with national scope. Out of scope is NotFound.
    """
    missing = NotFound("not_found", _("That page does not exist or you may not see it."))
    if user is not None:
        if not user.is_authenticated or (user.role == Role.OPERATOR and not user.is_admin):
            raise missing
        codes = user_scope(user)
        if region_code is None:
            if codes is not None:
                raise missing
            return None
        if codes is not None and region_code not in codes:
            raise missing
    if region_code is None:
        return None
    region = Region.objects.select_related("parent").filter(code=region_code).first()
    if region is None:
        raise missing
    return region


def may_open_region(scope_codes: set[str] | None, region_code: str | None) -> bool:
    """Whether a dashboard link (breadcrumb, drill-down) would open for a user whose
    `region_codes_in_scope` are `scope_codes` (None: national scope)."""
    if scope_codes is None:
        return True
    return region_code is not None and region_code in scope_codes
