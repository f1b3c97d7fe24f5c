"""Demo hubs: the real cohorts of 2020 and 2021 (marked real), then demo growth to 54 hubs (36 regional
governments and 18 ministries/agencies, cohorts 2023 and 2025, marked demo), with hub admins, mentors,
work plans, activities, maturity assessments over 2024-2026 and selection rounds.

Runs after registry, competition, replication and institutionalisation, so the figures beside the
hubs (innovations, proposals, replications, legal bases) come from their demo data.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from jipp.accounts.models import Role, User
from jipp.hubs.history import GUIDE, LATER_CRITERIA, load_history
from jipp.hubs.models import (
    Activity,
    Candidate,
    Cohort,
    ConflictDeclaration,
    Criterion,
    Decision,
    Hub,
    HubKind,
    MaturityAspect,
    MaturityAssessment,
    Measure,
    Score,
    SelectionRound,
    Spoke,
    WorkPlan,
    WorkPlanTarget,
)
from jipp.hubs.services.hubs import create_hub
from jipp.regions.models import Agency, Region, ServiceUnit

YEARS = (2024, 2025, 2026)
UNIVERSITIES = [
    "Universitas Indonesia",
    "Universitas Gadjah Mada",
    "Universitas Airlangga",
    "Universitas Hasanuddin",
    "Universitas Padjadjaran",
    "Universitas Diponegoro",
    "Universitas Sriwijaya",
    "Universitas Andalas",
    "Universitas Brawijaya",
    "Universitas Lambung Mangkurat",
]
FIRST = ["Andi", "Sri", "Hendra", "Yuni", "Fajar", "Lina", "Joko", "Ratna", "Dimas", "Ayu"]
LAST = ["Kurniawan", "Handayani", "Setiawan", "Permata", "Gunawan", "Maharani", "Siregar", "Tanjung"]
ACTIVITY_TITLES = {
    Activity.Kind.MENTORING: "Pendampingan penyusunan inovasi",
    Activity.Kind.COACHING_CLINIC: "Klinik inovasi pelayanan publik",
    Activity.Kind.FRIPP: "Forum Replikasi Inovasi Pelayanan Publik (FRIPP)",
    Activity.Kind.TRAINING: "Bimbingan teknis penulisan proposal KIPP",
    Activity.Kind.FIELD_VISIT: "Kunjungan lapangan inovasi unggulan",
    Activity.Kind.KAJI_TIRU: "Kaji tiru inovasi Top 45",
}
DEMO_PASSWORD_HASH = None


def _password():
    from jipp.accounts.demo import DEMO_PASSWORD

    global DEMO_PASSWORD_HASH
    if DEMO_PASSWORD_HASH is None:
        DEMO_PASSWORD_HASH = make_password(DEMO_PASSWORD)
    return DEMO_PASSWORD_HASH


def seed(*, scale: str, rng, stdout) -> None:
    if not Agency.objects.filter(type=Agency.Type.PROVINCE).exists():
        return
    history = load_history()
    stdout.write(f"  real cohorts 2020 and 2021: {history.hubs_created} hubs, {history.spokes_created} spokes")
    hubs = _grow(rng)
    _people(rng, hubs)
    _plans_and_activities(rng, hubs)
    _maturity(rng, hubs)
    _rounds(rng)
    stdout.write(
        f"  {Hub.objects.count()} hubs ({Hub.objects.filter(kind='province').count()} regional, "
        f"{Hub.objects.filter(kind='kl').count()} K/L), {Spoke.objects.count()} spokes, "
        f"{Activity.objects.count()} activities"
    )


def _grow(rng) -> list[Hub]:
    """Demo cohorts 2023 (to 34 hubs, 12 of them K/L) and 2025 (to 54: 36 regional + 18 K/L)."""
    taken = set(Hub.objects.values_list("agency_id", flat=True))
    provinces = [
        a for a in Agency.objects.filter(type=Agency.Type.PROVINCE).order_by("region__code") if a.pk not in taken
    ]
    central = [
        a
        for a in Agency.objects.filter(type__in=[Agency.Type.MINISTRY, Agency.Type.AGENCY]).order_by("pk")
        if a.pk not in taken
    ]
    rng.shuffle(provinces)
    plan = {2023: (10, 12), 2025: (14, 6)}
    for year, (n_prov, n_kl) in plan.items():
        cohort, _created = Cohort.objects.get_or_create(
            year=year,
            defaults={
                "name": f"Hub {year} (demo)",
                "decree_number": f"KepmenPANRB {100 + year % 100}/{year} (demo)",
                "decree_date": dt.date(year, 3, 15),
                "is_real": False,
            },
        )
        for agency in provinces[:n_prov]:
            create_hub(agency=agency, cohort=cohort, designated_on=dt.date(year, 3, 15))
        provinces = provinces[n_prov:]
        for agency in central[:n_kl]:
            _field_offices(rng, agency)
            # A K/L hub's default spokes are its own units and field offices.
            create_hub(agency=agency, cohort=cohort, designated_on=dt.date(year, 3, 15))
        central = central[n_kl:]
    hubs = list(Hub.objects.select_related("agency", "cohort").order_by("pk"))
    for hub in hubs:
        if not hub.mentor_university:
            hub.mentor_university = rng.choice(UNIVERSITIES)
    Hub.objects.bulk_update(hubs, ["mentor_university"])
    return hubs


def _field_offices(rng, agency: Agency) -> None:
    """A K/L without units in the demo gets four to eight field offices (kantor wilayah) in provinces."""
    if ServiceUnit.objects.filter(agency=agency, is_unspecified=False).exists():
        return
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    chosen = rng.sample(provinces, min(len(provinces), rng.randint(4, 8)))
    ServiceUnit.objects.bulk_create(
        ServiceUnit(agency=agency, name=f"Kantor Wilayah {province.name} (demo)", region=province)
        for province in chosen
    )


def _people(rng, hubs: list[Hub]) -> None:
    """A hub admin per hub (the demo account hub.jatim for Jawa Timur) and one or two mentors."""
    existing = {u.username: u for u in User.objects.filter(role__in=[Role.HUB_ADMIN, Role.MENTOR])}
    new_users = []
    plan = []
    for hub in hubs:
        code = hub.region.code if hub.region_id else hub.agency.slug[:20]
        admin_name = "hub.jatim" if code == "35" else f"hub.{code}"
        if admin_name not in existing:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            new_users.append(
                User(
                    username=admin_name,
                    role=Role.HUB_ADMIN,
                    agency=hub.agency,
                    first_name=first,
                    last_name=last,
                    password=_password(),
                )
            )
        mentor_names = ["mentor1"] if code == "35" else []
        for i in range(1, rng.randint(1, 2) + 1):
            name = f"mentor.{code}.{i}"
            mentor_names.append(name)
            if name not in existing:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                new_users.append(
                    User(
                        username=name,
                        role=Role.MENTOR,
                        affiliation=hub.mentor_university,
                        first_name=first,
                        last_name=last,
                        home_province=hub.region,
                        password=_password(),
                    )
                )
        plan.append((hub, admin_name, mentor_names))
    User.objects.bulk_create(new_users, ignore_conflicts=True)
    users = {u.username: u for u in User.objects.filter(role__in=[Role.HUB_ADMIN, Role.MENTOR])}
    for hub, admin_name, mentor_names in plan:
        if admin_name in users:
            hub.admins.add(users[admin_name])
        hub.mentors.add(*[users[n] for n in mentor_names if n in users])


def _plans_and_activities(rng, hubs: list[Hub]) -> None:
    spokes_by_hub: dict[int, list[Spoke]] = {}
    for spoke in Spoke.objects.filter(left_on__isnull=True).order_by("pk"):
        spokes_by_hub.setdefault(spoke.hub_id, []).append(spoke)
    mentors_by_hub: dict[int, list[int]] = {}
    for hub_id, user_id in Hub.mentors.through.objects.values_list("hub_id", "user_id"):
        mentors_by_hub.setdefault(hub_id, []).append(user_id)
    targets, activities = [], []
    for hub in hubs:
        spokes = spokes_by_hub.get(hub.pk, [])
        for year in YEARS:
            if year < hub.cohort.year:
                continue
            plan = WorkPlan.objects.create(hub=hub, year=year, notes="Rencana kerja hub (demo)")
            for measure in Measure.values:
                targets.append(WorkPlanTarget(plan=plan, spoke=None, measure=measure, target=rng.randint(5, 40)))
            for spoke in spokes:
                targets.append(
                    WorkPlanTarget(
                        plan=plan, spoke=spoke, measure=Measure.INNOVATIONS_CREATED, target=rng.randint(1, 5)
                    )
                )
                targets.append(
                    WorkPlanTarget(plan=plan, spoke=spoke, measure=Measure.KIPP_PROPOSALS, target=rng.randint(1, 3))
                )
            for _ in range(rng.randint(3, 7)):
                kind = rng.choice(Activity.Kind.values)
                start = dt.date(year, rng.randint(1, 10), rng.randint(1, 28))
                activity = Activity(
                    hub=hub,
                    plan=plan,
                    kind=kind,
                    title=f"{ACTIVITY_TITLES[kind]} {year}",
                    starts_on=start,
                    ends_on=start + dt.timedelta(days=rng.randint(0, 2)),
                    attendance=rng.randint(15, 120),
                    outputs="Daftar ide inovasi dan rencana tindak lanjut per perangkat daerah.",
                    follow_ups="Pendampingan lanjutan dan pemantauan bulan berikutnya.",
                    is_public=kind in (Activity.Kind.FRIPP, Activity.Kind.KAJI_TIRU) or rng.random() < 0.3,
                )
                activities.append(
                    (activity, rng.sample(spokes, min(len(spokes), rng.randint(1, 5))), mentors_by_hub.get(hub.pk, []))
                )
    WorkPlanTarget.objects.bulk_create(targets)
    Activity.objects.bulk_create([a for a, _s, _m in activities])
    spoke_links, mentor_links = [], []
    for activity, spokes, mentors in activities:
        spoke_links += [Activity.spokes.through(activity_id=activity.pk, spoke_id=s.pk) for s in spokes]
        mentor_links += [Activity.mentors.through(activity_id=activity.pk, user_id=m) for m in mentors[:1]]
    Activity.spokes.through.objects.bulk_create(spoke_links)
    Activity.mentors.through.objects.bulk_create(mentor_links)


def _maturity(rng, hubs: list[Hub]) -> None:
    ministry = User.objects.filter(username="kementerian").first()
    rows = []
    for hub in hubs:
        base = rng.randint(1, 3)
        for year in YEARS:
            if year < hub.cohort.year:
                continue
            status = {2024: "verified", 2025: "verified", 2026: rng.choice(["draft", "submitted"])}[year]
            assessment = MaturityAssessment.objects.create(
                hub=hub,
                year=year,
                status=status,
                verified_by=ministry if status == "verified" else None,
            )
            for aspect in MaturityAspect.Aspect.values:
                declared = min(5, base + rng.randint(0, 2) + (year - 2024) // 2)
                verified = max(1, declared - rng.choice([0, 0, 1])) if status == "verified" else None
                rows.append(
                    MaturityAspect(
                        assessment=assessment,
                        aspect=aspect,
                        declared_level=declared,
                        verified_level=verified,
                        evidence="Dokumen pendukung terlampir (demo).",
                        adjust_reason="Bukti belum lengkap (demo)." if verified and verified != declared else "",
                    )
                )
            base = min(5, base + rng.randint(0, 1))
    MaturityAspect.objects.bulk_create(rows)


def _rounds(rng) -> None:
    """A decided demo round for the 2025 cohort and an open 2027 round in scoring."""
    team = []
    for i in (1, 2):
        user, _created = User.objects.get_or_create(
            username=f"tim.seleksi{i}",
            defaults={
                "role": Role.ADMIN_KEMENTERIAN,
                "first_name": "Tim Seleksi",
                "last_name": str(i),
                "agency": Agency.objects.filter(short_name="Kementerian PANRB").first(),
                "password": _password(),
            },
        )
        team.append(user)
    ministry = User.objects.filter(username="kementerian").first()
    if ministry:
        team.insert(0, ministry)
    cohort_2025 = Cohort.objects.filter(year=2025).first()
    for year, status in ((2025, SelectionRound.Status.DECIDED), (2027, SelectionRound.Status.SCORING)):
        round_ = SelectionRound.objects.create(
            year=year,
            purpose=f"Hub provinsi {year} (demo)",
            kind=HubKind.PROVINCE,
            status=status,
            cohort=cohort_2025 if year == 2025 else None,
        )
        round_.members.set(team)
        criteria = [
            Criterion.objects.create(
                round=round_,
                name=name,
                weight=Decimal(w),
                weight_basis=Criterion.WeightBasis.ASSUMED,
                guide=GUIDE,
                position=i,
            )
            for i, (name, w) in enumerate(LATER_CRITERIA)
        ]
        hub_agencies = set(Hub.objects.values_list("agency_id", flat=True))
        pool = list(Agency.objects.filter(type=Agency.Type.PROVINCE).select_related("region").order_by("region__code"))
        if year == 2025:
            designated = set(
                Hub.objects.filter(cohort=cohort_2025, kind="province").values_list("agency_id", flat=True)
            )
            agencies = [a for a in pool if a.pk in designated] + [a for a in pool if a.pk not in hub_agencies][:4]
        else:
            designated = set()
            agencies = [a for a in pool if a.pk not in hub_agencies]
        candidates = Candidate.objects.bulk_create(
            Candidate(round=round_, agency=a, region=a.region, designated=a.pk in designated) for a in agencies
        )
        scores = []
        for member in team:
            ConflictDeclaration.objects.create(round=round_, member=member, statement="Tidak ada konflik (demo).")
            for candidate in candidates:
                if year == 2027 and member != team[0] and rng.random() < 0.5:
                    continue  # scoring still under way
                strong = candidate.designated
                for criterion in criteria:
                    level = min(5, max(1, rng.randint(3, 5) if strong else rng.randint(1, 4)))
                    scores.append(
                        Score(round=round_, member=member, candidate=candidate, criterion=criterion, level=level)
                    )
        Score.objects.bulk_create(scores)
        if year == 2025 and cohort_2025:
            Decision.objects.create(
                round=round_,
                cohort=cohort_2025,
                decree_number=cohort_2025.decree_number,
                decree_date=cohort_2025.decree_date,
                decided_by=ministry,
            )
