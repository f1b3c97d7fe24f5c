"""Demo replications: about 4-5% of the published innovations replicated (some several times, some
abandoned or still under way), with stages, evidence documents and a timeline; the registry's
replication counts are then set through its service. Deterministic for a given rng."""

import datetime as dt
from collections import defaultdict

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from jipp.accounts.models import User
from jipp.institutionalisation.domain.protection import count_adopting_agencies
from jipp.regions.models import Agency, ServiceUnit
from jipp.registry.models import Innovation
from jipp.registry.services import set_replication_count
from jipp.replication.models import Document, Replication, ReplicationSource, StageRecord, TimelineEntry
from jipp.replication.services import STAGE_ORDER, as_record

TODAY = dt.date(2026, 11, 1)  # the registry's demo date
SOURCE_SHARE = 0.045
PILOT_PROVINCES = {"35", "16", "73", "33", "13", "19", "63", "75"}
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
ALL_FATES = ("continuing", "abandoned", "stopped", "ongoing", "declined", "requested")
PROBLEM = "Pelayanan serupa di daerah kami masih lambat dan belum menjangkau warga di desa terpencil."
DIFFERENCES = [
    "Formulir disederhanakan dan layanan ditambah kanal WhatsApp karena jaringan internet di desa terbatas.",
    "Petugas keliling memakai sepeda motor, bukan mobil, menyesuaikan kondisi jalan di wilayah kepulauan.",
    "Aplikasi diintegrasikan dengan sistem informasi desa yang sudah ada, bukan membangun aplikasi baru.",
    "Jadwal layanan disesuaikan dengan hari pasar agar warga tidak perlu datang dua kali.",
    "Pelatihan kader dilakukan dalam bahasa daerah dan melibatkan tokoh agama setempat.",
]
RESULTS = [
    "Waktu layanan turun dari 14 hari menjadi 3 hari; 4.200 warga terlayani pada tahun pertama.",
    "Cakupan layanan naik dari 61% menjadi 88% dalam 18 bulan; pengaduan turun separuhnya.",
    "Biaya perjalanan warga berkurang rata-rata Rp85.000 per layanan; kepuasan masyarakat 86,4.",
    "Seluruh 23 kecamatan kini menjalankan layanan ini dengan anggaran APBD tahun berjalan.",
]
ABANDON_REASONS = [
    "Anggaran pendampingan tidak tersedia setelah perubahan APBD.",
    "Pimpinan unit berganti dan prioritas program berubah.",
    "Infrastruktur jaringan belum memadai untuk aplikasi yang direplikasi.",
]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def seed(*, scale: str, rng, stdout) -> None:
    sources = list(
        Innovation.objects.filter(status=Innovation.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "agency_id", "start_date", "title")
    )
    if not sources:
        return
    units = list(ServiceUnit.objects.filter(agency__region__isnull=False).order_by("pk").values_list("pk", "agency_id"))
    agency_province = {}
    for pk, region_id, parent_id, code in Agency.objects.values_list(
        "pk", "region_id", "region__parent_id", "region__code"
    ):
        agency_province[pk] = (parent_id or region_id, (code or "").split(".")[0])
    pilot_units = [u for u in units if agency_province[u[1]][1] in PILOT_PROVINCES]
    stored = default_storage.save("replication/demo/dokumen-replikasi.pdf", ContentFile(DEMO_PDF))
    users_by_agency = dict(User.objects.filter(agency__isnull=False).order_by("pk").values_list("agency_id", "pk"))

    chosen = [s for s in sources if rng.random() < SOURCE_SHARE]
    # The demo accounts' agency (Sidoarjo) gives and receives a few, so logging in shows both sides.
    sidoarjo = Agency.objects.filter(region__code="35.15").values_list("pk", flat=True).first()
    own = [s for s in sources if s[1] == sidoarjo][:3]
    chosen += [s for s in own if s not in chosen]
    reps, plan = [], []

    def add(source, unit_id, adopter_agency, fate):
        pk, agency_id, start, _title = source
        earliest = max(start or dt.date(2018, 1, 1), dt.date(2018, 1, 1)) + dt.timedelta(days=180)
        span = max((TODAY - earliest).days - 60, 1)
        requested = earliest + dt.timedelta(days=rng.randint(0, span))
        if fate in ("requested", "ongoing"):  # still open: recent
            requested = max(requested, TODAY - dt.timedelta(days=rng.randint(20, 200)))
        plan.append((fate, requested))
        reps.append(
            Replication(
                source_agency_id=agency_id,
                adopter_agency_id=adopter_agency,
                adopter_unit_id=unit_id,
                primary_source_id=pk,
                source_province_id=agency_province.get(agency_id, (None,))[0],
                adopter_province_id=agency_province[adopter_agency][0],
                mode=rng.choice(Replication.Mode.values),
                problem=PROBLEM,
                request_note="Kami bermaksud mereplikasi inovasi ini dan memohon pendampingan dari tim inovator.",
                status={"requested": "requested", "declined": "declined"}.get(fate, "accepted"),
                requested_by_id=users_by_agency.get(adopter_agency),
            )
        )

    for source in chosen:
        copies = _weighted(rng, [(1, 82), (2, 12), (3, 4), (5, 2)])
        adopters = set()
        for _ in range(copies):
            pool = pilot_units if rng.random() < 0.35 and pilot_units else units
            unit_id, adopter_agency = rng.choice(pool)
            if adopter_agency == source[1] or adopter_agency in adopters:
                continue
            adopters.add(adopter_agency)
            fates = [("continuing", 52), ("stopped", 9), ("abandoned", 12), ("ongoing", 17), ("requested", 6),
                     ("declined", 4)]  # fmt: skip
            # The first few take every fate once, so even the small demo shows each kind of record.
            fate = ALL_FATES[len(reps)] if len(reps) < len(ALL_FATES) else _weighted(rng, fates)
            add(source, unit_id, adopter_agency, fate)
    # The demo UPP of Sidoarjo (Dinas Dukcapil) has one request waiting for an answer and one replication
    # of its own under way, so logging in as upp.sidoarjo shows both sides of the flow.
    demo_unit = (
        ServiceUnit.objects.filter(agency_id=sidoarjo, name="Dinas Kependudukan dan Pencatatan Sipil")
        .values_list("pk", flat=True)
        .first()
    )
    others = [s for s in sources if s[1] != sidoarjo]
    if demo_unit and own and others:
        outsider_unit, outsider_agency = next(u for u in units if u[1] != sidoarjo)
        add(own[0], outsider_unit, outsider_agency, "requested")
        add(others[len(others) // 2], demo_unit, sidoarjo, "ongoing")
    Replication.objects.bulk_create(reps, batch_size=1000)
    links, stages, documents, entries = [], [], [], []
    now = timezone.now()
    for rep, (fate, requested) in zip(reps, plan, strict=True):
        links.append(ReplicationSource(replication_id=rep.pk, innovation_id=rep.primary_source_id))
        entries.append(
            TimelineEntry(
                replication_id=rep.pk, at=_at(requested), kind="requested", side="adopter", text=rep.request_note
            )
        )
        documents.append(_doc(rep, "request_letter", "adopter", stored))
        if fate == "requested":
            continue
        answered = requested + dt.timedelta(days=rng.randint(3, 30))
        rep.responded_at = _at(answered)
        if fate == "declined":
            rep.response_note = "Tim inovator sedang mendampingi daerah lain; silakan ajukan kembali tahun depan."
            entries.append(
                TimelineEntry(
                    replication_id=rep.pk, at=_at(answered), kind="declined", side="source", text=rep.response_note
                )
            )
            continue
        rep.response_note = "Dengan senang hati kami dampingi."
        rep.support_notes = "Pendampingan daring dua kali sebulan dan kunjungan lapangan satu kali."
        entries.append(
            TimelineEntry(
                replication_id=rep.pk, at=_at(answered), kind="accepted", side="source", text=rep.response_note
            )
        )
        reach = {"continuing": 5, "stopped": 5, "abandoned": rng.randint(1, 3), "ongoing": rng.randint(1, 4)}[fate]
        day = answered
        for position in range(reach):
            begin = day + dt.timedelta(days=rng.randint(1, 20))
            end = begin + dt.timedelta(days=rng.randint(15, 90))
            last = position == reach - 1
            if end > TODAY or (last and fate == "ongoing"):
                end = None
            stages.append(
                StageRecord(
                    replication_id=rep.pk,
                    stage=STAGE_ORDER[position],
                    started_on=min(begin, TODAY),
                    completed_on=end,
                    notes="",
                )
            )
            day = end or begin
            if day >= TODAY:
                break
        rep.stage = STAGE_ORDER[min(position, reach - 1)]
        if reach >= 2:
            documents.append(_doc(rep, rng.choice(["mou", "pks", "statement_letter"]), "source", stored))
        rep.progress = {"continuing": 100, "stopped": 100, "abandoned": rng.randint(10, 50)}.get(
            fate, rng.randint(20, 80)
        )
        if fate in ("continuing", "stopped") and rep.stage in ("implementation", "evaluation"):
            documents.append(_doc(rep, "implementation_statement", "adopter", stored))
            documents.append(_doc(rep, "evaluation_report", "adopter", stored))
            rep.has_implementation_statement = True
            rep.outcome = "succeeded_continuing" if fate == "continuing" else "succeeded_stopped"
            rep.outcome_reason = "" if fate == "continuing" else rng.choice(ABANDON_REASONS)
            rep.differences = rng.choice(DIFFERENCES)
            rep.results = rng.choice(RESULTS)
            rep.completed_on = min(day, TODAY)
        elif fate == "abandoned":
            rep.outcome, rep.outcome_reason = "abandoned", rng.choice(ABANDON_REASONS)
        if rep.outcome:
            entries.append(
                TimelineEntry(
                    replication_id=rep.pk,
                    at=_at(min(day, TODAY)),
                    kind="outcome",
                    side="adopter",
                    text=rep.outcome_reason,
                )
            )
        rep.is_successful = rep.outcome in ("succeeded_continuing", "succeeded_stopped")
    ReplicationSource.objects.bulk_create(links, batch_size=1000)
    StageRecord.objects.bulk_create(stages, batch_size=1000)
    Document.objects.bulk_create(documents, batch_size=1000)
    TimelineEntry.objects.bulk_create(entries, batch_size=1000)
    Replication.objects.bulk_update(
        reps,
        [
            "responded_at",
            "response_note",
            "support_notes",
            "stage",
            "progress",
            "has_implementation_statement",
            "outcome",
            "outcome_reason",
            "differences",
            "results",
            "completed_on",
            "is_successful",
        ],
        batch_size=500,
    )
    # The registry's denormalised count, through its service (distinct successful adopting agencies).
    records = defaultdict(list)
    owner = {}
    for rep in reps:
        records[rep.primary_source_id].append(as_record(rep) if rep.is_successful else None)
        owner[rep.primary_source_id] = rep.source_agency_id
    replicated = 0
    for innovation_id, recs in records.items():
        count = count_adopting_agencies([r for r in recs if r], source_agency_id=owner[innovation_id])
        if count:
            set_replication_count(innovation_id=innovation_id, count=count)
            replicated += 1
    del now
    successful = sum(r.is_successful for r in reps)
    stdout.write(
        f"  {len(reps):,} replications of {len(records):,} innovations ({successful:,} successful; "
        f"{replicated:,} innovations with adopters)"
    )
    from jipp.replication.tasks import rebuild_matcher_index

    if scale == "small":
        rebuild_matcher_index.call()  # a small index builds in seconds: ready when `make run` serves
    else:
        rebuild_matcher_index.enqueue()


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def _doc(rep, kind, side, stored) -> Document:
    return Document(
        replication_id=rep.pk,
        kind=kind,
        side=side,
        file=stored,
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(DEMO_PDF),
    )
