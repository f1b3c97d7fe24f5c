"""The desk ranking stored, the nomination (domain.nomination) and the panel's confirmation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jipp.competition.domain import nomination as nomination_domain
from jipp.competition.evaluation import selectors
from jipp.competition.evaluation.common import guard_frozen, settings_for
from jipp.competition.evaluation.models import Finalist, Nomination
from jipp.competition.evaluation.services._base import event, guard, require
from jipp.competition.evaluation.services.ranking import store_ranking
from jipp.competition.models import Edition, Group, Proposal
from jipp.regions.models import Region
from jipp.registry.models import Category


@transaction.atomic
def run_nomination(*, user, edition: Edition, only_complete: bool = False, note: str = "") -> Nomination:
    """Choose the finalists with the required mix (domain.nomination) and record the result.

    Only rankable proposals (their required number of valid reviews) can be nominated. While some
    proposals are incomplete the nomination is refused, unless the secretariat explicitly chooses to
    run it on the complete ones only (`only_complete`, with a `note`): that choice, who made it and the
    proposals left out are recorded on the nomination. The passing grade is compared with the raw mean
    (points), the order with the deciding method's value. Raises ValidationError with the reasons.
    """
    require(user, "evaluation.nominate", edition)
    guard_frozen(edition)
    rules = settings_for(edition)
    if rules.finalists_published_at is not None:
        raise ValidationError(_("The finalists are published: the nomination cannot be run again."))
    version, _rows = store_ranking(edition=edition)
    rows = selectors.ranking(edition)
    incomplete = [r for r in rows if not r["rankable"]]
    if incomplete and not only_complete:
        raise ValidationError(
            [_("%(n)d proposals do not have their required reviews yet:") % {"n": len(incomplete)}]
            + [
                _("%(title)s (%(id)d): %(missing)d reviews missing")
                % {"title": r["title"], "id": r["id"], "missing": r["missing_reviews"]}
                for r in incomplete[:20]
            ]
            + [_("Complete them, or choose explicitly to nominate among the complete proposals only.")]
        )
    if incomplete and not note.strip():
        raise ValidationError({"note": _("Record why the nomination runs on the complete proposals only.")})
    method = rules.deciding_method
    complete = [r for r in rows if r["rankable"]]
    candidates = [
        nomination_domain.Candidate(
            r["id"],
            r["deciding"],
            {
                "group": r["group"],
                "category": r["category"],
                "province": r["province"],
                "agency_kind": r["agency_kind"],
                "3t": r["is_3t"],
            },
            grade_score=r["points"],
        )
        for r in complete
    ]
    targets = {
        kind: n
        for kind, n in (
            (Group.Kind.UMUM.value, rules.finalists_umum),
            (Group.Kind.REPLIKASI.value, rules.finalists_replikasi),
            (Group.Kind.KHUSUS.value, rules.finalists_khusus),
        )
        if n
    }
    quotas = []
    if rules.min_3t:
        quotas.append(nomination_domain.Quota("3t", True, min_count=rules.min_3t, label="3T"))
    if rules.max_category_share < 1:
        names = {c.code: str(c) for c in Category.objects.all()}
        for code in sorted({r["category"] for r in complete if r["category"]}):
            quotas.append(
                nomination_domain.Quota(
                    "category", code, max_share=rules.max_category_share, label=names.get(code, code)
                )
            )
    if rules.max_province_share < 1:
        names = dict(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", "name"))
        for code in sorted({r["province"] for r in complete if r["province"]}):
            quotas.append(
                nomination_domain.Quota(
                    "province", code, max_share=rules.max_province_share, label=names.get(code, code)
                )
            )
    if rules.min_ministry_share:
        quotas.append(nomination_domain.Quota("agency_kind", "central", min_share=rules.min_ministry_share))
    try:
        result = nomination_domain.nominate(
            candidates, group_targets=targets, quotas=quotas, passing_grade=rules.passing_grade
        )
    except nomination_domain.NominationInfeasibleError as exc:
        raise ValidationError([_("The nomination is not possible:")] + list(exc.reasons)) from exc

    def swap(s) -> dict:
        return {"id": s.candidate, "score": str(s.score), "position": s.plain_position, "reason": s.reason}

    nomination = Nomination.objects.create(
        edition=edition,
        method=method,
        parameters={
            "targets": targets,
            "passing_grade": str(rules.passing_grade),
            "passing_grade_on": "raw mean (points)",
            "min_3t": rules.min_3t,
            "max_category_share": rules.max_category_share,
            "max_province_share": rules.max_province_share,
            "min_ministry_share": rules.min_ministry_share,
            "inputs_version": version,
            "only_complete": bool(incomplete),
            "excluded_incomplete": [r["id"] for r in incomplete],
            "choice_by": user.username if incomplete else "",
            "choice_note": note.strip() if incomplete else "",
        },
        chosen=list(result.chosen),
        plain=list(result.plain),
        swaps={"in": [swap(s) for s in result.swapped_in], "out": [swap(s) for s in result.swapped_out]},
        quota_checks=[
            {
                "name": q.quota.describe(),
                "min": q.min_count,
                "max": None if q.max_count == float("inf") else q.max_count,
                "eligible": q.eligible,
                "plain": q.plain,
                "chosen": q.chosen,
            }
            for q in result.quotas
            if q.plain != q.chosen or q.min_count or q.quota.attribute == "3t"
        ],
        total_score=result.total_score,
        plain_total_score=result.plain_total_score,
        created_by=user,
    )
    Proposal.objects.filter(edition=edition, status=Proposal.Status.NOMINATED).update(
        status=Proposal.Status.IN_EVALUATION
    )
    Proposal.objects.filter(pk__in=result.chosen).update(status=Proposal.Status.NOMINATED)
    return nomination


@transaction.atomic
def confirm_nomination(
    *, user, nomination: Nomination, add: list[int] = (), remove: list[int] = (), plenary_record: str
) -> list[Finalist]:
    """The panel confirms the nomination, possibly adding or removing proposals, and records its plenary.

    Only rankable proposals can be added. Each finalist stores its desk score (deciding method), its desk
    points (raw mean) and the version of the inputs they came from. Once the finalists are published,
    the confirmation cannot be redone (the public scrutiny is not reopened silently)."""
    edition = nomination.edition
    require(user, "evaluation.confirm_nomination", edition)
    guard_frozen(edition)
    if not plenary_record.strip():
        raise ValidationError({"plenary_record": _("Record the plenary decision.")})
    if nomination.confirmed_at:
        raise ValidationError(_("This nomination is already confirmed."))
    if settings_for(edition).finalists_published_at is not None:
        raise ValidationError(_("The finalists are published: they cannot be changed by a new confirmation."))
    rows = {r["id"]: r for r in selectors.ranking(edition)}
    unknown = [pid for pid in add if pid not in rows]
    if unknown:
        raise ValidationError(
            {"add": _("Not evaluated in this edition: %(ids)s") % {"ids": ", ".join(map(str, unknown))}}
        )
    incomplete = [pid for pid in add if not rows[pid]["rankable"]]
    if incomplete:
        raise ValidationError(
            {"add": _("These proposals lack required reviews: %(ids)s") % {"ids": ", ".join(map(str, incomplete))}}
        )
    chosen = [pid for pid in nomination.chosen if pid not in set(remove)] + [
        pid for pid in add if pid not in nomination.chosen
    ]
    version = nomination.parameters.get("inputs_version", "")
    guard(edition, user=user, what="confirm the nomination")
    Finalist.objects.filter(edition=edition).delete()
    finalists = Finalist.objects.bulk_create(
        [
            Finalist(
                edition=edition,
                proposal_id=pid,
                nomination=nomination,
                desk_score=rows[pid]["deciding"],
                desk_points=rows[pid]["points"],
                inputs_version=version,
                added_by_panel=pid not in nomination.chosen,
            )
            for pid in chosen
        ]
    )
    nomination.confirmed_at = timezone.now()
    nomination.confirmed_by = user
    nomination.plenary_record = plenary_record.strip()
    nomination.save()
    Proposal.objects.filter(edition=edition, status__in=[Proposal.Status.NOMINATED, Proposal.Status.FINALIST]).update(
        status=Proposal.Status.IN_EVALUATION
    )
    Proposal.objects.filter(pk__in=chosen).update(status=Proposal.Status.FINALIST)
    for proposal in Proposal.objects.filter(pk__in=chosen):
        event(proposal, actor=user, note=gettext_lazy("Chosen as a finalist by the independent panel."))
    return finalists
