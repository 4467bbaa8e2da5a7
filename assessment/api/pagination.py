from django.db.models.query import ModelIterable
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 500); the body has count, next, previous, results.

    A page of model rows is found by its primary keys first (ordering and OFFSET over the bare
    table, no joins), then loaded by key with its joins and prefetches: deep pages of a
    10 000-row list cost about what the first page does.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        if queryset._iterable_class is not ModelIterable:
            return super().paginate_queryset(queryset, request, view)
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if not keys:
            return keys
        position = {key: index for index, key in enumerate(keys)}
        rows = list(queryset.order_by().filter(pk__in=keys))
        rows.sort(key=lambda row: position[row.pk])
        return rows
