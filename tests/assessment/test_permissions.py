"""Role scoping, one test per role × in scope / out of scope."""

import pytest

from assessment import permissions
from tests.factories import (
    OrganisationFactory,
    PlatformFactory,
    SubmissionFactory,
    admin,
    operator,
    region,
    regulator,
    reviewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shenzhen_submission():
    organisation = OrganisationFactory(region=region("440300"))
    return SubmissionFactory(platform=PlatformFactory(organisation=organisation), state="submitted")


@pytest.fixture
def hangzhou_submission():
    organisation = OrganisationFactory(region=region("330100"))
    return SubmissionFactory(platform=PlatformFactory(organisation=organisation), state="submitted")


def visible(user, submission):
    return permissions.visible_submissions(user).filter(pk=submission.pk).exists()


def test_operator_sees_own_organisations_submission(shenzhen_submission):
    member = operator(organisation=shenzhen_submission.platform.organisation)
    assert visible(member, shenzhen_submission)


def test_operator_cannot_see_other_organisations_submission(shenzhen_submission):
    outsider = operator()
    assert not visible(outsider, shenzhen_submission)
    assert (
        not permissions.visible_organisations(outsider)
        .filter(pk=shenzhen_submission.platform.organisation_id)
        .exists()
    )


def test_provincial_reviewer_sees_submissions_of_its_cities(shenzhen_submission):
    assert visible(reviewer("440000"), shenzhen_submission)


def test_city_reviewer_sees_its_own_city(shenzhen_submission):
    assert visible(reviewer("440300"), shenzhen_submission)


def test_reviewer_cannot_see_other_provinces(hangzhou_submission):
    assert not visible(reviewer("440000"), hangzhou_submission)


def test_city_reviewer_cannot_see_another_city_of_its_province():
    guangzhou = SubmissionFactory(
        platform=PlatformFactory(organisation=OrganisationFactory(region=region("440100"))),
        state="submitted",
    )
    assert not visible(reviewer("440300"), guangzhou)


def test_regional_regulator_sees_its_province(shenzhen_submission):
    assert visible(regulator("440000"), shenzhen_submission)


def test_regional_regulator_cannot_see_other_provinces(hangzhou_submission):
    assert not visible(regulator("440000"), hangzhou_submission)


def test_national_regulator_sees_everything(shenzhen_submission, hangzhou_submission):
    national = regulator(is_national=True)
    assert visible(national, shenzhen_submission)
    assert visible(national, hangzhou_submission)


def test_administrator_sees_everything(shenzhen_submission, hangzhou_submission):
    administrator = admin()
    assert visible(administrator, shenzhen_submission)
    assert visible(administrator, hangzhou_submission)


def test_reviewer_without_regions_sees_nothing(shenzhen_submission):
    assert not visible(reviewer(), shenzhen_submission)


def test_reviewer_cannot_review_own_organisations_submission(shenzhen_submission):
    insider = reviewer("440000", organisation=shenzhen_submission.platform.organisation)
    assert not permissions.can_review_submission(insider, shenzhen_submission)


def test_reviewer_cannot_review_after_declaring_a_conflict(shenzhen_submission):
    from assessment.models import ConflictDeclaration

    official = reviewer("440000")
    assert permissions.can_review_submission(official, shenzhen_submission)
    ConflictDeclaration.objects.create(
        reviewer=official, organisation=shenzhen_submission.platform.organisation, reason="前雇主"
    )
    assert not permissions.can_review_submission(official, shenzhen_submission)


def test_only_the_organisations_operators_may_edit(shenzhen_submission):
    member = operator(organisation=shenzhen_submission.platform.organisation)
    assert permissions.can_edit_submission(member, shenzhen_submission)
    assert not permissions.can_edit_submission(operator(), shenzhen_submission)
    assert not permissions.can_edit_submission(reviewer("440000"), shenzhen_submission)


def test_region_scope_of_a_provincial_official_includes_its_cities():
    codes = permissions.region_codes_in_scope(regulator("440000"))
    assert {"440000", "440300", "440100"} <= codes
    assert "330100" not in codes


def test_reviewer_never_sees_drafts_of_its_region(shenzhen_submission):
    shenzhen_submission.state = "draft"
    shenzhen_submission.save(update_fields=["state"])
    assert not visible(reviewer("440000"), shenzhen_submission)
    assert visible(regulator("440000"), shenzhen_submission)


def test_declared_conflict_hides_the_organisation_everywhere(shenzhen_submission):
    from assessment.models import ConflictDeclaration

    official = reviewer("440000")
    organisation = shenzhen_submission.platform.organisation
    ConflictDeclaration.objects.create(reviewer=official, organisation=organisation, reason="x")
    assert not visible(official, shenzhen_submission)
    assert not permissions.visible_organisations(official).filter(pk=organisation.pk).exists()
    assert (
        not permissions.visible_platforms(official)
        .filter(pk=shenzhen_submission.platform_id)
        .exists()
    )


def test_reviewer_sees_nothing_of_its_own_organisation(shenzhen_submission):
    organisation = shenzhen_submission.platform.organisation
    insider = reviewer("440000", organisation=organisation)
    assert not visible(insider, shenzhen_submission)
    assert not permissions.visible_organisations(insider).filter(pk=organisation.pk).exists()
