"""Reads for the public catalogue: one search, the same for the HTML pages and the API.

`search_catalogue` answers from the in-memory facet index (see facet_index.py) plus one
full-text query; `catalogue_queryset` is the same search as a QuerySet, for exports.
"""

import functools
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet

from jipp.regions.models import Agency, Region
from jipp.registry.facet_index import CODED, current_index
from jipp.registry.models import Award, AwardTier, Category, Innovation
from jipp.registry.search import Matches, apply_search, match_cap, search_matches

SORTS = ("relevance", "newest", "replicated")


@dataclass(frozen=True)
class CatalogueQuery:
    """A validated catalogue search (see filters.CatalogueFilterSet, which builds it from GET parameters)."""

    q: str = ""
    province: str = ""
    regency: str = ""
    agency: str = ""
    agency_type: str = ""
    category: str = ""
    sdg: int | None = None
    phase: str = ""
    phase_min: str = ""  # this policy phase or a later one (development: development or institutionalisation)
    stage: str = ""
    digital: bool | None = None
    continuity: str = ""
    award: str = ""
    award_year: int | None = None
    award_tier: str = ""
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
    queryset: "InnovationPageList"  # ordered; fetches only the rows of the page it is sliced to
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    total: int = 0
    searchable: bool = True  # False when `q` held nothing searchable (only punctuation, say)
    # True when the search matched more than the cap (`search.match_cap()`): the result, `total` and
    # the facets cover only the newest matches (and every short-name match); show "more than total".
    capped: bool = False


def phases_at_least(phase: str) -> list[str]:
    """The policy phases from `phase` on, in the order of the policy (creation, development,
    institutionalisation); none for an unknown phase."""
    values = list(Innovation.Phase.values)
    return values[values.index(phase) :] if phase in values else []


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
    if query.phase_min:
        filters["phase__in"] = phases_at_least(query.phase_min)
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
    if query.award_year is not None or query.award_tier:
        awards = Award.objects.all()
        if query.award_year is not None:
            awards = awards.filter(year=query.award_year)
        if query.award_tier:
            awards = awards.filter(tier=query.award_tier)
        qs = qs.filter(pk__in=awards.values("innovation_id"))
    if query.replicated is True:
        qs = qs.filter(replication_count__gt=0)
    elif query.replicated is False:
        qs = qs.filter(replication_count=0)
    table = Innovation._meta.db_table
    if query.category:
        bit = Category.objects.filter(code=query.category).values_list("bit", flat=True).first()
        mask = 1 << bit if bit is not None else 0  # an unknown category (mask 0) matches nothing
        # .extra: a bitwise test has no ORM lookup; the mask goes in params.
        qs = qs.extra(where=[f"({table}.category_mask & %s) != 0"], params=[mask])  # noqa: S610  # nosec B610 # a bitwise test has no ORM lookup; the mask goes in params
    if query.sdg is not None:
        qs = qs.extra(where=[f"({table}.sdg_mask & %s) != 0"], params=[1 << query.sdg])  # noqa: S610  # nosec B610 # a bitwise test has no ORM lookup; the mask goes in params
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


class InnovationPageList:
    """The ordered search result as a sequence of ids that fetches only the rows a page shows.

    Works with Django's Paginator and DRF's page-number pagination (len() and slicing).
    """

    def __init__(self, ids):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, key):
        if isinstance(key, slice):
            wanted = [int(i) for i in self.ids[key]]
            rows = Innovation.objects.filter(pk__in=wanted).select_related("agency", "region", "province", "unit")
            by_id = {row.pk: row for row in rows}
            return [by_id[i] for i in wanted if i in by_id]
        return self[key : key + 1][0]

    def __iter__(self):
        for start in range(0, len(self.ids), 500):
            yield from self[start : start + 500]


@functools.lru_cache(maxsize=64)
def _cached_matches(fingerprint: tuple, text: str, ranked: bool, cap: int) -> Matches | None:
    # Paging through a result repeats its search: remember the last few, per state of the table.
    matches = search_matches(text, ranked=ranked)
    if matches is not None:
        matches.ids.setflags(write=False)  # shared between requests
    return matches


def _positions(index, query: CatalogueQuery):
    """Positions in the facet index of the published innovations matching `query`, in its sort order.

    Returns (positions, mask of the matching rows, capped). A capped search (a very common word)
    combined with filters that leave at most the cap's number of published innovations is exact:
    the words are matched among those innovations only (`search_matches(within=...)`, a bounded
    number of rows tested). With broader filters the filters apply to the capped matches.
    """
    mask = np.ones(len(index.ids), dtype=bool)
    codes = index.codes
    filtered = False

    def restrict(condition):
        nonlocal mask, filtered
        mask &= condition
        filtered = True

    if query.province:
        pk = Region.objects.filter(code=query.province).values_list("pk", flat=True).first()
        restrict(codes["province_id"] == index.code_of("province_id", pk if pk is not None else -2))
    if query.regency:
        pk = Region.objects.filter(code=query.regency).values_list("pk", flat=True).first()
        restrict(codes["region_id"] == index.code_of("region_id", pk if pk is not None else -2))
    if query.agency:
        pk = Agency.objects.filter(slug=query.agency).values_list("pk", flat=True).first()
        restrict(index.arrays["agency_id"] == (pk if pk is not None else -2))
    for name, column in (("agency_type", "agency_type"), ("phase", "phase"), ("stage", "stage"),
                         ("continuity", "continuity")):  # fmt: skip
        if getattr(query, name):
            restrict(codes[column] == index.code_of(column, getattr(query, name)))
    if query.phase_min:
        wanted = [index.code_of("phase", p) for p in phases_at_least(query.phase_min)]
        restrict(np.isin(codes["phase"], wanted))
    if query.award == "any":
        restrict(codes["award_tier"] != index.code_of("award_tier", ""))
    elif query.award:
        restrict(codes["award_tier"] == index.code_of("award_tier", query.award))
    if query.year is not None:
        restrict(codes["year_started"] == index.code_of("year_started", query.year))
    if query.award_year is not None or query.award_tier:
        restrict(_award_hits(index, query))
    if query.digital is not None:
        restrict(index.arrays["is_digital"] == query.digital)
    if query.legal_basis is not None:
        restrict(index.arrays["has_legal_basis"] == query.legal_basis)
    if query.replicated is not None:
        restrict((index.arrays["replication_count"] > 0) == query.replicated)
    if query.category:
        bit = Category.objects.filter(code=query.category).values_list("bit", flat=True).first()
        restrict((index.arrays["category_mask"] & (1 << bit if bit is not None else 0)) != 0)
    if query.sdg is not None:
        restrict((index.arrays["sdg_mask"] & (1 << query.sdg)) != 0)
    if query.q.strip():
        relevance = query.sort == "relevance"
        matches = _cached_matches(index.fingerprint, query.q, relevance, match_cap())
        if matches is None:
            return None, mask, False
        if matches.capped and filtered and np.count_nonzero(mask) <= match_cap():
            matches = search_matches(query.q, ranked=relevance, within=index.ids[mask])
        ranked = index.positions_of(matches.ids)
        in_search = np.zeros(len(index.ids), dtype=bool)
        in_search[ranked] = True
        mask &= in_search
        if relevance:
            return ranked[mask[ranked]], mask, matches.capped
        capped = matches.capped
    else:
        capped = False
    order = index.most_replicated if query.sort == "replicated" else index.newest
    return order[mask[order]], mask, capped


def _award_rows(index, query: CatalogueQuery, *, skip: str = "") -> np.ndarray:
    """Which award rows of the index match the query's award filters (ignoring the filter named `skip`)."""
    awards = index.awards
    rows = np.ones(len(awards["pos"]), dtype=bool)
    if query.award_year is not None and skip != "award_year":
        rows &= awards["year"] == query.award_year
    if query.award_tier and skip != "award_tier":
        rows &= awards["tier"] == index.award_tier_code(query.award_tier)
    return rows


def _award_hits(index, query: CatalogueQuery) -> np.ndarray:
    """Innovations with one award matching both the award year and the award tier asked for."""
    hits = np.zeros(len(index.ids), dtype=bool)
    hits[index.awards["pos"][_award_rows(index, query)]] = True
    return hits


def _award_facet(index, mask: np.ndarray, query: CatalogueQuery, column: str, labels: dict | None) -> list[FacetValue]:
    """Distinct innovations (in `mask`) per award year or tier, among awards matching the other award filter.

    `labels` None: the tiers' names, read only when some award is counted.
    """
    awards = index.awards
    rows = _award_rows(index, query) & mask[awards["pos"]]
    if not rows.any():
        return []
    if labels is None:
        labels = _tier_labels()
    pairs = np.unique(np.stack([awards["pos"][rows], awards[column][rows]]), axis=1)
    values, counts = np.unique(pairs[1], return_counts=True)
    out = []
    for value, n in zip(values.tolist(), counts.tolist(), strict=True):
        key = index.awards["tiers"][value] if column == "tier" else value
        out.append(FacetValue(str(key), str(labels.get(str(key), key)), int(n)))
    return out


def search_catalogue(query: CatalogueQuery, *, with_facets: bool = True) -> CatalogueResult:
    """The catalogue's answer to `query`: the ordered result (paginate `queryset`), its total and facets.

    Same matches and order as `catalogue_queryset` (unless `capped`: then only the newest matches of a
    very common word), computed on the in-memory facet index.
    """
    index = current_index()
    positions, mask, capped = _positions(index, query)
    if positions is None:
        return CatalogueResult(queryset=InnovationPageList(np.zeros(0, dtype=np.int64)), searchable=False)
    result = CatalogueResult(queryset=InnovationPageList(index.ids[positions]), total=len(positions), capped=capped)
    if with_facets:
        result.facets = count_facets(index, mask, query)
    return result


def _tier_labels() -> dict[str, str]:
    """Tier code -> its name (the latest year's, in the active language)."""
    labels: dict[str, str] = {}
    for tier in AwardTier.objects.order_by("-year"):
        labels.setdefault(tier.code, tier.name)
    return labels


def _labels(choices) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


def _bit_counts(index, column: str, mask: np.ndarray, bits: range) -> dict[int, int]:
    """Rows in `mask` per bit of `column`: count the rows per distinct mask, then those masks' bits."""
    distinct, codes = index.mask_codes[column]
    per_mask = np.bincount(codes[mask], minlength=len(distinct))
    present = per_mask > 0
    distinct, per_mask = distinct[present], per_mask[present]
    return {b: int(per_mask[(distinct & (1 << b)) != 0].sum()) for b in bits}


def _phase_min_facet(phase_counts, index) -> list[FacetValue]:
    """ "At least development" and "at least institutionalisation" (creation would be everything)."""
    labels = _labels(Innovation.Phase.choices)
    by_phase = {index.values["phase"][code].item(): int(n) for code, n in enumerate(phase_counts)}
    out = []
    for phase in Innovation.Phase.values[1:]:
        n = sum(by_phase.get(p, 0) for p in phases_at_least(phase))
        if n:
            out.append(FacetValue(phase, labels[phase], n))
    return out


def count_facets(index, mask: np.ndarray, query: CatalogueQuery) -> dict[str, list[FacetValue]]:
    """Every facet's value counts among the rows in `mask`. Each count equals that filter's result count."""
    rows = np.flatnonzero(mask)  # gathering by position is cheaper than by a boolean mask, column after column
    counts = {name: np.bincount(index.codes[name][rows], minlength=len(index.values[name])) for name in CODED}

    def coded(name, labels=None, *, skip=("", -1)):
        out = []
        for code, n in enumerate(counts[name]):
            value = index.values[name][code].item()
            if n and value not in skip:
                out.append(FacetValue(str(value), (labels or {}).get(str(value), str(value)), int(n)))
        return sorted(out, key=lambda v: (-v.count, v.label))

    regions = index.regions  # id -> (code, name), read with the index

    def region_facet(name):
        out = [
            FacetValue(regions[int(v)][0], regions[int(v)][1], int(n))
            for v, n in zip(index.values[name], counts[name], strict=True)
            if n and int(v) in regions
        ]
        return sorted(out, key=lambda v: (-v.count, v.label))

    def yes_no(flags: np.ndarray):
        yes = int(np.count_nonzero(flags))
        return [FacetValue(k, "", n) for k, n in (("yes", yes), ("no", len(flags) - yes)) if n]

    award_tiers = _award_facet(index, mask, query, "tier", None)
    facets = {
        "province": region_facet("province_id"),
        "agency_type": coded("agency_type", _labels(Agency.Type.choices)),
        "category": [],
        "sdg": [],
        "phase": coded("phase", _labels(Innovation.Phase.choices)),
        "phase_min": _phase_min_facet(counts["phase"], index),
        "stage": coded("stage", _labels(Innovation.Stage.choices)),
        "digital": yes_no(index.arrays["is_digital"][rows]),
        "continuity": coded("continuity", _labels(Innovation.Continuity.choices)),
        "award": coded("award_tier", _labels(Innovation.AwardTier.choices)),
        "award_year": sorted(_award_facet(index, mask, query, "year", {}), key=lambda v: v.value, reverse=True),
        "award_tier": sorted(award_tiers, key=lambda v: (-v.count, v.label)),
        "year": sorted(coded("year_started"), key=lambda v: v.value, reverse=True),
        "replicated": yes_no(index.arrays["replication_count"][rows] > 0),
        "legal_basis": yes_no(index.arrays["has_legal_basis"][rows]),
    }
    if query.province:
        facets["regency"] = region_facet("region_id")
    category_counts = _bit_counts(index, "category_mask", mask, range(63))
    if any(category_counts.values()):
        facets["category"] = sorted(
            (
                FacetValue(c.code, c.name, category_counts[c.bit])
                for c in index.categories
                if category_counts.get(c.bit)
            ),
            key=lambda v: (-v.count, v.label),
        )
    sdg_counts = _bit_counts(index, "sdg_mask", mask, range(1, 18))
    if any(sdg_counts.values()):
        facets["sdg"] = [
            FacetValue(str(s.number), str(s), sdg_counts[s.number]) for s in index.sdgs if sdg_counts.get(s.number)
        ]
    return facets


def similar_innovations(innovation: Innovation, *, limit: int = 5) -> list[Innovation]:
    """The precomputed similar innovations that are published, in similarity order."""
    ids = list(innovation.similar_ids or [])[: limit * 2]
    if not ids:
        return []
    found = Innovation.objects.filter(pk__in=ids, status=Innovation.Status.PUBLISHED).select_related("agency")
    by_id = {i.pk: i for i in found}
    return [by_id[i] for i in ids if i in by_id][:limit]


@dataclass
class AwardGroup:
    """The awards of one tier of one year (for the agency's history and the past editions' pages)."""

    year: int
    tier: str
    name: str
    rank: int
    awards: list = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return any(a.is_imported for a in self.awards)

    @property
    def sources(self) -> list[str]:
        return sorted({a.source_url for a in self.awards if a.source_url})


def award_history(*, agency: Agency | None = None, year: int | None = None) -> list[tuple[int, list[AwardGroup]]]:
    """Awards of published innovations by year (newest first), then by tier rank: [(year, [AwardGroup])]."""
    awards = Award.objects.filter(innovation__status=Innovation.Status.PUBLISHED).select_related("innovation__agency")
    if agency is not None:
        awards = awards.filter(innovation__agency=agency)
    if year is not None:
        awards = awards.filter(year=year)
    configured = AwardTier.objects.filter(year=year) if year is not None else AwardTier.objects.all()
    tiers = {(t.competition, t.year, t.code): t for t in configured}
    groups: dict[tuple[int, str], AwardGroup] = {}
    for award in awards.order_by("-year", "innovation__title"):
        tier = tiers.get((award.competition, award.year, award.tier))
        key = (award.year, award.tier)
        if key not in groups:
            groups[key] = AwardGroup(
                award.year, award.tier, tier.name if tier else award.tier, tier.rank if tier else 99
            )
        groups[key].awards.append(award)
    by_year: dict[int, list[AwardGroup]] = {}
    for group in sorted(groups.values(), key=lambda g: (-g.year, g.rank, g.name)):
        by_year.setdefault(group.year, []).append(group)
    return list(by_year.items())


def has_awards(*, year: int) -> bool:
    """Whether the registry's history page of `year` (/awards/<year>/) has anything to show."""
    return Award.objects.filter(year=year, innovation__status=Innovation.Status.PUBLISHED).exists()


def edition_results_pages(years) -> dict[int, str]:
    """{year: URL of that edition's results page} for the editions that ran on this platform.

    The competition (an app above) answers through the AppConfig hook `edition_results_urls(years)`;
    the registry never imports it. Years it does not know (imported award lists only) are absent.
    """
    from django.apps import apps

    years = sorted(set(years))
    pages: dict[int, str] = {}
    if not years:
        return pages
    for config in apps.get_app_configs():
        provider = getattr(config, "edition_results_urls", None)
        if provider:
            pages.update(provider(years))
    return pages


def award_years() -> list[tuple[int, int, bool]]:
    """(year, number of awards, any imported) for every year with awards of published innovations."""
    rows = (
        Award.objects.filter(innovation__status=Innovation.Status.PUBLISHED)
        .values("year")
        .annotate(n=Count("pk"), imported=Count("pk", filter=Q(is_imported=True)))
        .order_by("-year")
    )
    return [(r["year"], r["n"], r["imported"] > 0) for r in rows]
