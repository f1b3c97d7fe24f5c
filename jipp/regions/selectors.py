from django.db.models import Count, Q, QuerySet

from jipp.regions.models import Agency, Region


def regions(*, level: str = "", parent_code: str = "", query: str = "") -> QuerySet[Region]:
    qs = Region.objects.select_related("parent").order_by("code")
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__startswith=query))
    return qs


def agencies(*, type: str = "", region_code: str = "", query: str = "") -> QuerySet[Agency]:
    qs = Agency.objects.select_related("region").annotate(unit_count=Count("units")).order_by("name")
    if type:
        qs = qs.filter(type=type)
    if region_code:
        # A province's code also finds the governments of its regencies and cities.
        qs = qs.filter(Q(region__code=region_code) | Q(region__parent__code=region_code))
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return qs
