"""Type-ahead search of published innovations for forms' comboboxes (see jipp.core.widgets)."""

from django.db.models import Case, IntegerField, Value, When
from django.views.decorators.http import require_GET

from jipp.core.widgets import MAX_RESULTS, search_text, typeahead_response
from jipp.registry.models import Innovation


@require_GET
def search_innovations(request):
    """`q` (title), optional `awarded=1` (KIPP award winners only, e.g. the sources a Replikasi names).

    Only published innovations: they are public anyway, so anyone may search them.
    """
    text = search_text(request)
    rows = Innovation.objects.none()
    if text:
        rows = Innovation.objects.filter(status=Innovation.Status.PUBLISHED, title__icontains=text)
        if request.GET.get("awarded") == "1":
            rows = rows.exclude(award_tier="")
        rank = Case(When(title__istartswith=text, then=Value(0)), default=Value(1), output_field=IntegerField())
        rows = rows.select_related("agency").annotate(rank=rank).order_by("rank", "title", "pk")[:MAX_RESULTS]

    def detail(innovation):
        parts = [innovation.agency.name]
        if innovation.award_tier:
            parts.append(innovation.get_award_tier_display())
        return " · ".join(str(p) for p in parts)

    return typeahead_response(request, rows, label=lambda i: i.title, detail=detail)
