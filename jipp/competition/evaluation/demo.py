"""Demo: the closed edition of the competition's demo (KIPP 2025) carried through every stage.

Evaluators evaluator1..N and panelists panelis1..N (accounts demo) join the edition with expertise
and a few declared conflicts; the optimal assignment runs; every review is scored from a latent
quality per proposal plus each evaluator's leniency (a few clearly lenient, a few clearly harsh) and
noise; the nomination keeps the mix; the panel confirms; public scrutiny with objections (one upheld);
presentations and panel scores; field verification; winners, decree and publication (the awards are
written to the registry). small: quick; national: ~2,250 proposals, 120 evaluators, 12 panelists.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db.models import Count

from jipp.accounts.models import Role, User
from jipp.competition.evaluation import services
from jipp.competition.evaluation.common import bump_ranking_version
from jipp.competition.evaluation.models import Assignment, Finalist, Member, Objection, Review, Slot
from jipp.competition.evaluation.rubric import GUIDANCE
from jipp.competition.models import Edition, Group, Proposal, RubricCriterion
from jipp.regions.models import Agency
from jipp.registry.models import Category

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
OBJECTORS = ["Andi Wijaya", "Sri Mulyani", "Forum Warga Peduli", "Lembaga Pemantau Pelayanan", "Yusuf Ramadhan"]
COMMENTS = ["Ide jelas dan relevan.", "Perlu data dukung lebih kuat.", "Dampak terukur.", "Kolaborasi masih terbatas."]
GROUNDS = [
    "Inovasi ini sudah tidak berjalan sejak awal tahun; loket layanannya tutup.",
    "Data capaian dalam proposal tidak sesuai dengan laporan tahunan dinas.",
    "Inovasi ini sama dengan inovasi daerah tetangga dan bukan gagasan sendiri.",
    "Warga masih dipungut biaya untuk layanan yang disebut gratis.",
]


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def seed(*, scale: str, rng, stdout) -> None:
    edition = (
        Edition.objects.filter(proposals__status=Proposal.Status.PASSED_ADMINISTRATION)
        .annotate(n=Count("proposals"))
        .order_by("-n", "-year")
        .first()
    )
    if edition is None:
        stdout.write("  no edition with proposals that passed the administrative selection: skipped")
        return
    if Member.objects.filter(edition=edition).exists():
        stdout.write(f"  {edition} already has an evaluation team: skipped")
        return
    ministry = User.objects.filter(username="kementerian").first()
    if ministry is None:
        return
    stdout.write(f"  evaluating {edition}...")
    categories = list(Category.objects.filter(pk__in=edition.categories.values("pk"))) or list(Category.objects.all())
    agencies = list(Agency.objects.values_list("pk", flat=True)[:2000])

    # 1. The team.
    evaluators = list(User.objects.filter(role=Role.EVALUATOR, username__startswith="evaluator").order_by("pk"))
    panelists = list(User.objects.filter(role=Role.PANELIS, username__startswith="panelis").order_by("pk"))
    members = Member.objects.bulk_create(
        [Member(edition=edition, user=u, kind=Member.Kind.EVALUATOR) for u in evaluators]
        + [Member(edition=edition, user=u, kind=Member.Kind.PANELIST) for u in panelists]
    )
    for m in members:
        # Academics with a narrow field: one or two categories each.
        m.expertise.set(rng.sample(categories, min(len(categories), rng.choice((1, 1, 2)))))
        if agencies and rng.random() < 0.15:
            m.conflict_agencies.set(rng.sample(agencies, 2))

    for criterion in RubricCriterion.objects.filter(group__edition=edition, guidance="").select_related("section"):
        if criterion.section_id and criterion.section.key in GUIDANCE:
            criterion.guidance = GUIDANCE[criterion.section.key]
            criterion.save(update_fields=["guidance"])

    # 2. Settings sized to the edition.
    rules = services.settings_for(edition)
    passed = dict(
        Proposal.objects.filter(edition=edition, status=Proposal.Status.PASSED_ADMINISTRATION)
        .values_list("group__kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rules.finalists_umum = min(99, passed.get(Group.Kind.UMUM, 0) // 3)
    rules.finalists_replikasi = min(10, passed.get(Group.Kind.REPLIKASI, 0) // 3)
    rules.finalists_khusus = min(15, passed.get(Group.Kind.KHUSUS, 0) // 2)
    rules.top_umum = min(45, max(1, rules.finalists_umum // 2)) if rules.finalists_umum else 0
    rules.top_outstanding = min(5, rules.finalists_khusus // 2)
    rules.top_replikasi = min(5, rules.finalists_replikasi // 2)
    # National: a policy that favours remote regions and spreads the finalists, so the mix binds.
    rules.min_3t = 25 if scale == "national" else 0
    rules.max_category_share = 0.15
    rules.max_province_share = 0.08
    rules.disagreement_threshold = 25
    rules.passing_grade = 50 if scale == "national" else 0
    if scale != "national":
        rules.max_category_share = rules.max_province_share = 1
    rules.save()

    # 3. Optimal assignment.
    run = services.run_assignment(edition=edition)
    stdout.write(
        f"  assignment: {run.proposals} proposals, cost {run.total_cost:.2f} (optimum {run.optimal_cost:.2f}), "
        f"loads {run.min_load}-{run.max_load}, {run.seconds:.1f} s"
    )

    # 4. Reviews: latent quality + leniency + noise.
    leniency = {}
    for n, u in enumerate(evaluators):
        bias = rng.gauss(0, 4)
        if n % 10 == 0:
            bias = 12 + rng.random() * 4  # clearly lenient
        elif n % 10 == 1:
            bias = -12 - rng.random() * 4  # clearly harsh
        leniency[u.pk] = bias
    rubric: dict[int, list[RubricCriterion]] = {}
    quality: dict[int, float] = {}
    reviews = []
    for a in Assignment.objects.filter(edition=edition).select_related("proposal").order_by("pk").iterator():
        group_id = a.proposal.group_id
        if group_id not in rubric:
            rubric[group_id] = list(RubricCriterion.objects.filter(group_id=group_id).order_by("order", "pk"))
        q = quality.setdefault(a.proposal_id, _clip(rng.gauss(68, 12), 20, 98))
        target = _clip(q + leniency.get(a.evaluator_id, 0) + rng.gauss(0, 5), 0, 100)
        scores = {}
        for c in rubric[group_id]:
            raw = c.scale_min + (c.scale_max - c.scale_min) * _clip(target + rng.gauss(0, 6), 0, 100) / 100
            scores[str(c.pk)] = str(int(round(_clip(raw, c.scale_min, c.scale_max))))
        comments = {str(rubric[group_id][0].pk): rng.choice(COMMENTS)}
        reviews.append(
            Review(
                assignment=a,
                edition=edition,
                proposal_id=a.proposal_id,
                evaluator_id=a.evaluator_id,
                status=Review.Status.SUBMITTED,
                scores=scores,
                comments=comments,
                total=services.review_score(rubric[group_id], scores).total,
                blind_declared=True,
                submitted_at=dt.datetime(edition.year, 4, 20, 3, tzinfo=dt.UTC),
            )  # fmt: skip
        )
    Review.objects.bulk_create(reviews, batch_size=2000)
    bump_ranking_version(edition.pk)  # bulk_create sends no signals
    stdout.write(f"  {len(reviews)} reviews")

    # 5. Nomination and the panel's confirmation.
    try:
        nomination = services.run_nomination(user=ministry, edition=edition)
    except ValidationError as exc:
        stdout.write(f"  nomination relaxed: {' '.join(exc.messages)[:200]}")
        rules.refresh_from_db()
        rules.min_3t = 0
        rules.max_category_share = rules.max_province_share = 1
        rules.save()
        nomination = services.run_nomination(user=ministry, edition=edition)
    services.confirm_nomination(
        user=panelists[0] if panelists else ministry,
        nomination=nomination,
        plenary_record=f"Rapat pleno Tim Panel Independen, {edition.year}-05-28: menyetujui {len(nomination.chosen)} "
        "finalis sesuai hasil nominasi, dengan memperhatikan keterwakilan wilayah 3T.",
    )
    stdout.write(f"  {len(nomination.chosen)} finalists ({len(nomination.swaps.get('in', []))} swapped in)")

    # 6. Public scrutiny (closed): objections, one upheld.
    published = dt.datetime(edition.year, 6, 1, 1, tzinfo=dt.UTC)
    services.publish_finalists(user=ministry, edition=edition, now=published)
    finalists = list(Finalist.objects.filter(edition=edition).order_by("pk"))
    for n in range(min(len(finalists), 3 if scale == "small" else 12)):
        target = rng.choice(finalists)
        objection = Objection.objects.create(
            edition=edition, finalist=target, name=rng.choice(OBJECTORS), contact=f"warga{n}@example.id",
            grounds=rng.choice(GROUNDS), client_key=f"demo-{n}",
        )  # fmt: skip
        upheld = n == 0 and len(finalists) > 3
        services.resolve_objection(
            user=ministry,
            objection=objection,
            status=Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED,
            resolution="Terbukti dari klarifikasi lapangan; finalis digugurkan."
            if upheld
            else "Telah diklarifikasi kepada instansi; keberatan tidak terbukti.",
            disqualify=upheld,
        )
    services.publish_scrutiny_outcome(
        user=ministry, edition=edition, outcome="Uji publik selesai. Seluruh keberatan telah ditindaklanjuti."
    )

    # 7. Presentations.
    rooms = 3 if scale == "national" else 2
    days = [dt.date(edition.year, 6, 14) + dt.timedelta(days=d) for d in range(10)]
    for m in Member.objects.filter(edition=edition, kind=Member.Kind.PANELIST):
        m.available_days = [d.isoformat() for d in days if rng.random() < 0.85]
        m.save(update_fields=["available_days"])
    services.build_schedule(
        user=ministry, edition=edition, days=days, rooms=rooms, day_start=dt.time(8), tz=WIB,
        link_base="https://zoom.example.id/kipp",
    )  # fmt: skip
    for slot in Slot.objects.filter(edition=edition).select_related("finalist").prefetch_related("panelists"):
        base = float(slot.finalist.desk_points if slot.finalist.desk_points is not None else slot.finalist.desk_score)
        for p in slot.panelists.all():
            services.score_presentation(
                user=p,
                finalist=slot.finalist,
                presentation=f"{_clip(base + rng.gauss(0, 8), 0, 100):.0f}",
                interview=f"{_clip(base + rng.gauss(0, 8), 0, 100):.0f}",
                comment="Paparan runtut; tanya jawab meyakinkan.",
            )

    # 8. Field verification, winners, decree, publication.
    for n, f in enumerate(Finalist.objects.filter(edition=edition, status=Finalist.Status.ACTIVE).order_by("pk")):
        fail = n % 25 == 7
        services.verify(
            user=ministry, finalist=f, passed=not fail,
            notes="Layanan tidak ditemukan berjalan di lokasi." if fail else "Layanan berjalan sesuai proposal.",
        )  # fmt: skip
    winners = services.decide_winners(user=ministry, edition=edition)
    services.record_decree(
        user=ministry, edition=edition,
        number=f"Keputusan MenPANRB Nomor {100 + edition.year % 100} Tahun {edition.year}",
        date=dt.date(edition.year, 9, 10),
    )  # fmt: skip
    services.publish_results(user=ministry, edition=edition, now=dt.datetime(edition.year, 9, 15, 3, tzinfo=dt.UTC))
    stdout.write(f"  {len(winners)} winners published")
