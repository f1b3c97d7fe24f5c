"""Reads for the evaluation: progress, the ranking with every method, explanations, blind views."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from jipp.competition.domain import normalisation, scoring
from jipp.competition.evaluation.common import (
    edition_conflicts,
    inputs_version,
    ranking_versions,
    rubric_of,
    rubric_weights_and_scales,
    settings_for,
)
from jipp.competition.evaluation.models import (
    Assignment,
    DeskScore,
    EvaluationSettings,
    Finalist,
    Member,
    ResultsRevision,
    Review,
    Winner,
)
from jipp.competition.models import Edition, Proposal
from jipp.regions.models import Agency, Region

METHODS = [m.value for m in normalisation.Method]


def progress_by_evaluator(edition: Edition) -> list[dict]:
    rows = (
        Assignment.objects.filter(edition=edition)
        .values("evaluator_id", "evaluator__username", "evaluator__first_name", "evaluator__last_name",
                "evaluator__email")
        .annotate(
            assigned=Count("pk"),
            submitted=Count("pk", filter=Q(review__status=Review.Status.SUBMITTED)),
            drafts=Count("pk", filter=Q(review__status__in=[Review.Status.DRAFT, Review.Status.REOPENED])),
        )
        .order_by("evaluator__username")
    )  # fmt: skip
    return [
        {
            "id": r["evaluator_id"],
            "username": r["evaluator__username"],
            "name": f"{r['evaluator__first_name']} {r['evaluator__last_name']}".strip(),
            "email": r["evaluator__email"],
            "assigned": r["assigned"],
            "submitted": r["submitted"],
            "drafts": r["drafts"],
            "open": r["assigned"] - r["submitted"],
            "percent": round(100 * r["submitted"] / r["assigned"]) if r["assigned"] else 0,
        }
        for r in rows
    ]


def overall_progress(edition: Edition) -> dict:
    assigned = Assignment.objects.filter(edition=edition).count()
    submitted = Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED).count()
    return {
        "assigned": assigned,
        "submitted": submitted,
        "percent": round(100 * submitted / assigned) if assigned else 0,
        "proposals": Assignment.objects.filter(edition=edition).values("proposal_id").distinct().count(),
    }


def valid_reviews(edition: Edition) -> tuple[list[tuple[int, int, object]], dict[int, int]]:
    """The reviews that count: submitted, not voided, by an evaluator without a conflict (from any source,
    checked now) with the proposal. Returns ((proposal, evaluator, total) rows, voided count per proposal)."""
    conflicts = edition_conflicts(edition).pairs
    rows, voided = [], defaultdict(int)
    for pid, uid, total, voided_at in (
        Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED)
        .values_list("proposal_id", "evaluator_id", "total", "voided_at")
        .iterator(chunk_size=5000)
    ):
        if voided_at is not None or (pid, uid) in conflicts:
            voided[pid] += 1
        else:
            rows.append((pid, uid, total))
    return rows, voided


def aggregation(edition: Edition) -> normalisation.Aggregation:
    """Every valid review of the edition, aggregated with every method (domain.normalisation)."""
    rules = settings_for(edition)
    rows, _voided = valid_reviews(edition)
    return _aggregate(rules, rows)


def _aggregate(rules: EvaluationSettings, rows) -> normalisation.Aggregation:
    return normalisation.aggregate(
        (normalisation.Review(p, e, t) for p, e, t in rows),
        trim_proportion=rules.trim_proportion,
        min_reviews=rules.min_reviews_for_zscore,
        min_spread=rules.min_spread_for_zscore,
        disagreement_threshold=rules.disagreement_threshold,
    )


def _agency_kind(agency_type: str) -> str:
    if agency_type in Agency.REGIONAL_TYPES:
        return "regional"
    if agency_type in Agency.CENTRAL_TYPES:
        return "central"
    return "other"


def compute_ranking(edition: Edition) -> tuple[str, list[dict]]:
    """(inputs version, rows): the desk ranking computed now from the valid reviews (domain.normalisation).

    One row per proposal with an assignment or a review: rankable rows first, best first by the deciding
    method, with `position` 1..R; then the incomplete rows (`rankable` False, `missing_reviews` > 0)."""
    version, rows, _exact = compute_ranking_with_standardisation(edition)
    return version, rows


def compute_ranking_with_standardisation(edition: Edition) -> tuple[str, list[dict], dict]:
    """`compute_ranking`, and each evaluator's (reviews, exact centre, exact scale) that the stored
    ranking keeps for its incremental update."""
    rules = settings_for(edition)
    version = inputs_version(edition)
    rows_in, voided = valid_reviews(edition)
    agg = _aggregate(rules, rows_in)
    required = rules.reviews_per_proposal
    ids = (
        set(agg.proposals)
        | set(voided)
        | set(Assignment.objects.filter(edition=edition).values_list("proposal_id", flat=True))
    )
    method = normalisation.Method(rules.deciding_method)
    order = list(agg.rankings[method]) + sorted(ids - set(agg.proposals))
    rows = []
    position = 0
    for pid in order:
        a = agg.proposals.get(pid)
        n = a.n_reviews if a else 0
        status = normalisation.rankability(n, required)
        if status.rankable:
            position += 1
        rows.append(
            {
                "id": pid,
                "n": n,
                "voided": voided.get(pid, 0),
                "rankable": status.rankable,
                "missing_reviews": status.missing,
                "scores": {m: a.value(m) for m in METHODS} if a else {},
                "ranks": {m: a.ranks[normalisation.Method(m)] for m in METHODS} if a else {},
                "mean_z": a.mean_z if a else None,
                "points": a.mean if a else None,
                "spread": a.spread if a else None,
                "std": a.std if a else None,
                "disagreement": a.disagreement if a else False,
                "deciding": a.value(method) if a else None,
                "position": position if status.rankable else None,
            }
        )
    rows.sort(key=lambda r: (not r["rankable"], r["position"] or 0))
    exact = {e: (agg.evaluators[e].n_reviews, *ms) for e, ms in agg.standardisation.items()}
    return version, rows, exact


def _desk_row(d: DeskScore) -> dict:
    """A stored DeskScore as the row the pages read (the same keys as `compute_ranking`'s rows)."""
    return {
        "id": d.proposal_id,
        "n": d.valid_reviews,
        "voided": d.voided_reviews,
        "rankable": d.rankable,
        "missing_reviews": d.missing_reviews,
        "scores": {m: Decimal(v) for m, v in d.values.get("methods", {}).items()},
        "ranks": d.ranks,
        "mean_z": _dec(d.values.get("mean_z")),
        "points": d.points,
        "spread": _dec(d.values.get("spread")),
        "std": _dec(d.values.get("std")),
        "disagreement": d.disagreement,
        "deciding": d.deciding,
        "position": d.position,
    }


def _dec(value):
    return None if value in (None, "") else Decimal(value)


def stored_ranking_is_current(edition: Edition, rules: EvaluationSettings | None = None) -> bool:
    """Whether the stored ranking is the one to read: computed for the current version of its inputs
    (two numbers on one row, `common.ranking_versions`), or frozen with the published results."""
    version, ranked = ranking_versions(edition)
    rules = rules or settings_for(edition)
    if rules.results_published_at is not None:
        return ranked is not None or DeskScore.objects.filter(edition=edition).exists()
    return ranked == version


def ranking(edition: Edition) -> list[dict]:
    """The desk ranking every page, export and API reads (see `compute_ranking` for the rows).

    Once the results are published it is the stored ranking (`DeskScore`, frozen with the results); before,
    the stored ranking when it is current (`stored_ranking_is_current`), else the same computation done
    now (cached by the inputs' version) while the stored one is brought up to date in the background. Each
    row also carries what the ranking shows and the nomination's mix needs.
    """
    if stored_ranking_is_current(edition):
        rows = [_desk_row(d) for d in DeskScore.objects.filter(edition=edition).order_by("order", "proposal_id")]
    else:
        rows = _computed_rows(edition)
    return _with_info(edition, rows)


def _computed_rows(edition: Edition) -> list[dict]:
    key = f"evaluation:ranking:{edition.pk}:{inputs_version(edition)}"
    rows = cache.get(key)
    if rows is None:
        _v, rows = compute_ranking(edition)
        cache.set(key, rows, 600)
    return rows


def _with_info(edition: Edition, rows: list[dict]) -> list[dict]:
    info, first_category = _proposal_info(edition, [r["id"] for r in rows])
    result = []
    for r in rows:
        p = info[r["id"]]
        result.append(
            r
            | {
                "title": p["title"],
                "group": p["group__kind"],
                "category": first_category.get(r["id"], ""),
                "province": p["province__code"] or "",
                "agency_kind": _agency_kind(p["agency__type"]),
                "is_3t": bool(p["agency__region__is_3t"] or p["province__is_3t"]),
            }
        )
    return result


def ranking_page(edition: Edition, *, page, per_page: int = 50, group: str = "", disagreement: bool = False) -> dict:
    """One page of the desk ranking and the counts the page shows (proposals, flagged, incomplete), for
    the filters given. With the stored ranking current, it reads the page's rows only (by the index on
    (edition, order)) and counts with one aggregate, whatever the size of the edition; else it pages the
    computed ranking (`ranking`). Returns {"page", "total", "flagged", "incomplete"}."""
    if not stored_ranking_is_current(edition):
        rows = ranking(edition)
        if disagreement:
            rows = [r for r in rows if r["disagreement"]]
        if group:
            rows = [r for r in rows if r["group"] == group]
        return {
            "page": Paginator(rows, per_page).get_page(page),
            "total": len(rows),
            "flagged": sum(1 for r in rows if r["disagreement"]),
            "incomplete": sum(1 for r in rows if not r["rankable"]),
        }
    desk = DeskScore.objects.filter(edition=edition)
    if disagreement:
        desk = desk.filter(disagreement=True)
    if group:
        desk = desk.filter(proposal__group__kind=group)
    counts = desk.aggregate(
        total=Count("pk"),
        flagged=Count("pk", filter=Q(disagreement=True)),
        incomplete=Count("pk", filter=Q(rankable=False)),
    )
    paginator = _CountedPaginator(desk.order_by("order"), per_page, count=counts["total"])
    shown = paginator.get_page(page)
    stored_rows = list(
        shown.object_list.select_related("proposal__group", "proposal__province", "proposal__agency__region").only(
            *DESK_ROW_FIELDS
        )
    )
    ids = [d.proposal_id for d in stored_rows]
    first_category: dict[int, str] = {}
    for pid, code in (
        Proposal.categories.through.objects.filter(proposal_id__in=ids)
        .order_by("proposal_id", "category__bit")
        .values_list("proposal_id", "category__code")
    ):
        first_category.setdefault(pid, code)
    rows = []
    for d in stored_rows:
        p = d.proposal
        region = p.agency.region
        rows.append(
            _desk_row(d)
            | {
                "title": p.title,
                "group": p.group.kind,
                "category": first_category.get(p.pk, ""),
                "province": p.province.code if p.province_id else "",
                "agency_kind": _agency_kind(p.agency.type),
                "is_3t": bool((region is not None and region.is_3t) or (p.province_id and p.province.is_3t)),
            }
        )
    shown.object_list = rows
    return {"page": shown, **counts}


DESK_ROW_FIELDS = (
    "proposal_id", "valid_reviews", "voided_reviews", "rankable", "missing_reviews", "values", "ranks", "deciding",
    "points", "disagreement", "position", "order",
    "proposal__id", "proposal__title", "proposal__group_id", "proposal__group__kind", "proposal__province_id",
    "proposal__province__code", "proposal__province__is_3t", "proposal__agency_id", "proposal__agency__type",
    "proposal__agency__region_id", "proposal__agency__region__is_3t",
)  # fmt: skip


class _CountedPaginator(Paginator):
    """A paginator told its count (already counted with the page's other figures): no second COUNT."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _proposal_info(edition: Edition, ids: list) -> tuple[dict, dict]:
    """What the ranking shows and the nomination's mix needs of each proposal (cached: it does not change
    when reviews come in, so a new review only costs the aggregation)."""
    key = f"evaluation:info:{edition.pk}:{hashlib.sha256(repr(sorted(ids)).encode()).hexdigest()[:32]}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    info = {
        p["id"]: p
        for p in Proposal.objects.filter(pk__in=ids).values(
            "id", "title", "group__kind", "province__code", "agency__type", "agency__region__is_3t", "province__is_3t"
        )
    }
    first_category: dict[int, str] = {}
    for pid, code in (
        Proposal.categories.through.objects.filter(proposal_id__in=ids)
        .order_by("proposal_id", "category__bit")
        .values_list("proposal_id", "category__code")
    ):
        first_category.setdefault(pid, code)
    cache.set(key, (info, first_category), 600)
    return info, first_category


def explain(edition: Edition, proposal: Proposal) -> dict:
    """How one proposal's numbers were computed: each review's criteria (parts that add up to the stored
    total), the evaluators' standardisation, the aggregates and the formulae; the ranking row it explains.
    Voided reviews are listed apart with the reason, for the audit."""
    agg = aggregation(edition)
    row = next((r for r in ranking(edition) if r["id"] == proposal.pk), None)
    criteria = rubric_of(proposal.group)
    all_reviews = list(
        Review.objects.filter(proposal=proposal, status=Review.Status.SUBMITTED).select_related("evaluator")
    )
    if proposal.pk not in agg.proposals:
        return {"explanation": None, "reviews": [], "row": row, "voided": all_reviews, "criteria": criteria}
    explanation = normalisation.explain_proposal(agg, proposal.pk)
    reviews = {r.evaluator_id: r for r in all_reviews}
    counted = {item.evaluator for item in explanation.reviews}
    breakdowns = []
    for item in explanation.reviews:
        review = reviews[item.evaluator]
        breakdowns.append({"review": review, "explained": item, "parts": review_breakdown(review, criteria)})
    return {
        "explanation": explanation,
        "reviews": breakdowns,
        "criteria": criteria,
        "row": row,
        "voided": [r for r in all_reviews if r.evaluator_id not in counted],
    }


def review_breakdown(review: Review, criteria=None) -> list[dict]:
    """The criterion rows of a submitted review as shown: their points add up exactly to the shown total."""
    criteria = criteria if criteria is not None else rubric_of(review.proposal.group)
    weights, scales = rubric_weights_and_scales(criteria)
    scores = {k: Decimal(str(v)) for k, v in review.scores.items() if k in weights}
    try:
        score = scoring.review_score(scores, weights, scales)
    except scoring.ScoringError:
        return []
    names = {str(c.pk): c for c in criteria}
    return [
        {
            "criterion": str(names[part.criterion]),
            "score": part.score,
            "weight": part.weight,
            "rescaled": part.rescaled,
            "points": shown,
            "comment": review.comments.get(part.criterion, ""),
        }
        for part, shown in zip(score.parts, score.shown_points, strict=True)
    ]


def method_summary(edition: Edition) -> dict:
    """What the public method page documents for an edition: the settings, every evaluator's mean and
    spread (anonymised), how many were standardised with the pool, and the publication policy."""
    rules = settings_for(edition)
    agg = aggregation(edition)
    evaluators = sorted(agg.evaluators.values(), key=lambda e: (-e.n_reviews, e.mean))
    return {
        "rules": rules,
        "evaluators": [
            {
                "label": f"E{n:02d}",
                "n": e.n_reviews,
                "mean": e.mean,
                "std": e.std,
                "rule": e.rule,
                "centre": e.centre,
                "scale": e.scale,
                "floored": e.floored,
            }
            for n, e in enumerate(evaluators, start=1)
        ],  # fmt: skip
        "pooled": agg.not_standardised_alone,
        "pooled_mean": agg.pooled_mean,
        "pooled_std": agg.pooled_std,
        "revisions": list(ResultsRevision.objects.filter(edition=edition).order_by("number")),
    }


# ---------------------------------------------------------------------------------------
# Blind mode
# ---------------------------------------------------------------------------------------


REDACTED = "[…]"


def _names_to_hide(proposal: Proposal) -> list[str]:
    # The title too: one catalogue search for it finds the public innovation, its agency and region.
    names = {proposal.agency.name, proposal.agency.short_name, proposal.unit.name, proposal.title}
    if proposal.innovation_id:
        names.add(proposal.innovation.title)
    regions = []
    if proposal.agency.region_id:
        regions.append(proposal.agency.region)
    if proposal.province_id:
        regions.append(proposal.province)
    for region in regions:
        names.add(region.name)
        # "Kabupaten Sidoarjo" is often written "Sidoarjo", "Provinsi Jawa Timur" as "Jawa Timur".
        bare = re.sub(r"^(Kabupaten|Kota|Provinsi|Kab\.|Daerah Istimewa|Daerah Khusus Ibukota)\s+", "", region.name)
        names.add(bare)
    innovation = proposal.innovation
    for line in (innovation.innovators or "").splitlines() + [innovation.contact_name or ""]:
        name = line.strip().strip(",;")
        if name:
            names.add(name)
            # "Dr. Bambang Wijaya, M.Si." is also written without titles.
            bare = re.sub(r"^((dr|drs|ir|prof|hj?|h)\.\s*)+", "", name.split(",")[0], flags=re.IGNORECASE).strip()
            names.add(bare)
    for user in (proposal.created_by, proposal.last_saved_by, proposal.forwarded_by):
        if user is not None:
            names.add(user.get_full_name())
            names.update(n for n in (user.first_name, user.last_name) if len(n) > 2)
    return sorted((n for n in names if n and len(n) > 2), key=len, reverse=True)


def redact(text: str, names: list[str]) -> str:
    if not text or not names:
        return text
    pattern = re.compile("|".join(r"\b" + re.escape(n) + r"\b" for n in names), re.IGNORECASE)
    return pattern.sub(REDACTED, text)


def neutral_code(proposal: Proposal) -> str:
    """The proposal's name in blind mode: the edition's year and a code that no catalogue search finds."""
    digest = hashlib.sha256(f"kipp:{proposal.edition_id}:{proposal.pk}".encode()).hexdigest()[:6].upper()
    return f"KIPP-{proposal.edition.year}-{digest}"


def proposal_view(proposal: Proposal, *, blind: bool, show_innovation_link: bool = False) -> dict:
    """What an evaluator reads: the submitted snapshot (or the live answers), redacted in blind mode.

    Blind mode promises what it can while the registry is public: the proposal is named by a neutral
    code (its title would find the public innovation in one catalogue search), the agency, unit,
    regions and people's names are redacted from every answer, the attachments are renamed after their
    requirement (no original file name), the video link is withheld (a video shows the agency), and the
    link to the public innovation is hidden when the edition says so. The evaluator declares, per
    review, not to have looked for the proposer.
    """
    snapshot = getattr(proposal, "snapshot", None)
    data = snapshot.data if snapshot is not None else None
    if data is None:
        answers = {a.section_id: a.text for a in proposal.answers.all()}
        data = {
            "title": proposal.title,
            "sections": [
                {"key": s.key, "title": s.title, "title_en": s.title_en, "text": answers.get(s.pk, "")}
                for s in proposal.group.sections.all()
            ],
            "attachments": [
                {"key": a.requirement.key, "title": a.requirement.title, "original_name": a.original_name}
                for a in proposal.attachments.select_related("requirement")
            ],
            "video_url": proposal.video_url,
            "categories": [
                {"code": c.code, "name_id": c.name_id, "name_en": c.name_en} for c in proposal.categories.all()
            ],
            "sdgs": [{"number": s.number, "name_id": s.name_id} for s in proposal.sdgs.all()],
        }  # fmt: skip
    names = _names_to_hide(proposal) if blind else []
    attachments = []
    for n, a in enumerate(data.get("attachments", []), start=1):
        ext = a.get("original_name", "").rsplit(".", 1)[-1].lower() if "." in a.get("original_name", "") else ""
        shown = f"{a['key']}-{n}.{ext}" if blind else a.get("original_name", "")
        attachments.append({"title": redact(a.get("title", ""), names), "name": shown, "index": n - 1})
    return {
        "blind": blind,
        "code": neutral_code(proposal),
        "title": neutral_code(proposal) if blind else data.get("title", proposal.title),
        "group": proposal.group,
        "agency": None if blind else proposal.agency.name,
        "unit": None if blind else proposal.unit.name,
        "region": None if blind else (proposal.province.name if proposal.province_id else ""),
        "sections": [
            {"title": s.get("title", ""), "title_en": s.get("title_en", ""), "text": redact(s.get("text", ""), names)}
            for s in data.get("sections", [])
        ],
        "attachments": attachments,
        "video_url": "" if blind else data.get("video_url", ""),
        "video_withheld": bool(blind and data.get("video_url")),
        "innovation_id": proposal.innovation_id if (show_innovation_link or not blind) else None,
        "categories": data.get("categories", []),
        "sdgs": data.get("sdgs", []),
    }


# ---------------------------------------------------------------------------------------
# Other reads
# ---------------------------------------------------------------------------------------


def my_assignments(user, edition: Edition | None = None):
    qs = Assignment.objects.filter(evaluator=user).select_related("proposal__group", "edition", "review")
    if edition is not None:
        qs = qs.filter(edition=edition)
    return qs.order_by("edition__year", "proposal_id")


def evaluators(edition: Edition):
    return Member.objects.filter(edition=edition, kind=Member.Kind.EVALUATOR).select_related("user")


def public_finalists(edition: Edition):
    return (
        Finalist.objects.filter(edition=edition)
        .select_related("proposal__agency", "proposal__group", "proposal__province", "proposal__innovation")
        .order_by("proposal__group__order", "proposal__agency__name", "pk")
    )


def public_winners(edition: Edition):
    return (
        Winner.objects.current()
        .filter(edition=edition)
        .select_related(
            "edition", "finalist__proposal__agency", "finalist__proposal__group", "finalist__proposal__province"
        )
    )


def stage_statistics(edition: Edition) -> list[tuple[str, object]]:
    """The numbers of every stage, for the results report."""
    proposals = Proposal.objects.filter(edition=edition)
    submitted = proposals.filter(status__in=Proposal.SUBMITTED).count()
    failed = proposals.filter(status=Proposal.Status.FAILED_ADMINISTRATION).count()
    reviews = Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED)
    rows = ranking(edition)
    finalists = Finalist.objects.filter(edition=edition)
    from jipp.competition.evaluation.models import Objection

    objections = Objection.objects.filter(edition=edition)
    return [
        (_("Proposals registered"), proposals.count()),
        (_("Proposals forwarded"), submitted),
        (_("Failed the administrative selection"), failed),
        (_("Proposals in the desk evaluation"), overall_progress(edition)["proposals"]),
        (_("Evaluators"), Member.objects.filter(edition=edition, kind=Member.Kind.EVALUATOR).count()),
        (_("Reviews submitted"), reviews.count()),
        (_("Proposals flagged for disagreement"), sum(1 for r in rows if r["disagreement"])),
        (_("Proposals ranked (complete reviews)"), sum(1 for r in rows if r["rankable"])),
        (_("Proposals with missing reviews"), sum(1 for r in rows if not r["rankable"])),
        (_("Finalists"), finalists.count()),
        (_("Objections filed"), objections.count()),
        (_("Objections upheld"), objections.filter(status="upheld").count()),
        (_("Finalists disqualified"), finalists.filter(status=Finalist.Status.DISQUALIFIED).count()),
        (_("Passed the field verification"), finalists.filter(verification_passed=True).count()),
        (_("Winners"), Winner.objects.current().filter(edition=edition).count()),
    ]  # fmt: skip


def is_3t(region: Region | None) -> bool:
    return bool(region and region.is_3t)


def per_group_counts(edition: Edition) -> dict:
    counts = defaultdict(int)
    for kind in Finalist.objects.filter(edition=edition).values_list("proposal__group__kind", flat=True):
        counts[kind] += 1
    return dict(counts)
