"""Reads for the public catalogue: one search, the same for the HTML pages, exports and the API.

Facets are counted from a single scan of the matching rows' small columns (category and SDG
membership are bit masks on the row), so a search costs one full-text query for the page and
one for the facets, whatever the number of facets.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from jipp.regions.models import Agency, Region
from jipp.registry.models import Category, Innovation, Sdg
from jipp.registry.search import apply_search

SORTS = ("relevance", "newest", "replicated")
FACET_FIELDS = (
    "province_id", "region_id", "agency_type", "phase", "stage", "is_digital", "continuity", "award_tier",
    "year_started", "replication_count", "has_legal_basis", "category_mask", "sdg_mask",
)  # fmt: skip


@dataclass(frozen=True)
class CatalogueQuery:
    """A validated catalogue search (see forms.CatalogueFilterForm, which builds it from GET parameters)."""

    q: str = ""
    province: str = ""
    regency: str = ""
    agency: str = ""
    agency_type: str = ""
    category: str = ""
    sdg: int | None = None
    phase: str = ""
    stage: str = ""
    digital: bool | None = None
    continuity: str = ""
    award: str = ""
    year: int | None = None
    replicated: bool | None = None
    legal_basis: bool | None = None
    sort: str = "relevance"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class CatalogueResult:
    queryset: QuerySet  # ordered, unevaluated: the caller paginates
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    total: int = 0
    searchable: bool = True  # False when `q` held nothing searchable (only punctuation, say)


def catalogue_queryset(query: CatalogueQuery, *, base: QuerySet | None = None) -> QuerySet | None:
    """Published innovations matching `query`, ordered by its sort; None when `q` has nothing to search."""
    qs = base if base is not None else Innovation.objects.filter(status=Innovation.Status.PUBLISHED)
    filters = {}
    if query.province:
        filters["province__code"] = query.province
    if query.regency:
        filters["region__code"] = query.regency
    if query.agency:
        filters["agency__slug"] = query.agency
    for name in ("agency_type", "phase", "stage", "continuity"):
        if getattr(query, name):
            filters[name] = getattr(query, name)
    if query.digital is not None:
        filters["is_digital"] = query.digital
    if query.year is not None:
        filters["year_started"] = query.year
    if query.legal_basis is not None:
        filters["has_legal_basis"] = query.legal_basis
    if query.award == "any":
        filters["award_tier__gt"] = ""
    elif query.award:
        filters["award_tier"] = query.award
    qs = qs.filter(**filters)
    if query.replicated is True:
        qs = qs.filter(replication_count__gt=0)
    elif query.replicated is False:
        qs = qs.filter(replication_count=0)
    table = Innovation._meta.db_table
    if query.category:
        bit = Category.objects.filter(code=query.category).values_list("bit", flat=True).first()
        mask = 1 << bit if bit is not None else 0  # an unknown category (mask 0) matches nothing
        # .extra: a bitwise test has no ORM lookup; the mask goes in params.
        qs = qs.extra(where=[f"({table}.category_mask & %s) != 0"], params=[mask])  # noqa: S610
    if query.sdg is not None:
        qs = qs.extra(where=[f"({table}.sdg_mask & %s) != 0"], params=[1 << query.sdg])  # noqa: S610
    if query.q.strip():
        searched = apply_search(qs, query.q, order_by_rank=query.sort == "relevance")
        if searched is None:
            return None
        qs = searched
        if query.sort == "relevance":
            return qs
    if query.sort == "replicated":
        return qs.order_by("-replication_count", "-published_at", "-id")
    return qs.order_by("-published_at", "-id")


def search_catalogue(query: CatalogueQuery, *, with_facets: bool = True) -> CatalogueResult:
    qs = catalogue_queryset(query)
    if qs is None:
        return CatalogueResult(queryset=Innovation.objects.none(), searchable=False)
    result = CatalogueResult(queryset=qs.select_related("agency", "region", "province"))
    if with_facets:
        rows = list(qs.order_by().values_list(*FACET_FIELDS))
        result.total = len(rows)
        result.facets = count_facets(rows, query)
    else:
        result.total = qs.count()
    return result


def _labels(choices) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


def count_facets(rows: list[tuple], query: CatalogueQuery) -> dict[str, list[FacetValue]]:
    """Count every facet over `rows` (tuples in FACET_FIELDS order). Counts equal the filtered results'."""
    counters = {name: Counter() for name in FACET_FIELDS}
    categories = Counter()
    sdgs = Counter()
    for row in rows:
        for name, value in zip(FACET_FIELDS[:10], row[:10], strict=True):
            counters[name][value] += 1
        counters["has_legal_basis"][row[10]] += 1
        mask = row[11]
        while mask:
            low = mask & -mask
            categories[low.bit_length() - 1] += 1
            mask ^= low
        mask = row[12]
        while mask:
            low = mask & -mask
            sdgs[low.bit_length() - 1] += 1
            mask ^= low

    def facet(counter, labels, *, order_by_count=True):
        values = [FacetValue(str(k), labels.get(str(k), str(k)), n) for k, n in counter.items() if k not in ("", None)]
        return sorted(values, key=lambda v: (-v.count, v.label) if order_by_count else v.label)

    province_ids = {k for k in counters["province_id"] if k}
    region_ids = {k for k in counters["region_id"] if k} if query.province else set()
    names = {r.pk: (r.code, r.name) for r in Region.objects.filter(pk__in=province_ids | region_ids)}
    replicated = Counter()
    for count, n in counters["replication_count"].items():
        replicated["yes" if count else "no"] += n
    facets = {
        "province": [FacetValue(names[k][0], names[k][1], n) for k, n in counters["province_id"].items() if k in names],
        "agency_type": facet(counters["agency_type"], _labels(Agency.Type.choices)),
        "category": [],
        "sdg": [],
        "phase": facet(counters["phase"], _labels(Innovation.Phase.choices)),
        "stage": facet(counters["stage"], _labels(Innovation.Stage.choices)),
        "digital": [FacetValue("yes" if k else "no", "", n) for k, n in counters["is_digital"].items()],
        "continuity": facet(counters["continuity"], _labels(Innovation.Continuity.choices)),
        "award": facet(counters["award_tier"], _labels(Innovation.AwardTier.choices)),
        "year": sorted(
            (FacetValue(str(k), str(k), n) for k, n in counters["year_started"].items() if k),
            key=lambda v: v.value,
            reverse=True,
        ),
        "replicated": [FacetValue(k, "", n) for k, n in replicated.items()],
        "legal_basis": [FacetValue("yes" if k else "no", "", n) for k, n in counters["has_legal_basis"].items()],
    }
    facets["province"].sort(key=lambda v: (-v.count, v.label))
    if query.province:
        facets["regency"] = sorted(
            (FacetValue(names[k][0], names[k][1], n) for k, n in counters["region_id"].items() if k in names),
            key=lambda v: (-v.count, v.label),
        )
    if categories:
        by_bit = {c.bit: c for c in Category.objects.all()}
        facets["category"] = sorted(
            (FacetValue(by_bit[b].code, by_bit[b].name, n) for b, n in categories.items() if b in by_bit),
            key=lambda v: (-v.count, v.label),
        )
    if sdgs:
        by_number = {s.number: s for s in Sdg.objects.all()}
        facets["sdg"] = sorted(
            (FacetValue(str(num), str(by_number[num]), n) for num, n in sdgs.items() if num in by_number),
            key=lambda v: int(v.value),
        )
    return facets


def similar_innovations(innovation: Innovation, *, limit: int = 5) -> list[Innovation]:
    """The precomputed similar innovations that are published, in similarity order."""
    ids = list(innovation.similar_ids or [])[: limit * 2]
    if not ids:
        return []
    found = Innovation.objects.filter(pk__in=ids, status=Innovation.Status.PUBLISHED).select_related("agency")
    by_id = {i.pk: i for i in found}
    return [by_id[i] for i in ids if i in by_id][:limit]
