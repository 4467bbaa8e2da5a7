"""Who may see and do what. Every view and API endpoint scopes its objects through here.

Operators see their own organisation; reviewers and regulators the regions assigned to them
(a province includes its cities); national regulators and administrators see everything.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from assessment.errors import NotFound
from assessment.models import (
    Organisation,
    Panel,
    PanelSubmission,
    Platform,
    Region,
    Role,
    Submission,
    User,
)
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
    if user.is_authenticated and user.role == Role.EXPERT:
        # Experts see only the submissions before their panels.
        return Submission.objects.filter(
            pk__in=PanelSubmission.objects.filter(panel__members__expert=user).values(
                "submission_id"
            )
        )
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


def visible_panels(user: User) -> QuerySet[Panel]:
    """Experts: the panels they sit on. Reviewers and regulators: panels of their level whose
    submissions are all in their scope (a ministry panel is national)."""
    if not user.is_authenticated:
        return Panel.objects.none()
    if user.role == Role.EXPERT:
        return Panel.objects.filter(members__expert=user)
    if sees_everything(user):
        return Panel.objects.all()
    if user.role not in (Role.REVIEWER, Role.REGULATOR):
        return Panel.objects.none()
    if user.is_national:
        return Panel.objects.all()
    outside = PanelSubmission.objects.exclude(submission__in=visible_submissions(user)).values(
        "panel_id"
    )
    return Panel.objects.filter(level="provincial").exclude(pk__in=outside)


# --- Annual monitoring (docs/monitoring.md) ------------------------------------------------------


def can_open_monitoring(user: User) -> bool:
    """Opening a year's monitoring window is national: administrators, national officials."""
    return user.is_authenticated and (
        user.is_admin or (user.role in (Role.REVIEWER, Role.REGULATOR) and user.is_national)
    )


def can_decide_monitoring(user: User, submission: Submission) -> bool:
    """Officials (reviewers and regulators) decide on the returns of platforms in their scope."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return (
        user.role in (Role.REVIEWER, Role.REGULATOR)
        and visible_submissions(user).filter(pk=submission.pk).exists()
    )


def visible_monitoring_returns(user: User):
    """The monitoring returns of the certifications whose submissions the user sees."""
    from assessment.models import MonitoringReturn

    if not user.is_authenticated or user.role == Role.EXPERT:
        return MonitoringReturn.objects.none()
    return MonitoringReturn.objects.filter(
        certification__submission__in=visible_submissions(user).values("pk")
    )


# --- The programme (docs/programme.md) -----------------------------------------------------------


def is_programme_official(user: User) -> bool:
    """Who works the programme's desks (calls, recommendations, notices): reviewers, regulators
    and administrators."""
    return user.is_authenticated and (user.role in (Role.REVIEWER, Role.REGULATOR) or user.is_admin)


def visible_recommendations(user: User, recommendations: QuerySet) -> QuerySet:
    """A province's recommendations, for the officials of that province (a city's included); the
    ministry and administrators see every province's."""
    if user.is_admin or user.is_national:
        return recommendations
    provinces = {region.province_code for region in user.regions.all()}
    return recommendations.filter(region_id__in=provinces)


def is_ministry_official(user: User) -> bool:
    """A national reviewer or regulator: the ministry's steps (formal check, ministry notice,
    publication, the ministry's call)."""
    return (
        user.is_authenticated
        and user.role in (Role.REVIEWER, Role.REGULATOR)
        and bool(user.is_national)
    )


def provincial_official_for(user: User, province_code: str) -> bool:
    """A provincial (not national) reviewer or regulator covering `province_code`."""
    if not user.is_authenticated or user.is_national:
        return False
    if user.role not in (Role.REVIEWER, Role.REGULATOR):
        return False
    return province_code in (region_codes_in_scope(user) or set())


def provincial_lead_for(user: User, province_code: str) -> bool:
    """Who signs a province's recommendation: its regulator or a lead reviewer of it."""
    return provincial_official_for(user, province_code) and (
        user.role == Role.REGULATOR or user.is_lead_reviewer
    )


def acts_for_province(user: User, *, province_code: str | None) -> bool:
    """The provincial level of a step: the province's officials, or for a central enterprise
    (province_code None) the ministry's."""
    if province_code is None:
        return is_ministry_official(user)
    return provincial_official_for(user, province_code)
