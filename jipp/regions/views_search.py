"""Type-ahead search of the reference data (agencies, service units, regions) for forms' comboboxes
(see jipp.core.widgets). Public, like the agency and region pages; GET only, at most MAX_RESULTS rows."""

from django.db.models import Case, IntegerField, Q, Value, When
from django.views.decorators.http import require_GET

from jipp.core.widgets import MAX_RESULTS, search_text, typeahead_response
from jipp.regions.models import Agency, Region, ServiceUnit


def _starts_first(field: str, text: str):
    """Order names that start with the text before those that only contain it."""
    return Case(When(**{f"{field}__istartswith": text}, then=Value(0)), default=Value(1), output_field=IntegerField())


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@require_GET
def search_agencies(request):
    """`q` (name or short name), optional `type`."""
    text = search_text(request)
    rows = Agency.objects.none()
    if text:
        rows = Agency.objects.filter(Q(name__icontains=text) | Q(short_name__icontains=text)).select_related("region")
        if request.GET.get("type") in Agency.Type.values:
            rows = rows.filter(type=request.GET["type"])
        rows = rows.annotate(rank=_starts_first("name", text)).order_by("rank", "name")[:MAX_RESULTS]
    return typeahead_response(
        request, rows, label=lambda a: a.name, detail=lambda a: a.region.name if a.region else a.get_type_display()
    )


@require_GET
def search_units(request):
    """`q` (unit name), optional `agency` (id) to stay within one agency."""
    text = search_text(request)
    rows = ServiceUnit.objects.none()
    if text:
        rows = ServiceUnit.objects.filter(name__icontains=text).select_related("agency")
        agency_id = _int_param(request, "agency")
        if agency_id:
            rows = rows.filter(agency_id=agency_id)
        rows = rows.annotate(rank=_starts_first("name", text)).order_by("rank", "name", "agency__name")[:MAX_RESULTS]
    return typeahead_response(request, rows, label=lambda u: u.name, detail=lambda u: u.agency.name)


@require_GET
def search_regions(request):
    """`q` (name, or the start of a Kemendagri code such as "35."), optional `level`."""
    text = search_text(request)
    rows = Region.objects.none()
    if text:
        rows = Region.objects.filter(Q(name__icontains=text) | Q(code__startswith=text)).select_related("parent")
        if request.GET.get("level") in Region.Level.values:
            rows = rows.filter(level=request.GET["level"])
        rows = rows.annotate(rank=_starts_first("name", text)).order_by("rank", "name")[:MAX_RESULTS]
    return typeahead_response(
        request,
        rows,
        label=lambda r: r.name,
        detail=lambda r: f"{r.get_level_display()} · {r.parent.name}" if r.parent else r.get_level_display(),
    )
