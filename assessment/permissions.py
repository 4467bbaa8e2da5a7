"""Who may see and do what. Every view and API endpoint scopes its objects through here.

Operators see their own organisation; reviewers and regulators the regions assigned to them
(a province includes its cities); national regulators and administrators see everything.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.errors import NotFound
from assessment.models import Organisation, Platform, Region, Role, Submission, User
from assessment.models.submissions import SubmissionState


def sees_everything(user: User) -> bool:
    return user.is_admin or (user.role == Role.REGULATOR and user.is_national)


def region_codes_in_scope(user: User) -> set[str] | None:
    """The region codes a reviewer or regulator covers, cities of its provinces included.

    None means no regional limit (national scope).
    """
    if sees_everything(user) or (user.role == Role.REVIEWER and user.is_national):
        return None
    if user.role not in (Role.REVIEWER, Role.REGULATOR):
        return set()
    assigned = list(user.regions.values_list("code", flat=True))
    children = Region.objects.filter(parent_id__in=assigned).values_list("code", flat=True)
    return set(assigned) | set(children)


def _region_filter(user: User, region_field: str) -> Q | None:
    codes = region_codes_in_scope(user)
    if codes is None:
        return None
    return Q(**{f"{region_field}__in": codes})


def _scoped(queryset: QuerySet, user: User, *, organisation_field: str, region_field: str):
    """Limit `queryset` to the user's organisation (operators) or regions (officials)."""
    if not user.is_authenticated:
        return queryset.none()
    if user.role == Role.OPERATOR:
        return queryset.filter(**{organisation_field: user.organisation_id})
    scope = _region_filter(user, region_field)
    return queryset if scope is None else queryset.filter(scope)


def _desk_rule(queryset: QuerySet, user: User, *, organisation_field: str) -> QuerySet:
    """The review desk's rule, everywhere: a reviewer sees nothing of an organisation they
    belong to or declared a conflict of interest with."""
    if not user.is_authenticated or user.role != Role.REVIEWER:
        return queryset
    if user.organisation_id:
        queryset = queryset.exclude(**{organisation_field: user.organisation_id})
    conflicted = user.conflicts.values("organisation_id")
    return queryset.exclude(**{f"{organisation_field}__in": conflicted})


def visible_organisations(user: User) -> QuerySet[Organisation]:
    organisations = _scoped(
        Organisation.objects.all(), user, organisation_field="pk", region_field="region"
    )
    return _desk_rule(organisations, user, organisation_field="pk")


def visible_platforms(user: User) -> QuerySet[Platform]:
    platforms = _scoped(
        Platform.objects.all(), user, organisation_field="organisation_id", region_field="region"
    )
    return _desk_rule(platforms, user, organisation_field="organisation_id")


def visible_submissions(user: User) -> QuerySet[Submission]:
    """Submissions in the user's scope. Reviewers, as on the review desk, never see drafts nor
    anything of an organisation they belong to or declared a conflict with (web, API,
    evidence and report URLs alike, since all of them scope through here)."""
    submissions = _scoped(
        Submission.objects.all(),
        user,
        organisation_field="platform__organisation_id",
        region_field="platform__region",
    )
    if user.is_authenticated and user.role == Role.REVIEWER:
        submissions = submissions.exclude(state=SubmissionState.DRAFT)
    return _desk_rule(submissions, user, organisation_field="platform__organisation_id")


def visible_regions(user: User) -> QuerySet[Region]:
    """Regions whose dashboards the user may open."""
    regions = Region.objects.all()
    codes = region_codes_in_scope(user) if user.is_authenticated else set()
    return regions if codes is None else regions.filter(code__in=codes)


def get_visible_or_404(queryset: QuerySet, **lookup):
    """Fetch one object from a scoped queryset; out of scope looks exactly like missing."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound("not_found", _("That page does not exist or you may not see it."))
    return found


def can_edit_submission(user: User, submission: Submission) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.OPERATOR
        and submission.platform.organisation_id == user.organisation_id
    )


def can_review_submission(user: User, submission: Submission) -> bool:
    """Reviewer in scope and free of conflicts (membership or a declared conflict)."""
    if not user.is_authenticated or user.role != Role.REVIEWER:
        return False
    if not visible_submissions(user).filter(pk=submission.pk).exists():
        return False
    organisation_id = submission.platform.organisation_id
    if user.organisation_id == organisation_id:
        return False
    return not user.conflicts.filter(organisation_id=organisation_id).exists()
