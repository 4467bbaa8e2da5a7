"""List filters (django-filter). Values are checked; a bad one is a 400 with its field."""

import datetime

import django_filters
import django_filters.rest_framework
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import OrderingFilter

from assessment.models import (
    EventKind,
    Organisation,
    Platform,
    Region,
    RegionLevel,
    Submission,
    SubmissionEvent,
    SubmissionState,
)
from questionnaires.choices import PlatformKind, Result

_MAX_ID = 999_999_999_999_999_999


class IdFilter(django_filters.NumberFilter):
    """A database id (bounded, so a huge number is a 400, not a database overflow)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", _MAX_ID)
        super().__init__(*args, **kwargs)


class MomentFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 moment, compared in UTC: the database refuses offsets beyond ±15:59 that
    ISO 8601 and Python allow (+16:32 answered 500 on PostgreSQL)."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:  # moves out of year 1…9999: before or after every event
                if value.year < 5000:
                    value = datetime.datetime.min.replace(tzinfo=datetime.UTC)
                else:
                    value = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        return super().filter(qs, value)


class RegionCodeFilter(django_filters.CharFilter):
    """A GB/T 2260 code: six digits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault(
            "validators",
            [RegexValidator(r"^[0-9]{6}$", _("Enter a six-digit region code."), code="invalid")],
        )
        super().__init__(*args, **kwargs)


def province_q(field: str, code: str) -> Q:
    """The region itself or any region whose parent it is (a province and its cities)."""
    return Q(**{f"{field}_id": code}) | Q(**{f"{field}__parent_id": code})


PROVINCE_HELP = _("A province code (e.g. 440000): its cities included.")


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = RegionCodeFilter(field_name="parent_id")
    q = django_filters.CharFilter(
        method="search", max_length=60, help_text=_("Part of the name, in either language.")
    )

    class Meta:
        model = Region
        fields = ["level", "parent"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name_zh_hans__icontains=value) | Q(name_en__icontains=value))


class OrganisationFilter(django_filters.FilterSet):
    region = RegionCodeFilter(field_name="region_id")
    province = RegionCodeFilter(method="filter_province", help_text=PROVINCE_HELP)
    credit_code = django_filters.CharFilter(max_length=18)
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100, help_text=_("Part of the name.")
    )

    class Meta:
        model = Organisation
        fields = ["region", "credit_code"]

    def filter_province(self, queryset, name, value):
        return queryset.filter(province_q("region", value))


class PlatformFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PlatformKind.choices)
    organisation = IdFilter(field_name="organisation_id")
    region = RegionCodeFilter(field_name="region_id")
    province = RegionCodeFilter(method="filter_province", help_text=PROVINCE_HELP)
    industry = django_filters.CharFilter(
        field_name="industries__code", max_length=1, help_text=_("A GB/T 4754 section, A…T.")
    )
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100, help_text=_("Part of the name.")
    )

    class Meta:
        model = Platform
        fields = ["kind", "organisation", "region", "industry"]

    def filter_province(self, queryset, name, value):
        return queryset.filter(province_q("region", value))


class SubmissionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=SubmissionState.choices)
    cycle = django_filters.CharFilter(field_name="cycle__code", max_length=20)
    platform = IdFilter(field_name="platform_id")
    organisation = IdFilter(field_name="platform__organisation_id")
    kind = django_filters.ChoiceFilter(field_name="platform_kind", choices=PlatformKind.choices)
    region = RegionCodeFilter(field_name="platform__region_id")
    province = RegionCodeFilter(method="filter_province", help_text=PROVINCE_HELP)
    result = django_filters.ChoiceFilter(
        field_name="score_summary__result",
        choices=Result.choices,
        help_text=_("The provisional result."),
    )

    class Meta:
        model = Submission
        fields = ["state", "cycle", "platform", "organisation", "kind", "region", "result"]

    def filter_province(self, queryset, name, value):
        return queryset.filter(province_q("platform__region", value))


class EventFilter(django_filters.FilterSet):
    submission = IdFilter(field_name="submission_id")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    since = MomentFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text=_("Only events at or after this moment (ISO 8601)."),
    )
    after_id = IdFilter(
        field_name="id",
        lookup_expr="gt",
        help_text=_("Only events after this id: poll with the last id you have seen."),
    )

    class Meta:
        model = SubmissionEvent
        fields = ["submission", "kind"]


class StableOrderingFilter(OrderingFilter):
    """`?ordering=name,-created_at`; the id always breaks ties, so pages never overlap."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view) or list(queryset.query.order_by)
        if not ordering:
            ordering = list(queryset.model._meta.ordering)
        if "pk" not in ordering and "-pk" not in ordering:
            ordering = [*ordering, "pk"]
        return queryset.order_by(*ordering)


LIST_FILTERS = [django_filters.rest_framework.DjangoFilterBackend, StableOrderingFilter]
