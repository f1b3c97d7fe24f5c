"""Winners, decree, publication and revisions of the results.

After publication the edition is frozen (common.guard_frozen and the model guard). A correction is a
revision: `open_revision` (who, why) lets the corrections through, each recorded; `publish_results`
then recomputes end to end (stored desk ranking, finalists' desk and final scores, winners), keeps the
previous version's winners public in a `ResultsRevision`, reissues the certificates with new codes and
marks the old ones "superseded by". All writes to the registry's awards happen here (`_write_awards`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jipp.competition.domain import final as final_domain
from jipp.competition.evaluation.common import guard_frozen, settings_for
from jipp.competition.evaluation.models import (
    EvaluationSettings,
    Finalist,
    ResultChange,
    ResultsRevision,
    Winner,
)
from jipp.competition.evaluation.services._base import event, guard, lock_settings, require
from jipp.competition.evaluation.services.presentations import recompute_final
from jipp.competition.evaluation.services.ranking import schedule_refresh, store_ranking
from jipp.competition.models import Edition, Group, Proposal
from jipp.registry import awards as registry_awards
from jipp.registry.models import Award, AwardTier

# The kind of the registry's award tier each winner gets; the tier itself (code, name, category) is the
# year's configuration (`registry.awards.tier_for`): a Replikasi winner gets the year's Replikasi tier.
REGISTRY_KIND = {
    Winner.Tier.TOP: AwardTier.Kind.WINNER,
    Winner.Tier.OUTSTANDING: AwardTier.Kind.OUTSTANDING,
    Winner.Tier.REPLIKASI: AwardTier.Kind.REPLICATION_WINNER,
}


def tier_size(rules: EvaluationSettings, tier: str) -> int:
    """How many winners the decree names in a tier (the configured size, e.g. Top 45)."""
    return {
        Winner.Tier.TOP: rules.top_umum,
        Winner.Tier.OUTSTANDING: rules.top_outstanding,
        Winner.Tier.REPLIKASI: rules.top_replikasi,
    }[tier]


def award_title(winner: Winner, size: int) -> str:
    """The tier as the decree names it ("Top 45 Inovasi Pelayanan Publik KIPP 2025"), `size` being the
    tier's configured size, never the winner's rank or the count of winners decided so far. A provincial
    edition's winner is named by its edition ("Top 30 Inovasi Pelayanan Publik Kompetisi Inovasi Jawa
    Timur 2025"), never as KIPP's."""
    edition = winner.edition
    competition = edition.name if edition.organiser_id else f"KIPP {edition.year}"
    if winner.tier == Winner.Tier.OUTSTANDING:
        return f"Top {size} Outstanding Achievement {competition}"
    if winner.tier == Winner.Tier.REPLIKASI:
        return f"Top {size} Replikasi {competition}"
    return f"Top {size} Inovasi Pelayanan Publik {competition}"


def missing_final_scores(edition: Edition) -> list[Finalist]:
    """Verified active finalists that cannot be decided: their required panel marks are missing."""
    return list(
        Finalist.objects.filter(
            edition=edition, status=Finalist.Status.ACTIVE, verification_passed=True, final_score__isnull=True
        ).select_related("proposal")
    )


@transaction.atomic
def decide_winners(*, user, edition: Edition) -> list[Winner]:
    """Top tiers by final score among the active finalists that passed field verification.

    Every such finalist needs its final score (panel marks): one that lacks it blocks the decision and is
    named. Ties: domain.final.rank_winners. Inside a revision the current winners are superseded (kept)
    and new rows are made; before the first publication they are replaced, keeping their codes."""
    require(user, "evaluation.manage_results", edition)
    guard_frozen(edition)
    rules = settings_for(edition)
    finalists = list(
        Finalist.objects.filter(edition=edition, status=Finalist.Status.ACTIVE, verification_passed=True)
        .select_related("proposal__group")
        .order_by("pk")
    )
    if not finalists:
        raise ValidationError(_("No finalist has passed the field verification yet."))
    missing = [f for f in finalists if f.final_score is None]
    if missing:
        raise ValidationError(
            [_("These finalists have no final score yet (panel marks missing):")]
            + [f"{f.proposal.title} ({f.proposal_id})" for f in missing]
        )
    guard(edition, user=user, what="decide the winners")
    revision = rules.revision_open_at is not None
    current = Winner.objects.current().filter(edition=edition)
    existing_codes = {} if revision else dict(current.values_list("finalist_id", "verification_code"))
    number = _current_revision_number(edition) + (1 if revision else 0)
    if revision:
        current.filter(revision=number).delete()  # decided earlier in this revision, never published
        current.update(superseded_at=timezone.now())
    else:
        current.delete()
    by_id = {f.proposal_id: f for f in finalists}
    winners = []
    for tier, kind in (
        (Winner.Tier.OUTSTANDING, Group.Kind.KHUSUS),
        (Winner.Tier.REPLIKASI, Group.Kind.REPLIKASI),
        (Winner.Tier.TOP, Group.Kind.UMUM),
    ):
        count = tier_size(rules, tier)
        pool = [
            final_domain.Contender(f.proposal_id, f.final_score, f.desk_points or f.desk_score)
            for f in finalists
            if f.proposal.group.kind == kind
        ]
        for rank, contender in enumerate(final_domain.rank_winners(pool, count), start=1):
            f = by_id[contender.id]
            winners.append(
                Winner.objects.create(
                    edition=edition,
                    finalist=f,
                    tier=tier,
                    rank=rank,
                    final_score=f.final_score,
                    verification_code=existing_codes.get(f.pk) or Winner.new_code(),
                    revision=number,
                )  # fmt: skip
            )
    return winners


@transaction.atomic
def record_decree(*, user, edition: Edition, number: str, date: dt.date) -> EvaluationSettings:
    require(user, "evaluation.manage_results", edition)
    guard_frozen(edition)
    if not number.strip():
        raise ValidationError({"number": _("Give the decree number.")})
    guard(edition, user=user, what=f"decree number {number}")
    rules = settings_for(edition)
    rules.results_decree_number = number.strip()
    rules.results_decree_date = date
    rules.save()
    return rules


@transaction.atomic
def open_revision(*, user, edition: Edition, reason: str) -> EvaluationSettings:
    """Open a revision of published results: corrections are then accepted, each recorded with this reason,
    until `publish_results` publishes the revision."""
    require(user, "evaluation.manage_results", edition)
    rules = lock_settings(edition)  # two openings at once: the second is told it is already open
    if rules.results_published_at is None:
        raise ValidationError(_("The results are not published yet: no revision is needed."))
    if rules.revision_open_at is not None:
        raise ValidationError(_("A revision is already open."), code="already")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for revising the published results.")})
    rules.revision_open_at = timezone.now()
    rules.revision_reason = reason.strip()
    rules.save(update_fields=["revision_open_at", "revision_reason"])
    ResultChange.objects.create(edition=edition, what="open a revision", reason=reason.strip(), changed_by=user)
    return rules


def _current_revision_number(edition: Edition) -> int:
    last = ResultsRevision.objects.filter(edition=edition).order_by("-number").values_list("number", flat=True)
    return last.first() or 0


def _snapshot(edition: Edition) -> list[dict]:
    return [
        {
            "proposal": w.finalist.proposal_id,
            "title": w.finalist.proposal.title,
            "tier": w.tier,
            "rank": w.rank,
            "final_score": str(w.final_score),
            "code": w.verification_code,
        }
        for w in Winner.objects.current().filter(edition=edition).select_related("finalist__proposal")
    ]


def _recompute_end_to_end(edition: Edition, user) -> None:
    """Store the desk ranking again, refresh every finalist's desk and final scores from it, decide again."""
    _version, rows = store_ranking(edition=edition)
    by_id = {r["id"]: r for r in rows}
    for finalist in Finalist.objects.filter(edition=edition):
        row = by_id.get(finalist.proposal_id)
        if row is not None and row["deciding"] is not None:
            finalist.desk_score = row["deciding"]
            finalist.desk_points = row["points"]
            finalist.inputs_version = _version
            finalist.save(update_fields=["desk_score", "desk_points", "inputs_version", "updated_at"])
        recompute_final(finalist)
    decide_winners(user=user, edition=edition)


@transaction.atomic
def publish_results(*, user, edition: Edition, now: dt.datetime | None = None) -> EvaluationSettings:
    """Publish the winners, write the awards back to the registry, and freeze the edition.

    Published results cannot be published again; inside an open revision, publishing recomputes the
    results end to end, records the revision (who, why, what changed, the previous winners, kept and
    public), reissues every certificate with a new code (the old codes answer "superseded by") and closes
    the revision."""
    require(user, "evaluation.manage_results", edition)
    # Under the settings' lock: of two publications at once exactly one publishes, the other is told
    # "already published"; a correction racing it lands before it or is refused (see `guard`).
    rules = lock_settings(edition)
    if rules.is_frozen:
        raise ValidationError(_("The results are already published. Open a revision to correct them."), code="already")
    revision = rules.revision_open_at is not None
    if not rules.results_decree_number:
        raise ValidationError(_("Record the decree before publishing."))
    previous = _snapshot(edition) if revision else []
    if revision:
        _recompute_end_to_end(edition, user)
    else:
        store_ranking(edition=edition)
    winners = list(Winner.objects.current().filter(edition=edition).select_related("finalist__proposal", "edition"))
    if not winners:
        raise ValidationError(_("Decide the winners before publishing."))
    current = _snapshot(edition)
    if revision:
        new_code = {w["proposal"]: w["code"] for w in current}
        for old in Winner.objects.filter(edition=edition, superseded_at__isnull=False, superseded_by=""):
            old.superseded_by = new_code.get(old.finalist.proposal_id, "-")
            old.save(update_fields=["superseded_by", "updated_at"])
    _write_awards(edition=edition, rules=rules, winners=winners, republish=revision)
    changes = _differences(previous, current) if revision else []
    ResultsRevision.objects.create(
        edition=edition,
        number=_current_revision_number(edition) + 1,
        reason=rules.revision_reason if revision else "",
        changes=changes,
        previous=previous,
        winners=current,
        published_by=user,
        published_at=now or timezone.now(),
    )
    if revision:
        rules.revision_open_at = None
        rules.revision_reason = ""
    else:
        rules.results_published_at = now or timezone.now()
    rules.save()
    return rules


def _differences(previous: list[dict], current: list[dict]) -> list[str]:
    before = {w["proposal"]: w for w in previous}
    after = {w["proposal"]: w for w in current}
    changes = []
    for pid in sorted(set(before) | set(after)):
        b, a = before.get(pid), after.get(pid)
        if b and not a:
            changes.append(f"{b['title']}: no longer a winner (was {b['tier']} #{b['rank']}, {b['final_score']})")
        elif a and not b:
            changes.append(f"{a['title']}: new winner ({a['tier']} #{a['rank']}, {a['final_score']})")
        elif (a["tier"], a["rank"], a["final_score"]) != (b["tier"], b["rank"], b["final_score"]):
            changes.append(
                f"{a['title']}: {b['tier']} #{b['rank']} ({b['final_score']}) -> "
                f"{a['tier']} #{a['rank']} ({a['final_score']})"
            )
    return changes


def _write_awards(*, edition: Edition, rules: EvaluationSettings, winners: list[Winner], republish: bool) -> None:
    """The one place that writes this edition's awards to the registry (`registry.awards.write_competition_award`).

    Winners get the year's tier of their kind (Top Innovation, Outstanding Achievement, Replikasi);
    the other active finalists the year's finalist tier (Replikasi finalists the Replikasi finalist
    tier). Each innovation's summary is then recomputed from all its awards, once.
    """
    winner_proposals = {w.finalist.proposal_id for w in winners}
    if edition.organiser_id is not None:
        # A provincial edition's winners are its organiser's, not KIPP awards: the registry is untouched
        # (a KIPP award of the same year and innovation stays), only the entries' statuses follow.
        _settle_entries(edition=edition, rules=rules, winner_proposals=winner_proposals, republish=republish)
        return
    finalists = list(
        Finalist.objects.filter(edition=edition, status=Finalist.Status.ACTIVE).select_related("proposal__group")
    )
    innovation_ids = [f.proposal.innovation_id for f in finalists]
    if republish:
        innovation_ids += list(
            Award.objects.filter(year=edition.year, title__contains="KIPP", is_imported=False).values_list(
                "innovation_id", flat=True
            )
        )
    Award.objects.filter(year=edition.year, innovation_id__in=innovation_ids).delete()
    book = registry_awards.TierBook()
    decree = {"decree_number": rules.results_decree_number, "decree_date": rules.results_decree_date}
    for f in finalists:
        if f.proposal_id in winner_proposals:
            continue
        if f.proposal.group.kind == Group.Kind.REPLIKASI:
            kind, title = AwardTier.Kind.REPLICATION_FINALIST, f"Finalis Replikasi KIPP {edition.year}"
        else:
            kind, title = AwardTier.Kind.FINALIST, f"Top 99 KIPP {edition.year}"
        registry_awards.write_competition_award(
            innovation_id=f.proposal.innovation_id, year=edition.year, kind=kind, title=title, book=book, **decree
        )
    for w in winners:
        registry_awards.write_competition_award(
            innovation_id=w.finalist.proposal.innovation_id, year=edition.year, kind=REGISTRY_KIND[w.tier],
            title=award_title(w, tier_size(rules, w.tier)), book=book, **decree,
        )  # fmt: skip
    registry_awards.refresh_award_summary(innovation_ids=innovation_ids, book=book)
    _settle_entries(edition=edition, rules=rules, winner_proposals=winner_proposals, republish=republish)


def _settle_entries(*, edition: Edition, rules: EvaluationSettings, winner_proposals: set, republish: bool) -> None:
    """The entries' statuses after a publication: winners, earlier winners back to finalists, the rest not
    selected; each winner's timeline names the decree."""
    if republish:
        earlier = Proposal.objects.filter(edition=edition, status=Proposal.Status.WINNER).exclude(
            pk__in=winner_proposals
        )
        earlier.update(status=Proposal.Status.FINALIST)
    Proposal.objects.filter(pk__in=winner_proposals).update(status=Proposal.Status.WINNER)
    not_selected = [Proposal.Status.IN_EVALUATION, Proposal.Status.NOMINATED]
    Proposal.objects.filter(edition=edition, status__in=not_selected).update(status=Proposal.Status.NOT_SELECTED)
    for proposal in Proposal.objects.filter(pk__in=winner_proposals):
        event(proposal, actor=None, note=gettext_lazy("Winner by decree %(n)s."), n=rules.results_decree_number)


@transaction.atomic
def update_settings(*, user, edition: Edition, data: dict) -> EvaluationSettings:
    """Change the edition's evaluation settings; refused after publication outside a revision."""
    require(user, "evaluation.manage_assignments", edition)
    guard_frozen(edition)
    guard(edition, user=user, what="evaluation settings: " + ", ".join(sorted(data)))
    rules = settings_for(edition)
    for key, value in data.items():
        setattr(rules, key, value)
    if rules.desk_weight + rules.presentation_weight == 0:
        raise ValidationError({"desk_weight": _("The weights cannot both be zero.")})
    rules.full_clean()
    rules.save()  # bumps the ranking's version (signals)
    schedule_refresh(edition)
    if rules.revision_open_at is not None:
        for finalist in Finalist.objects.filter(edition=edition):
            recompute_final(finalist)
    return rules
