"""factory_boy factories for every model, in one place."""

import factory
from django.contrib.auth.hashers import make_password

from assessment.models import (
    Answer,
    AssessmentCycle,
    Organisation,
    Platform,
    Region,
    Role,
    Submission,
    User,
)
from assessment.validators import credit_code_check_character
from questionnaires.services import default_rubric_version

PASSWORD = "correct-horse-battery-staple"
_HASHED_PASSWORD = make_password(PASSWORD)


def credit_code(number: int) -> str:
    """A valid unified social credit code, distinct for each number."""
    first_17 = f"91{440300:06d}{number:09d}"
    return first_17 + credit_code_check_character(first_17)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    credit_code = factory.Sequence(credit_code)
    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    region = factory.LazyFunction(lambda: region("440300"))


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"工业互联网平台{n}")
    kind = "industry"
    region = factory.LazyAttribute(lambda platform: platform.organisation.region)
    website = "https://platform.example.cn"
    launched_year = 2020

    @factory.post_generation
    def industries(self, create, extracted, **kwargs):
        if create:
            self.industries.set(extracted or ["C"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = _HASHED_PASSWORD
    role = Role.OPERATOR
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda user: user.role == Role.OPERATOR),
        factory.SubFactory(OrganisationFactory),
        None,
    )

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


def operator(organisation=None, **fields) -> User:
    return UserFactory(
        role=Role.OPERATOR, organisation=organisation or OrganisationFactory(), **fields
    )


def reviewer(*region_codes: str, **fields) -> User:
    return UserFactory(role=Role.REVIEWER, regions=list(region_codes), **fields)


def regulator(*region_codes: str, **fields) -> User:
    return UserFactory(role=Role.REGULATOR, regions=list(region_codes), **fields)


def admin(**fields) -> User:
    return UserFactory(
        role=Role.ADMIN, is_staff=True, is_superuser=True, is_national=True, **fields
    )


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCycle

    code = factory.Sequence(lambda n: f"{2027 + n}")
    title_zh_hans = factory.LazyAttribute(lambda cycle: f"{cycle.code}年度评估")
    title_en = factory.LazyAttribute(lambda cycle: f"{cycle.code} annual assessment")
    opens_on = factory.LazyAttribute(lambda cycle: f"{int(cycle.code) - 1}-01-01")
    closes_on = factory.LazyAttribute(lambda cycle: f"{int(cycle.code) + 1}-12-31")
    rubric_version = factory.LazyFunction(default_rubric_version)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A draft of the default rubric; pass state=… for other states."""

    class Meta:
        model = Submission

    platform = factory.SubFactory(PlatformFactory)
    cycle = factory.SubFactory(CycleFactory)
    rubric_version = factory.LazyAttribute(lambda submission: submission.cycle.rubric_version)
    platform_kind = factory.LazyAttribute(lambda submission: submission.platform.kind)
    created_by = factory.LazyAttribute(
        lambda submission: operator(organisation=submission.platform.organisation)
    )


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    submission = factory.SubFactory(SubmissionFactory)
    question_code = "D1.1"
    value = 5
    updated_by = factory.LazyAttribute(lambda answer: answer.submission.created_by)
