"""Demo KIPP editions: 2025 (closed) and 2026 (open), with proposals in every state and planted copies.

small: 2026 with ~40 proposals (drafts, returned, with the Admin Lokal, forwarded, decided), a few planted
near-duplicates and same titles, screened; 2025 with 20 proposals. national: 2026 with 3,500 proposals
(about 5 % planted near-duplicates, copied with small edits from this edition or from 2025) and 2025 with
3,000 proposals; not screened (run `manage.py screen_edition 2026`). Deterministic for a given rng.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jipp.accounts.models import User
from jipp.competition import services
from jipp.competition.models import (
    Edition,
    Group,
    Proposal,
    ProposalAnswer,
    ProposalAttachment,
    ProposalEvent,
    ProposalSnapshot,
    ScreeningDecision,
    Stage,
)
from jipp.core import textgen
from jipp.core.text import word_count
from jipp.registry.models import Category, Innovation, Sdg
from jipp.registry.search import search_columns

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj "
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
SIZES = {"small": (40, 20), "national": (3500, 3000)}
PLANTED_SHARE = 0.05
EDIT_WORDS = ("layanan", "warga", "program", "kegiatan", "petugas", "daerah", "sistem", "pelaksanaan")

# (stage, start, end) in WIB for the open 2026 edition: submission closes at the end of the year.
STAGES_2026 = [
    ("submission", "2026-09-01T00:00", "2026-12-31T23:59"),
    ("administrative_selection", "2027-01-04T00:00", "2027-01-29T23:59"),
    ("desk_evaluation", "2027-02-01T00:00", "2027-03-31T23:59"),
    ("nomination", "2027-04-05T00:00", "2027-04-16T23:59"),
    ("public_scrutiny", "2027-04-19T00:00", "2027-04-23T23:59"),
    ("presentations", "2027-05-10T00:00", "2027-06-11T23:59"),
    ("field_verification", "2027-06-14T00:00", "2027-07-16T23:59"),
    ("decree", "2027-08-02T00:00", "2027-08-31T23:59"),
]


def _light_edit(rng, text: str, share: float) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = rng.choice(EDIT_WORDS)
    return " ".join(words)


def _sections_for(rng, group: Group, sections, story) -> dict[str, str]:
    if group.kind == Group.Kind.UMUM:
        return textgen.proposal_sections(rng, story, fill=0.85)
    kinds = ("problem", "solution", "result", "adapt", "sustain", "collab")
    return {s.key: textgen.paragraph(rng, (kinds[n % len(kinds)],), story, int(s.max_words * 0.75))
            for n, s in enumerate(sections)}  # fmt: skip


def _ensure_demo_innovation(rng) -> None:
    """The demo UPP (upp.sidoarjo) needs innovations of its own unit to start a proposal from."""
    upp = User.objects.filter(username="upp.sidoarjo").select_related("unit__agency__region").first()
    if upp is None or Innovation.objects.filter(unit=upp.unit).count() >= 2:
        return
    agency = upp.unit.agency
    for title, start in (
        ("Akta Kelahiran Langsung dari Rumah Sakit (Si Akrab)", dt.date(2022, 2, 1)),
        ("Pelayanan Adminduk Keliling Desa (Jemput Bola Dukcapil)", dt.date(2023, 6, 1)),
    ):
        story = textgen.make_innovation(rng, agency.region.name if agency.region else agency.name)
        texts = {
            "summary": textgen.paragraph(rng, ("solution", "result"), story, 60),
            "problem": textgen.paragraph(rng, ("problem",), story, 70),
            "solution": textgen.paragraph(rng, ("solution",), story, 80),
            "results": textgen.paragraph(rng, ("result",), story, 60),
        }
        Innovation.objects.create(
            unit=upp.unit, agency=agency, agency_type=agency.type, region=agency.region, province=agency.province,
            title=title, start_date=start, year_started=start.year, stage="in_operation", status="published",
            published_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), **texts,
            **search_columns(title=title, texts=list(texts.values())),
        )  # fmt: skip


def seed(*, scale: str, rng, stdout) -> None:
    if Edition.objects.filter(year=2026).exists():
        stdout.write("  KIPP 2026 already exists: skipped")
        return
    _ensure_demo_innovation(rng)
    n_current, n_earlier = SIZES[scale]
    innovations = list(
        Innovation.objects.filter(status=Innovation.Status.PUBLISHED)
        .select_related("agency__region")
        .order_by("pk")
        .only("pk", "title", "unit_id", "agency_id", "province_id", "start_date", "award_tier", "summary",
              "agency__name", "agency__region__name", "agency__region__code", "agency__type")
    )  # fmt: skip
    if not innovations:
        return
    stored_pdf = default_storage.save("proposals/demo/contoh-dokumen.pdf", ContentFile(DEMO_PDF))
    categories = list(Category.objects.all())
    sdgs = list(Sdg.objects.all())
    stdout.write("  KIPP 2025 (closed)...")
    earlier = services.create_juklak_edition(year=2025, name="KIPP 2025")
    earlier_texts = _populate(
        edition=earlier, innovations=rng.sample(innovations, min(n_earlier, len(innovations))), rng=rng,
        scale=scale, stored_pdf=stored_pdf, categories=categories, sdgs=sdgs, closed=True, earlier_texts=None,
        stdout=stdout,
    )  # fmt: skip
    stdout.write("  KIPP 2026 (open)...")
    current = services.create_juklak_edition(year=2026, name="KIPP 2026")
    for kind, start, end in STAGES_2026:
        Stage.objects.filter(edition=current, kind=kind).update(
            starts_at=dt.datetime.fromisoformat(start).replace(tzinfo=WIB),
            ends_at=dt.datetime.fromisoformat(end).replace(tzinfo=WIB),
        )
    demo_unit = User.objects.filter(username="upp.sidoarjo").values_list("unit_id", flat=True).first()
    pool = [i for i in innovations if i.unit_id != demo_unit]
    chosen = rng.sample(pool, min(n_current, len(pool)))
    chosen += [i for i in innovations if i.unit_id == demo_unit][:1]
    _populate(
        edition=current, innovations=chosen, rng=rng, scale=scale, stored_pdf=stored_pdf, categories=categories,
        sdgs=sdgs, closed=False, earlier_texts=earlier_texts, stdout=stdout, demo_unit=demo_unit,
    )  # fmt: skip
    if scale == "small":
        run = services.screen_edition(edition=current, workers=1)
        stdout.write(f"  screened KIPP 2026: {run.flags} flags on {run.proposals} proposals")
        ministry = User.objects.filter(username="kementerian").first()
        decided = list(Proposal.objects.filter(edition=current, status="forwarded").order_by("pk"))
        for proposal in decided[:4]:
            _decide(proposal, "pass" if not proposal.flag_count else "fail", ministry)


def _decide(proposal: Proposal, outcome: str, user) -> None:
    reason = (
        "Berkas lengkap dan memenuhi syarat." if outcome == "pass" else "Teks sebagian besar sama dengan usulan lain."
    )
    at = dt.datetime(2027, 1, 10, 3, 0, tzinfo=dt.UTC)
    ScreeningDecision.objects.create(proposal=proposal, outcome=outcome, reason=reason, decided_by=user, decided_at=at)
    proposal.status = "passed_administration" if outcome == "pass" else "failed_administration"
    proposal.decision_reason = reason
    proposal.save(update_fields=["status", "decision_reason"])
    ProposalEvent.objects.create(proposal=proposal, status=proposal.status, note=reason, actor=user, at=at)


def _populate(*, edition, innovations, rng, scale, stored_pdf, categories, sdgs, closed, earlier_texts, stdout,
              demo_unit=None) -> list[dict[str, str]]:  # fmt: skip
    """Create the edition's proposals with answers, attachments, snapshots and events; return their texts."""
    groups = {g.kind: g for g in edition.groups.all()}
    sections = {g.kind: list(g.sections.all()) for g in groups.values()}
    requirements = {g.kind: list(g.required_attachments.filter(kind="file")) for g in groups.values()}
    khusus_agencies = set()
    per_agency = defaultdict(int)
    specs = []
    n = len(innovations)
    n_planted = max(int(n * PLANTED_SHARE), 3) if earlier_texts is not None else 0
    for i, innovation in enumerate(innovations):
        roll = rng.random()
        kind = "umum" if roll < 0.9 else ("replikasi" if roll < 0.97 else "khusus")
        if kind == "khusus":
            khusus_agencies.add(innovation.agency_id)
        group = groups[kind]
        place = innovation.agency.region.name if innovation.agency.region else innovation.agency.name
        story = textgen.make_innovation(rng, place)
        texts = _sections_for(rng, group, sections[kind], story)
        title = innovation.title
        planted = i >= n - n_planted - (1 if demo_unit else 0) and innovation.unit_id != demo_unit
        copy_of = None
        if planted and specs:
            # A copy with small edits of a forwarded proposal of this edition, or of last year's.
            if earlier_texts and rng.random() < 0.4:
                copy_of, source = rng.choice(earlier_texts)
            else:
                candidates = [s for s in specs if s["group"].kind == kind and s["status"] == "forwarded" and
                              s["copy_of"] is None] or [s for s in specs if s["copy_of"] is None]  # fmt: skip
                original = rng.choice(candidates)
                original["status"] = "forwarded"
                copy_of, source = original, original["texts"]
            texts = {key: _light_edit(rng, source.get(key, texts.get(key, "")), rng.uniform(0.05, 0.15)) or texts[key]
                     for key in texts}  # fmt: skip
            if rng.random() < 0.3:
                title = rng.choice(specs)["title"]  # the same title sent twice
        if closed:
            status = "passed_administration" if rng.random() < 0.75 else "failed_administration"
        elif innovation.unit_id == demo_unit:
            status = "draft"
        else:
            status = rng.choices(["draft", "returned", "with_admin_lokal", "forwarded"], [12, 3, 10, 75])[0]
            if planted:
                status = "forwarded"
        if status not in ("draft", "returned", "with_admin_lokal"):
            per_agency[(innovation.agency_id, kind)] += 1
            quota = group.default_quota
            if quota is not None and per_agency[(innovation.agency_id, kind)] > quota:
                status = "with_admin_lokal"
        if status in ("draft", "returned") and rng.random() < 0.5:
            # An unfinished draft: the last sections are still empty.
            keys = list(texts)
            for key in keys[rng.randint(2, len(keys) - 1) :]:
                texts[key] = ""
        specs.append({"innovation": innovation, "group": group, "texts": texts, "title": title[:250],
                      "status": status, "copy_of": copy_of})  # fmt: skip
    if khusus_agencies:
        groups["khusus"].invited_agencies.add(*khusus_agencies)
    _flush(edition, specs, sections, requirements, rng, stored_pdf, categories, sdgs)
    stdout.write(f"    {len(specs):,} proposals ({n_planted} planted copies)")
    return [(s["pk"], s["texts"]) for s in specs if s["status"] in Proposal.SUBMITTED]


def _source_pk(copy_of) -> int:
    return copy_of["pk"] if isinstance(copy_of, dict) else copy_of


def _flush(edition, specs, sections, requirements, rng, stored_pdf, categories, sdgs) -> None:
    year = edition.year
    base = dt.datetime(year, 2 if year < 2026 else 10, 1, 2, 0, tzinfo=dt.UTC)
    proposals = []
    for spec in specs:
        innovation = spec["innovation"]
        submitted = spec["status"] not in ("draft", "returned")
        forwarded = submitted and spec["status"] != "with_admin_lokal"
        at = base + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 40))
        proposals.append(Proposal(
            edition=edition, group=spec["group"], innovation=innovation, unit_id=innovation.unit_id,
            agency_id=innovation.agency_id, province_id=innovation.province_id, title=spec["title"],
            video_url="https://video.example.go.id/inovasi" if forwarded or rng.random() < 0.5 else "",
            status=spec["status"], version=3, submitted_at=at if submitted else None,
            forwarded_at=at + dt.timedelta(days=3) if forwarded else None,
            return_note="Lengkapi data dukung dan perjelas faktor pembeda." if spec["status"] == "returned" else "",
            decision_reason="Berkas lengkap." if spec["status"] == "passed_administration" else
            ("Umur inovasi belum memenuhi syarat." if spec["status"] == "failed_administration" else ""),
        ))  # fmt: skip
    Proposal.objects.bulk_create(proposals, batch_size=500)
    for proposal, spec in zip(proposals, specs, strict=True):
        spec["pk"] = proposal.pk
    answers, attachments, snapshots, events, links_c, links_s = [], [], [], [], [], []
    CategoryLink, SdgLink = Proposal.categories.through, Proposal.sdgs.through
    for proposal, spec in zip(proposals, specs, strict=True):
        kind = spec["group"].kind
        texts = spec["texts"]
        chosen_categories = rng.sample(categories, 1) if categories else []
        chosen_sdgs = rng.sample(sdgs, 2) if sdgs else []
        links_c += [CategoryLink(proposal_id=proposal.pk, category_id=c.pk) for c in chosen_categories]
        links_s += [SdgLink(proposal_id=proposal.pk, sdg_id=s.pk) for s in chosen_sdgs]
        for section in sections[kind]:
            text = texts.get(section.key, "")
            answers.append(ProposalAnswer(proposal=proposal, section=section, text=text, word_count=word_count(text)))
        complete = all(texts.get(s.key) for s in sections[kind])
        files = requirements[kind] if complete else requirements[kind][:2]
        attachments += [ProposalAttachment(
            proposal=proposal, requirement=r, file=stored_pdf, original_name=f"{r.key}.pdf",
            content_type="application/pdf", size=len(DEMO_PDF)) for r in files]  # fmt: skip
        events.append(ProposalEvent(proposal=proposal, status="draft", at=proposal.submitted_at or base))
        if proposal.submitted_at:
            events.append(ProposalEvent(proposal=proposal, status="with_admin_lokal", at=proposal.submitted_at))
        if proposal.status == "returned":
            events.append(ProposalEvent(proposal=proposal, status="returned", note=proposal.return_note,
                                        at=base + dt.timedelta(days=20)))  # fmt: skip
        if proposal.forwarded_at:
            events.append(ProposalEvent(proposal=proposal, status="forwarded", at=proposal.forwarded_at))
            if proposal.status in ("passed_administration", "failed_administration"):
                events.append(ProposalEvent(proposal=proposal, status=proposal.status, note=proposal.decision_reason,
                                            at=proposal.forwarded_at + dt.timedelta(days=30)))  # fmt: skip
            snapshots.append(ProposalSnapshot(proposal=proposal, taken_at=proposal.forwarded_at, data={
                "edition": {"year": year, "name": edition.name},
                "group": {"kind": kind, "name": spec["group"].name},
                "title": proposal.title, "unit": "", "agency": spec["innovation"].agency.name,
                "innovation": {"id": spec["innovation"].pk, "title": spec["innovation"].title,
                               "start_date": spec["innovation"].start_date.isoformat()
                               if spec["innovation"].start_date else None,
                               "award_tier": spec["innovation"].award_tier},
                "sections": [{"key": s.key, "title": s.title, "title_en": s.title_en, "max_words": s.max_words,
                              "text": texts.get(s.key, ""), "words": word_count(texts.get(s.key, ""))}
                             for s in sections[kind]],
                "attachments": [{"key": r.key, "title": r.title, "file": stored_pdf, "original_name": f"{r.key}.pdf",
                                 "content_type": "application/pdf", "size": len(DEMO_PDF)} for r in files],
                "video_url": proposal.video_url,
                "categories": [{"code": c.code, "name_id": c.name_id, "name_en": c.name_en} for c in chosen_categories],
                "sdgs": [{"number": s.number, "name_id": s.name_id, "name_en": s.name_en} for s in chosen_sdgs],
                "source_innovations": [], "version": proposal.version,
                # Demo only: which proposal this planted copy was made from (for the screening benchmark).
                **({"demo_copy_of": _source_pk(spec["copy_of"])} if spec["copy_of"] is not None else {}),
            }))  # fmt: skip
    ProposalAnswer.objects.bulk_create(answers, batch_size=1000)
    ProposalAttachment.objects.bulk_create(attachments, batch_size=1000)
    ProposalSnapshot.objects.bulk_create(snapshots, batch_size=200)
    ProposalEvent.objects.bulk_create(events, batch_size=1000)
    CategoryLink.objects.bulk_create(links_c, batch_size=1000)
    SdgLink.objects.bulk_create(links_s, batch_size=1000)
