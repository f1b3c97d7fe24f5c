"""The catalogue's one contract: the parameters of the HTML catalogue, the API and the exports.

`CatalogueFilterSet` (django-filter) declares every parameter, its bounds and its known values,
validates a query string and turns it into a `CatalogueQuery`. The HTML page shows its errors,
the API and the exports answer 400 naming the parameter; all three then search with the same
query (`selectors.search_catalogue`, or `selectors.catalogue_queryset` for `.qs`).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jipp.regions.models import Agency, Region
from jipp.registry.bounds import YearFilter
from jipp.registry.models import AwardTier, Category, Innovation
from jipp.registry.selectors import SORTS, CatalogueQuery, catalogue_queryset

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SORT_CHOICES = [("relevance", _("Relevance")), ("newest", _("Newest")), ("replicated", _("Most replicated"))]
PARAMETERS = (
    "q", "province", "regency", "agency", "agency_type", "category", "sdg", "phase", "phase_min", "stage",
    "digital", "continuity", "award", "award_year", "award_tier", "year", "replicated", "legal_basis", "sort",
)  # fmt: skip


def _kept(queryset, name, value):
    return queryset  # the whole query is applied at once in `filter_queryset`


class CatalogueFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_kept, max_length=200)
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), method=_kept, to_field_name="code",
        queryset=Region.objects.filter(level=Region.Level.PROVINCE),
    )  # fmt: skip
    regency = django_filters.ModelChoiceFilter(
        label=_("Regency or city"), method=_kept, to_field_name="code",
        queryset=Region.objects.exclude(level=Region.Level.PROVINCE),
    )  # fmt: skip
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"), method=_kept, to_field_name="slug", queryset=Agency.objects.all()
    )
    agency_type = django_filters.ChoiceFilter(label=_("Agency type"), method=_kept, choices=Agency.Type.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), method=_kept, to_field_name="code", queryset=Category.objects.all()
    )
    sdg = django_filters.NumberFilter(label=_("SDG"), method=_kept, min_value=1, max_value=17)
    phase = django_filters.ChoiceFilter(label=_("Policy phase"), method=_kept, choices=Innovation.Phase.choices)
    phase_min = django_filters.ChoiceFilter(
        label=_("Policy phase at least"), method=_kept, choices=Innovation.Phase.choices
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), method=_kept, choices=Innovation.Stage.choices)
    digital = django_filters.ChoiceFilter(label=_("Digital"), method=_kept, choices=YES_NO)
    continuity = django_filters.ChoiceFilter(label=_("Continuity"), method=_kept, choices=Innovation.Continuity.choices)
    award = django_filters.ChoiceFilter(
        label=_("Best KIPP award"),
        method=_kept,
        choices=[("any", _("Any award")), *[c for c in Innovation.AwardTier.choices if c[0]]],
    )
    award_year = YearFilter(label=_("Award year"), method=_kept)
    award_tier = django_filters.ChoiceFilter(label=_("Award tier"), method=_kept, choices=[])
    year = YearFilter(label=_("Year started"), method=_kept)
    replicated = django_filters.ChoiceFilter(label=_("Replicated"), method=_kept, choices=YES_NO)
    legal_basis = django_filters.ChoiceFilter(label=_("Has a legal basis"), method=_kept, choices=YES_NO)
    sort = django_filters.ChoiceFilter(label=_("Sort by"), method=_kept, choices=SORT_CHOICES)

    class Meta:
        model = Innovation
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Innovation.objects.filter(status=Innovation.Status.PUBLISHED)
        super().__init__(data, queryset=queryset, **kwargs)
        codes = sorted({(c, n) for c, n in AwardTier.objects.values_list("code", "name_en")})
        seen: dict[str, str] = {}
        for code, name in codes:
            seen.setdefault(code, name)
        self.filters["award_tier"].extra["choices"] = list(seen.items())

    def to_query(self) -> CatalogueQuery:
        """The validated parameters as a CatalogueQuery (call after `is_valid()`)."""
        data = self.form.cleaned_data

        def yes_no(name):
            return {"yes": True, "no": False}.get(data.get(name) or "")

        def number(name):
            value = data.get(name)
            return int(value) if value is not None else None

        q = data.get("q") or ""
        sort = data.get("sort") or ("relevance" if q else "newest")
        if sort == "relevance" and not q.strip():
            sort = "newest"
        return CatalogueQuery(
            q=q,
            province=data["province"].code if data.get("province") else "",
            regency=data["regency"].code if data.get("regency") else "",
            agency=data["agency"].slug if data.get("agency") else "",
            agency_type=data.get("agency_type") or "",
            category=data["category"].code if data.get("category") else "",
            sdg=number("sdg"),
            phase=data.get("phase") or "",
            phase_min=data.get("phase_min") or "",
            stage=data.get("stage") or "",
            digital=yes_no("digital"),
            continuity=data.get("continuity") or "",
            award=data.get("award") or "",
            award_year=number("award_year"),
            award_tier=data.get("award_tier") or "",
            year=number("year"),
            replicated=yes_no("replicated"),
            legal_basis=yes_no("legal_basis"),
            sort=sort if sort in SORTS else "newest",
        )

    def filter_queryset(self, queryset):
        qs = catalogue_queryset(self.to_query(), base=queryset)
        return queryset.none() if qs is None else qs


def catalogue_filterset(params) -> CatalogueFilterSet:
    """The filter set bound to GET parameters (values trimmed; parameters it does not know are ignored)."""
    return CatalogueFilterSet({k: (v or "").strip() for k, v in params.items() if k in PARAMETERS})


def parse_catalogue_params(params) -> CatalogueQuery:
    """A CatalogueQuery from GET parameters, or ValidationError {parameter: [message]} (API and exports: 400)."""
    filterset = catalogue_filterset(params)
    if not filterset.is_valid():
        raise ValidationError({name: [str(m) for m in messages] for name, messages in filterset.errors.items()})
    return filterset.to_query()
