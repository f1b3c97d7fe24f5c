"""What both the reads (selectors) and the writes (services) of the evaluation need: the edition's
settings, the rubric, the conflicts of interest, the freeze and the parsing of a typed score.

Nothing here writes except `settings_for`, which creates an edition's settings row with the defaults
on first use, and `bump_ranking_version`, which the writes call (through signals and the services) to
tell the reads that the stored ranking is behind. Selectors import this module, never the services.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jipp.competition.domain.scoring import Scale
from jipp.competition.evaluation.models import DeskRankingState, EvaluationSettings, Member
from jipp.competition.models import Edition, Group, Proposal, RubricCriterion
from jipp.regions.models import Agency

# Proposals that enter the desk evaluation.
EVALUABLE = (Proposal.Status.PASSED_ADMINISTRATION, Proposal.Status.IN_EVALUATION)
PROPOSAL_FIELDS = ("id", "agency_id", "agency__type", "province_id", "agency__region_id")


def settings_for(edition: Edition) -> EvaluationSettings:
    found, _created = EvaluationSettings.objects.get_or_create(edition=edition)
    return found


def rubric_of(group: Group) -> list[RubricCriterion]:
    return list(RubricCriterion.objects.filter(group=group).order_by("order", "pk"))


def rubric_weights_and_scales(criteria: list[RubricCriterion]) -> tuple[dict[str, Decimal], dict[str, Scale]]:
    """The rubric as the domain reads it: weight and scale per criterion id (as a string)."""
    return (
        {str(c.pk): c.weight for c in criteria},
        {str(c.pk): Scale(c.scale_min, c.scale_max) for c in criteria},
    )


LEVEL = re.compile(r"(\d+)\s*-\s*(\d+)\s*:\s*([^;]+)")


def level_descriptors(guidance: str) -> list[dict]:
    """The rubric's level descriptors written in its guidance as "1-3: ...; 4-6: ..." (empty otherwise)."""
    return [
        {"low": int(low), "high": int(high), "text": text.strip().rstrip(".")}
        for low, high, text in LEVEL.findall(guidance or "")
    ]


class ScoreFormatError(ValueError):
    """A typed score is not a number."""


def parse_score(raw) -> Decimal | None:
    """A score typed by a person: "7", "7.5" or "7,5" (decimal comma, as written in Indonesian).

    Returns None for an empty value; raises ScoreFormatError for anything else that is not a finite
    number (thousands separators and several commas are refused, not guessed).
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if text == "":
        return None
    if text.count(",") + text.count(".") > 1:
        raise ScoreFormatError(text)
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ScoreFormatError(text) from exc
    if not value.is_finite():
        raise ScoreFormatError(text)
    return value


# ---------------------------------------------------------------------------------------
# The freeze
# ---------------------------------------------------------------------------------------


class FrozenError(ValidationError):
    """The results of the edition are published: nothing that feeds them changes outside a revision."""

    def __init__(self):
        super().__init__(
            _(
                "The results of this edition are published and frozen. A correction is made by opening a "
                "revision of the results (with its reason), which is recorded and published."
            ),
            code="frozen",
        )


def is_frozen(edition_or_settings) -> bool:
    rules = (
        edition_or_settings
        if isinstance(edition_or_settings, EvaluationSettings)
        else settings_for(edition_or_settings)
    )
    return rules.results_published_at is not None and rules.revision_open_at is None


def guard_frozen(edition: Edition) -> None:
    """Raise FrozenError when the edition's results are published and no revision is open."""
    if is_frozen(edition):
        raise FrozenError()


# ---------------------------------------------------------------------------------------
# Conflicts of interest
# ---------------------------------------------------------------------------------------


@dataclass
class ConflictIndex:
    """Which proposals conflict with which users, per the edition's rules (computed and declared)."""

    pairs: set[tuple[int, int]] = field(default_factory=set)
    reasons: dict[tuple[int, int], str] = field(default_factory=dict)


def member_rows(edition: Edition, kind: str | None = None) -> list[Member]:
    members = Member.objects.filter(edition=edition).select_related("user")
    if kind:
        members = members.filter(kind=kind)
    return list(members.prefetch_related("expertise", "conflict_agencies", "conflict_regions"))


def conflict_index(
    edition: Edition, proposals: list[dict], members: list[Member], rules: EvaluationSettings | None = None
) -> ConflictIndex:
    """`proposals` are dicts with PROPOSAL_FIELDS; `rules` the edition's settings when the caller has them.

    Rules (each switchable per edition): the evaluator's own agency; the regional governments of the
    evaluator's home province; the agencies and regions (a region covers its regencies) they declared.
    """
    rules = rules or settings_for(edition)
    by_agency: dict[int, list[int]] = defaultdict(list)
    regional_by_province: dict[int, list[int]] = defaultdict(list)
    by_region: dict[int, list[int]] = defaultdict(list)
    for p in proposals:
        by_agency[p["agency_id"]].append(p["id"])
        if p["province_id"]:
            by_region[p["province_id"]].append(p["id"])
            if p["agency__type"] in Agency.REGIONAL_TYPES:
                regional_by_province[p["province_id"]].append(p["id"])
        if p["agency__region_id"] and p["agency__region_id"] != p["province_id"]:
            by_region[p["agency__region_id"]].append(p["id"])
    index = ConflictIndex()

    def add(pids, uid, reason):
        for pid in pids:
            if (pid, uid) not in index.pairs:
                index.pairs.add((pid, uid))
                index.reasons[(pid, uid)] = reason

    for member in members:
        uid, account = member.user_id, member.user
        if rules.conflict_own_agency and account.agency_id:
            add(by_agency.get(account.agency_id, ()), uid, "own_agency")
        if rules.conflict_home_province and account.home_province_id:
            add(regional_by_province.get(account.home_province_id, ()), uid, "home_province")
        if rules.conflict_declared:
            for agency in member.conflict_agencies.all():
                add(by_agency.get(agency.pk, ()), uid, "declared_agency")
            for region in member.conflict_regions.all():
                add(by_region.get(region.pk, ()), uid, "declared_region")
    return index


def edition_conflicts(edition: Edition, kind: str = Member.Kind.EVALUATOR) -> ConflictIndex:
    """Every conflict of the edition's evaluators (or panelists) with its evaluable proposals."""
    proposals = list(Proposal.objects.filter(edition=edition).values(*PROPOSAL_FIELDS))
    return conflict_index(edition, proposals, member_rows(edition, kind))


def conflict_reason(
    edition: Edition, proposal: Proposal, account, rules: EvaluationSettings | None = None
) -> str | None:
    """Why `account` may not evaluate `proposal`, or None (one pair; same rules as `conflict_index`).
    `rules`: the edition's settings when the caller read them in this request (else one query)."""
    member = Member.objects.filter(edition=edition, user=account).select_related("user").first()
    if member is None:
        return None
    index = conflict_index(edition, [_conflict_row(proposal)], [member], rules)
    return index.reasons.get((proposal.pk, account.pk))


def _conflict_row(proposal: Proposal) -> dict:
    """PROPOSAL_FIELDS of one proposal: read from it when its agency was loaded with it (the review page
    loads both), else one query."""
    if not Proposal.agency.is_cached(proposal):
        return Proposal.objects.filter(pk=proposal.pk).values(*PROPOSAL_FIELDS).first()
    agency = proposal.agency
    return {
        "id": proposal.pk,
        "agency_id": proposal.agency_id,
        "agency__type": agency.type if agency is not None else None,
        "province_id": proposal.province_id,
        "agency__region_id": agency.region_id if agency is not None else None,
    }


def CONFLICT_LABELS() -> dict[str, str]:  # noqa: N802 (a constant, translated at call time)
    return {
        "own_agency": _("own agency"),
        "home_province": _("a government of the home province"),
        "declared_agency": _("declared agency"),
        "declared_region": _("declared region"),
    }


def bump_ranking_version(edition_id: int) -> None:
    """Tell the reads that the stored desk ranking is behind: one conditional update of the edition's
    version (`DeskRankingState`), whatever else changed; no count over the reviews."""
    if DeskRankingState.objects.filter(edition_id=edition_id).update(version=F("version") + 1):
        return
    try:
        with transaction.atomic():
            DeskRankingState.objects.create(edition_id=edition_id, version=2)
    except IntegrityError:  # created by another process at the same moment
        DeskRankingState.objects.filter(edition_id=edition_id).update(version=F("version") + 1)


def ranking_versions(edition: Edition) -> tuple[int, int | None]:
    """(version of the inputs, version the stored ranking was computed for): one indexed row read."""
    row = DeskRankingState.objects.filter(edition_id=edition.pk).values_list("version", "ranked_version").first()
    return row if row is not None else (1, None)


def inputs_version(edition: Edition) -> str:
    """The version of everything the desk ranking depends on (the submitted, reopened and voided reviews,
    the assignments, the aggregation settings and the conflict declarations), bumped by each of those
    writes (`bump_ranking_version`). Stored beside every stored number."""
    return str(ranking_versions(edition)[0])


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
