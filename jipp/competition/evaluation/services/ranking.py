"""The stored desk ranking (DeskScore rows, one per proposal, with their place `order` on the page):
computed in full (`store_ranking`) or updated after one review (`rerank_after_review`), which touches
only the proposals whose numbers that review can change and then re-ranks by ordering the stored rows.

Both write the same rows for the same inputs (tests/competition/evaluation/test_ranking_store.py checks
it on random data); both record the inputs' version they are current for (`DeskRankingState`), so a
page of the ranking compares two numbers and reads its 50 rows.

Which proposals one review (proposal p, evaluator e) can change: p itself (its reviews); every proposal
e reviewed (e's mean and spread standardise each of e's reviews, so each z moves); and when e is, or
was, standardised with the pool of evaluators with too few reviews, every proposal any pooled evaluator
reviewed (the pool's mean and spread move). Every other proposal keeps its values; its ranks may move.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connections, transaction
from django_tasks import task

from jipp.competition.domain import normalisation
from jipp.competition.domain.numbers import stored
from jipp.competition.evaluation import selectors
from jipp.competition.evaluation.common import (
    PROPOSAL_FIELDS,
    bump_ranking_version,
    conflict_index,
    guard_frozen,
    is_frozen,
    settings_for,
)
from jipp.competition.evaluation.models import DeskRankingState, DeskScore, Member, Review
from jipp.competition.models import Edition, Proposal
from jipp.core import taskruns

METHODS = selectors.METHODS


def lock_state(edition: Edition) -> DeskRankingState:
    """The edition's ranking state, locked for this transaction (created on first use). Every bump
    updates this row, so while it is locked no other write to the ranking's inputs commits."""
    state = DeskRankingState.objects.select_for_update().filter(pk=edition.pk).first()
    if state is None:
        bump_ranking_version(edition.pk)
        state = DeskRankingState.objects.select_for_update().get(pk=edition.pk)
    return state


def _values_json(r: dict) -> dict:
    return {
        "methods": {m: str(v) for m, v in r["scores"].items()},
        "mean_z": None if r["mean_z"] is None else str(r["mean_z"]),
        "std": None if r["std"] is None else str(r["std"]),
        "spread": None if r["spread"] is None else str(r["spread"]),
    }


def _standardisation_json(exact: dict) -> dict:
    return {"evaluators": {str(e): [n, str(centre), str(scale)] for e, (n, centre, scale) in exact.items()}}


@transaction.atomic
def store_ranking(*, edition: Edition) -> tuple[str, list[dict]]:
    """Compute the desk ranking now and store it (DeskScore) with the version of its inputs; returns
    (version, rows). Every later read (pages, nomination, finalists, API) reads these stored values."""
    guard_frozen(edition)
    state = lock_state(edition)
    version, rows, exact = selectors.compute_ranking_with_standardisation(edition)
    # Rows are replaced in place (one batched UPDATE), not deleted and inserted again: a delete runs the
    # freeze guard and its signals once per row, which at 10,000 proposals costs more than the ranking.
    existing = dict(DeskScore.objects.filter(edition=edition).values_list("proposal_id", "pk"))
    fresh, new = [], []
    for order, r in enumerate(rows, start=1):
        desk = DeskScore(
            pk=existing.pop(r["id"], None),
            edition=edition,
            proposal_id=r["id"],
            inputs_version=version,
            valid_reviews=r["n"],
            voided_reviews=r["voided"],
            rankable=r["rankable"],
            missing_reviews=r["missing_reviews"],
            values=_values_json(r),
            ranks=r["ranks"],
            deciding=r["deciding"],
            points=r["points"],
            disagreement=r["disagreement"],
            position=r["position"],
            order=order,
        )
        (fresh if desk.pk is None else new).append(desk)
    if existing:  # proposals no longer in the ranking (their assignments removed)
        DeskScore.objects.filter(pk__in=existing.values()).delete()
    _update_rows(new, (*ROW_FIELDS, "inputs_version"))
    DeskScore.objects.bulk_create(fresh, batch_size=2000)
    DeskRankingState.objects.filter(pk=state.pk).update(
        ranked_version=int(version), standardisation=_standardisation_json(exact)
    )
    return version, rows


def _valid_rows(edition: Edition, reviews) -> tuple[list[tuple[int, int, Decimal]], dict[int, int]]:
    """The reviews of `reviews` (a queryset of submitted ones) that count, as `selectors.valid_reviews`
    decides for the whole edition (not voided, no conflict checked now), with the conflicts computed for
    these proposals and evaluators only; and the voided count per proposal."""
    raw = list(reviews.values_list("proposal_id", "evaluator_id", "total", "voided_at"))
    pids = {r[0] for r in raw}
    uids = {r[1] for r in raw}
    proposals = list(Proposal.objects.filter(pk__in=pids).values(*PROPOSAL_FIELDS))
    members = list(
        Member.objects.filter(edition=edition, kind=Member.Kind.EVALUATOR, user_id__in=uids)
        .select_related("user")
        .prefetch_related("expertise", "conflict_agencies", "conflict_regions")
    )
    conflicts = conflict_index(edition, proposals, members).pairs
    rows, voided = [], defaultdict(int)
    for pid, uid, total, voided_at in raw:
        if voided_at is not None or (pid, uid) in conflicts:
            voided[pid] += 1
        else:
            rows.append((pid, uid, stored(Decimal(total))))
    return rows, voided


ROW_FIELDS = ("valid_reviews", "voided_reviews", "rankable", "missing_reviews", "values", "ranks", "deciding", "points",
              "disagreement", "position", "order")  # fmt: skip


def _update_rows(rows, names) -> None:
    """UPDATE ... WHERE id = ? for each row, as one batch (executemany): a re-ranking moves the rank of
    up to every row, and Django's bulk_update builds a CASE expression per row and field, which costs
    seconds at 10,000 rows. `rows` are DeskScore instances or (pk, values in the order of `names`)
    tuples (a model instance per moved row costs more than its UPDATE). Values are prepared by the
    fields themselves, as a save would."""
    if not rows:
        return
    connection = connections[DeskScore.objects.db]
    fields = [DeskScore._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table, pk = quote(DeskScore._meta.db_table), quote(DeskScore._meta.pk.column)
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 (quoted model identifiers; values are parameters)  # nosec B608 # quoted identifiers; values bound
    if isinstance(rows[0], DeskScore):
        rows = [(d.pk, [getattr(d, f.attname) for f in fields]) for d in rows]
    params = [
        [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)] + [pk] for pk, values in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _exact_of(entry: list) -> tuple[Decimal, Decimal]:
    return Decimal(entry[1]), Decimal(entry[2])


@transaction.atomic
def rerank_after_review(*, edition: Edition, proposal_id: int, evaluator_id: int, version_before: int) -> bool:
    """Bring the stored ranking up to date after one review of `proposal_id` by `evaluator_id` changed
    (submitted or reopened), when it was current just before that change (`version_before`, read with
    the state locked by `lock_state`). Returns False, changing nothing, when it was not: the caller then
    schedules the full computation (`schedule_refresh`).

    Writes the same rows as `store_ranking` would for the same inputs, in the same transaction as the
    change, so a page never sees a half-updated ranking.
    """
    state = DeskRankingState.objects.select_for_update().filter(pk=edition.pk).first()
    if state is None or state.ranked_version != version_before:
        return False
    rules = settings_for(edition)
    min_reviews = rules.min_reviews_for_zscore
    floor = Decimal(rules.min_spread_for_zscore)
    submitted = Review.objects.filter(edition=edition, status=Review.Status.SUBMITTED)
    known: dict[str, list] = dict(state.standardisation.get("evaluators", {}))

    # 1. The evaluator's standardisation, and the pool's when the evaluator is or was in it.
    own_rows, _ = _valid_rows(edition, submitted.filter(evaluator_id=evaluator_id))
    old_n = known.get(str(evaluator_id), [0])[0]
    new_n = len(own_rows)
    pooled_before = {int(e) for e, entry in known.items() if entry[0] < min_reviews}
    pool_changed = 0 < old_n < min_reviews or 0 < new_n < min_reviews
    by_evaluator: dict[int, list[Decimal]] = defaultdict(list)
    for _p, _e, x in own_rows:
        by_evaluator[evaluator_id].append(x)
    affected = {proposal_id} | {p for p, _e, _x in own_rows}
    if pool_changed:
        others = pooled_before - {evaluator_id}
        pool_rows, _ = _valid_rows(edition, submitted.filter(evaluator_id__in=others)) if others else ([], {})
        for p, e, x in pool_rows:
            by_evaluator[e].append(x)
            affected.add(p)
    stats, exact, _pooled = normalisation.standardise(by_evaluator, min_reviews=min_reviews, min_spread=floor)
    known.pop(str(evaluator_id), None)
    for e, (centre, scale) in exact.items():
        known[str(e)] = [stats[e].n_reviews, str(centre), str(scale)]

    # 2. The affected proposals' values, from all their valid reviews.
    rows, voided = _valid_rows(edition, submitted.filter(proposal_id__in=affected))
    per_proposal: dict[int, list] = defaultdict(list)
    for p, e, x in rows:
        per_proposal[p].append(normalisation.normalised(e, x, _exact_of(known[str(e)])))
    trim = Decimal(rules.trim_proportion)
    fresh = {p: normalisation.proposal_values(items, trim) for p, items in per_proposal.items()}

    # 3. Re-rank: every stored row's values, the affected ones replaced, ordered again.
    stored_rows = {
        pid: {"pk": pk, "n": n, "rankable": ok, "values": v, "points": points, "ranks": r, "position": pos, "order": o}
        for pk, pid, n, ok, v, points, r, pos, o in DeskScore.objects.filter(edition=edition).values_list(
            "pk", "proposal_id", "valid_reviews", "rankable", "values", "points", "ranks", "position", "order"
        )
    }
    if not affected <= set(stored_rows):
        return False  # a proposal without a stored row: only the full computation adds rows
    values: dict[int, dict] = {}
    for pid, d in stored_rows.items():
        if pid in affected:
            if pid in fresh:
                values[pid] = fresh[pid]
        elif d["n"]:
            methods = d["values"]["methods"]
            values[pid] = {
                "mean": d["points"],
                "median": Decimal(methods["median"]),
                "trimmed_mean": Decimal(methods["trimmed_mean"]),
                "mean_z": Decimal(d["values"]["mean_z"]),
                "spread": Decimal(d["values"]["spread"]),
            }
    ranks, rankings = normalisation.rank(values)
    method = normalisation.Method(rules.deciding_method)
    required = rules.reviews_per_proposal
    threshold = Decimal(rules.disagreement_threshold)
    updated: list[DeskScore] = []
    for pid in affected:
        v = fresh.get(pid)
        status = normalisation.rankability(v["n"] if v else 0, required)
        stored_rows[pid]["rankable"] = status.rankable
        row = {
            "scores": {m: v[m] for m in METHODS} if v else {},
            "mean_z": v["mean_z"] if v else None,
            "std": v["std"] if v else None,
            "spread": v["spread"] if v else None,
        }
        updated.append(
            DeskScore(
                pk=stored_rows[pid]["pk"],
                valid_reviews=v["n"] if v else 0,
                voided_reviews=voided.get(pid, 0),
                rankable=status.rankable,
                missing_reviews=status.missing,
                values=_values_json(row),
                deciding=v[method.value] if v else None,  # for zscore_mean, the position on 0..100
                points=v["mean"] if v else None,
                disagreement=bool(v and v["spread"] > threshold),
            )
        )
    by_pk = {d.pk: d for d in updated}
    # The page's order: the ranked rows by the deciding method, then the incomplete ones in the same
    # order as the full computation lists them (by the deciding method, then the rows without reviews).
    in_order = list(rankings[method]) + sorted(set(stored_rows) - set(values))
    rankable = [p for p in in_order if stored_rows[p]["rankable"]]
    rest = [p for p in in_order if not stored_rows[p]["rankable"]]
    place = {p: i for i, p in enumerate(rankable, start=1)}
    moved: list[tuple] = []
    for order, pid in enumerate(rankable + rest, start=1):
        d = stored_rows[pid]
        new_ranks = {m: ranks[pid][m] for m in METHODS} if pid in values else {}
        new_position = place.get(pid)
        if d["pk"] in by_pk:
            target = by_pk[d["pk"]]
            target.ranks, target.position, target.order = new_ranks, new_position, order
        elif d["ranks"] != new_ranks or d["position"] != new_position or d["order"] != order:
            moved.append((d["pk"], (new_ranks, new_position, order)))
    _update_rows(updated, ROW_FIELDS)
    _update_rows(moved, ("ranks", "position", "order"))
    DeskRankingState.objects.filter(pk=state.pk).update(
        ranked_version=state.version, standardisation={"evaluators": known}
    )
    return True


REFRESH = "evaluation.refresh_ranking"


def _scope(edition_id: int) -> str:
    return f"edition:{edition_id}"


@task()
def refresh_ranking_task(*, edition_id: int, run_id: int | None = None) -> int:
    """Store the edition's desk ranking in full unless it is current already (a background task, one at
    a time per edition, see jipp.core.taskruns). Returns 1 when it stored, 0 when nothing was needed."""
    with taskruns.running(run_id, name=REFRESH, scope=_scope(edition_id)) as run:
        if run is None:
            return -1
        edition = Edition.all_editions.get(pk=edition_id)  # national or provincial
        if is_frozen(edition) or selectors.stored_ranking_is_current(edition):
            return 0
        store_ranking(edition=edition)
        return 1


def schedule_refresh(edition: Edition) -> None:
    """Bring the stored ranking up to date in the background after this transaction commits (a change
    that touches more than one review: the settings, a declaration of conflicts, the assignments)."""
    taskruns.enqueue_once(refresh_ranking_task, name=REFRESH, scope=_scope(edition.pk), edition_id=edition.pk)


def after_review_change(*, edition: Edition, proposal_id: int, evaluator_id: int, version_before: int) -> None:
    """The ranking after one review changed: updated in place when it was current, else scheduled."""
    if not rerank_after_review(
        edition=edition, proposal_id=proposal_id, evaluator_id=evaluator_id, version_before=version_before
    ):
        schedule_refresh(edition)


taskruns.register(REFRESH, refresh_ranking_task, lambda scope: {"edition_id": int(scope.split(":", 1)[1])})
