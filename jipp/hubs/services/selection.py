"""Selection rounds: criteria and weights, candidates and evidence, conflict declarations, scores, decision.

Deciding is the Ministry's: the ranking explains, `decide_round` records the decree and designates the
chosen candidates as a cohort.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jipp.hubs.domain.selection import LevelError, WeightsError, check_level, check_weights
from jipp.hubs.models import (
    Candidate,
    Cohort,
    ConflictDeclaration,
    Criterion,
    Decision,
    Evidence,
    Hub,
    HubKind,
    Score,
    SelectionRound,
)
from jipp.hubs.services.hubs import create_hub
from jipp.regions.models import Agency


def weights_error(total: Decimal) -> ValidationError:
    return ValidationError(
        _("The weights must sum to 100%%; they sum to %(total)s%%.") % {"total": f"{total.normalize():f}"},
        code="weights",
    )


def _check_weights(weights: Iterable[Decimal]) -> None:
    try:
        check_weights(weights)
    except WeightsError as exc:
        raise weights_error(exc.total)


@transaction.atomic
def create_round(
    *,
    year: int,
    purpose: str,
    kind: str,
    criteria: list[tuple[str, Decimal, dict]],
    members: Iterable = (),
    with_all_provinces: bool = False,
    weight_basis: str = Criterion.WeightBasis.DECLARED,
) -> SelectionRound:
    """A new round in draft with its criteria (name, weight %, guide {level: meaning}); weights must sum to 100.

    `with_all_provinces` adds every province government as a candidate (a province round). `weight_basis`
    says whether the weights are the Ministry's (declared, the default) or a seeded assumption.
    """
    _check_weights(weight for _name, weight, _guide in criteria)
    round_ = SelectionRound(year=year, purpose=purpose.strip(), kind=kind)
    round_.full_clean()
    round_.save()
    for position, (name, weight, guide) in enumerate(criteria):
        if not guide:
            raise ValidationError(_("Criterion '%(name)s' needs a scoring guide with its levels.") % {"name": name})
        criterion = Criterion(
            round=round_, name=name.strip(), weight=weight, weight_basis=weight_basis, guide=guide, position=position
        )
        criterion.full_clean()
        criterion.save()
    round_.members.set(list(members))
    if with_all_provinces and kind == HubKind.PROVINCE:
        Candidate.objects.bulk_create(
            Candidate(round=round_, agency=a, region=a.region)
            for a in Agency.objects.filter(type=Agency.Type.PROVINCE).select_related("region")
        )
    return round_


@transaction.atomic
def set_weights(*, round_: SelectionRound, weights: Mapping[int, Decimal]) -> None:
    """Replace the criteria's weights, which become the Ministry's (declared); refused with the sum shown
    unless it is exactly 100, and once scoring has started (scores were given on the weights shown)."""
    locked = SelectionRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status != SelectionRound.Status.DRAFT:
        raise ValidationError(
            _("Scoring has started on this round: its weights are fixed. Try other weights with the what-if.")
        )
    criteria = list(locked.criteria.all())
    if {c.pk for c in criteria} != set(weights):
        raise ValidationError(_("Give a weight for every criterion of the round."))
    try:
        values = {k: Decimal(v) for k, v in weights.items()}
    except (InvalidOperation, TypeError):
        raise ValidationError(_("Weights are numbers in percent."))
    if any(v < 0 or v > 100 for v in values.values()):
        raise ValidationError(_("Each weight is between 0 and 100%."))
    _check_weights(values.values())
    for criterion in criteria:
        criterion.weight = values[criterion.pk]
        criterion.weight_basis = Criterion.WeightBasis.DECLARED
    Criterion.objects.bulk_update(criteria, ["weight", "weight_basis"])


@transaction.atomic
def add_candidate(*, round_: SelectionRound, agency: Agency) -> Candidate:
    """Add a province government (province round) or a K/L (K/L round) as a candidate."""
    expected_province = round_.kind == HubKind.PROVINCE
    if (agency.type == Agency.Type.PROVINCE) != expected_province:
        raise ValidationError(
            _("A province round takes province governments; a K/L round takes ministries and agencies.")
        )
    candidate = Candidate(round=round_, agency=agency, region=agency.region if expected_province else None)
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def add_evidence(*, candidate: Candidate, criterion: Criterion, note: str, document=None) -> Evidence:
    if criterion.round_id != candidate.round_id:
        raise ValidationError(_("This criterion belongs to another round."))
    if not note.strip() and not document:
        raise ValidationError(_("Give a note or a document."))
    evidence = Evidence(candidate=candidate, criterion=criterion, note=note.strip())
    if document:
        evidence.document = document
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def open_scoring(*, round_: SelectionRound) -> SelectionRound:
    """Draft -> scoring, once the round has criteria summing to 100, candidates and a scoring team."""
    _check_weights(round_.criteria.values_list("weight", flat=True))
    if not round_.candidates.exists():
        raise ValidationError(_("Add candidates before scoring."))
    if not round_.members.exists():
        raise ValidationError(_("Name the scoring team before scoring."))
    if not SelectionRound.objects.filter(pk=round_.pk, status=SelectionRound.Status.DRAFT).update(
        status=SelectionRound.Status.SCORING
    ):
        raise ValidationError(_("Only a draft round can be opened for scoring."))
    round_.refresh_from_db()
    return round_


@transaction.atomic
def declare_conflicts(
    *, round_: SelectionRound, member, conflicted: Iterable[Candidate], statement: str = ""
) -> ConflictDeclaration:
    """A member's declaration (required before scoring); the candidates named are not scored by them."""
    if not round_.members.filter(pk=member.pk).exists():
        raise ValidationError(_("Only members of the scoring team declare conflicts for this round."))
    conflicted = list(conflicted)
    if any(c.round_id != round_.pk for c in conflicted):
        raise ValidationError(_("A candidate named belongs to another round."))
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        round=round_, member=member, defaults={"statement": statement.strip()}
    )
    declaration.conflicted.set(conflicted)
    Score.objects.filter(round=round_, member=member, candidate__in=conflicted).delete()
    return declaration


@transaction.atomic
def record_scores(*, round_: SelectionRound, member, candidate: Candidate, levels: Mapping[int, int]) -> list[Score]:
    """Save a member's levels for one candidate on every criterion, all or nothing.

    Refused unless the round is open for scoring, the member is on the team, has declared and has no
    conflict with the candidate, every criterion has a level, and each level is in its criterion's guide.
    """
    locked = SelectionRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status != SelectionRound.Status.SCORING:
        raise ValidationError(_("This round is not open for scoring."))
    if not locked.members.filter(pk=member.pk).exists():
        raise ValidationError(_("Only members of the scoring team score this round."))
    declaration = ConflictDeclaration.objects.filter(round=locked, member=member).first()
    if declaration is None:
        raise ValidationError(_("Declare your conflicts of interest before scoring."))
    if declaration.conflicted.filter(pk=candidate.pk).exists():
        raise ValidationError(_("You declared a conflict with this candidate; you do not score it."))
    if candidate.round_id != locked.pk:
        raise ValidationError(_("This candidate belongs to another round."))
    criteria = list(locked.criteria.all())
    errors = {}
    for criterion in criteria:
        level = levels.get(criterion.pk)
        if level is None:
            errors[criterion.pk] = _("Give a level.")
            continue
        try:
            check_level(int(level), criterion.levels)
        except (LevelError, ValueError):
            errors[criterion.pk] = _("The level must be one of the guide's levels: %(levels)s.") % {
                "levels": ", ".join(str(x) for x in criterion.levels)
            }
    if errors:
        raise ValidationError({str(k): v for k, v in errors.items()})
    saved = []
    for criterion in criteria:
        score, _created = Score.objects.update_or_create(
            round=locked,
            member=member,
            candidate=candidate,
            criterion=criterion,
            defaults={"level": int(levels[criterion.pk])},
        )
        saved.append(score)
    return saved


@transaction.atomic
def decide_round(
    *,
    round_: SelectionRound,
    chosen: Iterable[Candidate],
    decree_number: str,
    decree_date: date,
    decided_by,
    decree_document=None,
    notes: str = "",
) -> Decision:
    """Record the Ministry's decision as a decree and designate the chosen candidates as hubs of the year's cohort.

    The cohort of the round's year is created if it does not exist (with this decree). Refused if the
    round is not in scoring, nobody is chosen, or a chosen agency is already a hub.
    """
    chosen = list(chosen)
    if not chosen:
        raise ValidationError(_("Choose at least one candidate to designate."))
    if any(c.round_id != round_.pk for c in chosen):
        raise ValidationError(_("A chosen candidate belongs to another round."))
    if not decree_number.strip():
        raise ValidationError({"decree_number": _("Give the decree's number.")})
    if not SelectionRound.objects.filter(pk=round_.pk, status=SelectionRound.Status.SCORING).update(
        status=SelectionRound.Status.DECIDED
    ):
        raise ValidationError(_("Only a round in scoring can be decided."))
    existing = Hub.objects.filter(agency__in=[c.agency_id for c in chosen]).select_related("agency").first()
    if existing is not None:
        raise ValidationError(_("%(agency)s is already a hub.") % {"agency": existing.agency})
    cohort, created = Cohort.objects.get_or_create(
        year=round_.year,
        defaults={
            "name": _("Hubs %(year)s") % {"year": round_.year},
            "decree_number": decree_number.strip(),
            "decree_date": decree_date,
        },
    )
    if created and decree_document:
        cohort.decree_document = decree_document
        cohort.save(update_fields=["decree_document"])
    decision = Decision(
        round=round_,
        cohort=cohort,
        decree_number=decree_number.strip(),
        decree_date=decree_date,
        notes=notes.strip(),
        decided_by=decided_by,
    )
    if decree_document:
        decision.decree_document = decree_document
    decision.full_clean()
    decision.save()
    for candidate in chosen:
        create_hub(agency=candidate.agency, cohort=cohort, designated_on=decree_date)
    Candidate.objects.filter(pk__in=[c.pk for c in chosen]).update(designated=True)
    SelectionRound.objects.filter(pk=round_.pk).update(cohort=cohort)
    round_.refresh_from_db()
    return decision
