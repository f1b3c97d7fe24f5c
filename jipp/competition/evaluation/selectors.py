"""Reads for the evaluation: progress, the ranking with every method, explanations, blind views."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from jipp.competition.domain import normalisation, scoring
from jipp.competition.evaluation.models import Assignment, EvaluationSettings, Finalist, Member, Review, Winner
from jipp.competition.evaluation.services import rubric_of, settings_for
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


def _review_stamp(edition: Edition) -> str:
    agg = Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    rules = EvaluationSettings.objects.filter(edition=edition).values_list(
        "deciding_method", "trim_proportion", "min_reviews_for_zscore", "disagreement_threshold"
    )
    return hashlib.sha256(f"{agg['n']}:{agg['last']}:{list(rules)}".encode()).hexdigest()[:32]


def aggregation(edition: Edition) -> normalisation.Aggregation:
    """Every submitted review of the edition, aggregated with every method (domain.normalisation)."""
    rules = settings_for(edition)
    rows = Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED).values_list(
        "proposal_id", "evaluator_id", "total"
    )
    return normalisation.aggregate(
        (normalisation.Review(p, e, float(t)) for p, e, t in rows.iterator(chunk_size=5000)),
        trim_proportion=rules.trim_proportion,
        min_reviews=rules.min_reviews_for_zscore,
        disagreement_threshold=rules.disagreement_threshold,
    )


def _agency_kind(agency_type: str) -> str:
    if agency_type in Agency.REGIONAL_TYPES:
        return "regional"
    if agency_type in Agency.CENTRAL_TYPES:
        return "central"
    return "other"


def ranking(edition: Edition) -> list[dict]:
    """One row per reviewed proposal with every method's value and rank, best first by the deciding method.

    Cached until a review is submitted or the aggregation settings change.
    """
    key = f"evaluation:ranking:{edition.pk}:{_review_stamp(edition)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    rules = settings_for(edition)
    agg = aggregation(edition)
    info, first_category = _proposal_info(edition, list(agg.proposals))
    method = normalisation.Method(rules.deciding_method)
    rows = []
    for pid in agg.rankings[method]:
        a = agg.proposals[pid]
        p = info[pid]
        rows.append(
            {
                "id": pid,
                "title": p["title"],
                "group": p["group__kind"],
                "category": first_category.get(pid, ""),
                "province": p["province__code"] or "",
                "agency_kind": _agency_kind(p["agency__type"]),
                "is_3t": bool(p["agency__region__is_3t"] or p["province__is_3t"]),
                "n": a.n_reviews,
                "scores": {m: a.value(normalisation.Method(m)) for m in METHODS},
                "ranks": {m: a.ranks[normalisation.Method(m)] for m in METHODS},
                "spread": a.spread,
                "std": a.std,
                "disagreement": a.disagreement,
                "deciding": a.value(method),
            }
        )
    cache.set(key, rows, 600)
    return rows


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
    """How one proposal's numbers were computed: each review's criteria, the aggregates, the formulae."""
    agg = aggregation(edition)
    if proposal.pk not in agg.proposals:
        return {"explanation": None, "reviews": []}
    explanation = normalisation.explain_proposal(agg, proposal.pk)
    criteria = rubric_of(proposal.group)
    reviews = {
        r.evaluator_id: r
        for r in Review.objects.filter(proposal=proposal, status=Review.Status.SUBMITTED).select_related("evaluator")
    }
    breakdowns = []
    for item in explanation.reviews:
        review = reviews[item.evaluator]
        parts = []
        for c in criteria:
            raw = review.scores.get(str(c.pk))
            if raw in (None, ""):
                continue
            score = Decimal(str(raw))
            rescaled = (score - c.scale_min) / (c.scale_max - c.scale_min) * 100
            parts.append(
                {
                    "criterion": str(c),
                    "score": score,
                    "weight": c.weight,
                    "rescaled": rescaled,
                    "comment": review.comments.get(str(c.pk), ""),
                }
            )
        weight_sum = sum((p["weight"] for p in parts), Decimal(0)) or Decimal(1)
        for p in parts:
            p["points"] = p["weight"] / weight_sum * p["rescaled"]
        breakdowns.append({"review": review, "explained": item, "parts": parts})
    return {"explanation": explanation, "reviews": breakdowns, "criteria": criteria}


def review_breakdown(review: Review) -> list[scoring.Contribution]:
    criteria = rubric_of(review.proposal.group)
    unit = {
        str(c.pk): (Decimal(str(review.scores[str(c.pk)])) - c.scale_min) / (c.scale_max - c.scale_min)
        for c in criteria
        if str(c.pk) in review.scores
    }
    return scoring.score_breakdown(unit, {str(c.pk): c.weight for c in criteria}, scoring.Scale(0, 1))


# ---------------------------------------------------------------------------------------
# Blind mode
# ---------------------------------------------------------------------------------------


REDACTED = "[…]"


def _names_to_hide(proposal: Proposal) -> list[str]:
    names = {proposal.agency.name, proposal.agency.short_name, proposal.unit.name}
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


def proposal_view(proposal: Proposal, *, blind: bool) -> dict:
    """What an evaluator reads: the submitted snapshot (or the live answers), redacted in blind mode.

    Blind mode hides the agency, the unit, the regions and people's names in the title and every
    answer, and renames the attachments after their requirement (never the original file name).
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
        attachments.append({"title": a.get("title", ""), "name": shown, "index": n - 1})
    return {
        "blind": blind,
        "title": redact(data.get("title", proposal.title), names),
        "group": proposal.group,
        "agency": None if blind else proposal.agency.name,
        "unit": None if blind else proposal.unit.name,
        "region": None if blind else (proposal.province.name if proposal.province_id else ""),
        "sections": [
            {"title": s.get("title", ""), "title_en": s.get("title_en", ""), "text": redact(s.get("text", ""), names)}
            for s in data.get("sections", [])
        ],
        "attachments": attachments,
        "video_url": data.get("video_url", ""),
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
    return Winner.objects.filter(edition=edition).select_related(
        "edition", "finalist__proposal__agency", "finalist__proposal__group", "finalist__proposal__province"
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
        (_("Finalists"), finalists.count()),
        (_("Objections filed"), objections.count()),
        (_("Objections upheld"), objections.filter(status="upheld").count()),
        (_("Finalists disqualified"), finalists.filter(status=Finalist.Status.DISQUALIFIED).count()),
        (_("Passed the field verification"), finalists.filter(verification_passed=True).count()),
        (_("Winners"), Winner.objects.filter(edition=edition).count()),
    ]  # fmt: skip


def is_3t(region: Region | None) -> bool:
    return bool(region and region.is_3t)


def per_group_counts(edition: Edition) -> dict:
    counts = defaultdict(int)
    for kind in Finalist.objects.filter(edition=edition).values_list("proposal__group__kind", flat=True):
        counts[kind] += 1
    return dict(counts)
