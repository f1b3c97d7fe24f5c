"""Demo innovations: a few hundred (small) or 100,000 (national) across all agencies, with
realistic Indonesian titles and texts, yearly continuity updates and attachment metadata."""

import datetime as dt
import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from jipp.core import textgen
from jipp.regions.models import ServiceUnit
from jipp.registry.attachments import render_thumbnail
from jipp.registry.models import Attachment, Category, ContinuityUpdate, Innovation, Sdg
from jipp.registry.search import rebuild_index, search_columns

SECTOR_BY_TOPIC = {
    "kesehatan": ("health", ["health"], [3]),
    "pendidikan": ("education", ["education"], [4]),
    "kependudukan": ("civil_registration", ["governance"], [16]),
    "perizinan": ("licensing", ["economic-growth", "governance"], [8, 16]),
    "desa": ("governance", ["community-empowerment"], [11, 17]),
    "sosial": ("social", ["poverty-reduction", "gender-responsive"], [1, 5, 10]),
    "lingkungan": ("environment", ["environment"], [6, 13, 15]),
    "ekonomi": ("economy", ["economic-growth"], [8, 9]),
    "pertanian": ("agriculture", ["food-security"], [2, 12]),
    "tata kelola": ("governance", ["governance", "law-enforcement"], [16, 17]),
}
SIZES = {"small": 400, "national": 100_000}
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
TODAY = dt.date(2026, 11, 1)  # demo data is fixed in time, so it is the same on every machine


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def seed(*, scale: str, rng, stdout) -> None:
    units = list(ServiceUnit.objects.select_related("agency__region__parent").order_by("pk"))
    if not units:
        return
    categories = {c.code: c for c in Category.objects.all()}
    sdgs = {s.number: s for s in Sdg.objects.all()}
    total = SIZES[scale]
    stored_pdf = default_storage.save("attachments/demo/contoh-dokumen.pdf", ContentFile(DEMO_PDF))
    now = timezone.now()
    batch: list[Innovation] = []
    tags: list[tuple[list[str], list[int]]] = []
    created = 0
    for n in range(total):
        unit = units[n % len(units)] if n < len(units) else rng.choice(units)
        agency = unit.agency
        place = agency.region.name if agency.region else agency.short_name or agency.name
        story = textgen.make_innovation(rng, place, agency=unit.name)
        sector, category_codes, sdg_numbers = SECTOR_BY_TOPIC.get(story.topic.name, ("other", ["governance"], [16]))
        start = TODAY - dt.timedelta(days=rng.randint(60, 365 * 10))
        stage = _weighted(rng, [("in_operation", 70), ("trial", 20), ("initiative", 10)])
        rollout = start + dt.timedelta(days=rng.randint(30, 400)) if stage == "in_operation" else None
        status = _weighted(rng, [("published", 90), ("draft", 8), ("withdrawn", 2)])
        texts = {
            "summary": textgen.paragraph(rng, ("solution", "result"), story, 60),
            "problem": textgen.paragraph(rng, ("problem",), story, 70),
            "solution": textgen.paragraph(rng, ("solution",), story, 80),
            "results": textgen.paragraph(rng, ("result",), story, 60),
        }
        innovation = Innovation(
            unit=unit, agency=agency, agency_type=agency.type, region=agency.region, province=agency.province,
            title=story.title[:250], innovator_type=_weighted(rng, [("team", 70), ("person", 30)]),
            innovators=f"Tim Inovasi {story.acronym}", start_date=start, rollout_date=rollout,
            year_started=start.year, stage=stage,
            phase=_weighted(rng, [("creation", 50), ("development", 35), ("institutionalisation", 15)]),
            form=_weighted(rng, [("public_service", 70), ("governance", 25), ("other", 5)]),
            is_digital=rng.random() < 0.55, initiator=rng.choice(Innovation.Initiator.values), sector=sector,
            beneficiaries=", ".join(rng.sample(story.topic.beneficiaries, 2)),
            budget_source=_weighted(rng, [("apbd", 70), ("apbn", 10), ("apbdes", 8), ("csr", 5), ("none", 7)]),
            contact_name=story.agency, contact_email=f"inovasi{n}@demo.jipp.go.id",
            readiness=_weighted(rng, [("ready", 40), ("with_support", 45), ("not_ready", 15)]),
            prerequisites="SK penetapan inovasi, anggaran operasional, dan petugas terlatih.",
            status=status,
            published_at=now - dt.timedelta(days=rng.randint(0, 1500)) if status == "published" else None,
            category_mask=sum(1 << categories[c].bit for c in category_codes if c in categories),
            sdg_mask=sum(1 << s for s in sdg_numbers),
            **texts,
            **search_columns(title=story.title, texts=list(texts.values())),
        )  # fmt: skip
        batch.append(innovation)
        tags.append((category_codes, sdg_numbers))
        if len(batch) == 2000 or n == total - 1:
            _flush(batch, tags, categories, sdgs, rng, stored_pdf)
            created += len(batch)
            batch, tags = [], []
            if scale == "national" and created % 10_000 == 0:
                stdout.write(f"  {created:,} innovations")
    rebuild_index()
    photos = seed_photos(rng=rng)
    stdout.write(f"  {created:,} innovations with continuity updates and attachments ({photos} with a photo)")


def _flush(batch, tags, categories, sdgs, rng, stored_pdf) -> None:
    Innovation.objects.bulk_create(batch, batch_size=500)
    category_links, sdg_links, updates, attachments = [], [], [], []
    CategoryLink = Innovation.categories.through
    SdgLink = Innovation.sdgs.through
    for innovation, (category_codes, sdg_numbers) in zip(batch, tags, strict=True):
        category_links += [
            CategoryLink(innovation_id=innovation.pk, category_id=categories[c].pk)
            for c in category_codes
            if c in categories
        ]
        sdg_links += [SdgLink(innovation_id=innovation.pk, sdg_id=sdgs[s].pk) for s in sdg_numbers if s in sdgs]
        first_year = max(innovation.start_date.year, 2021)
        status = None
        for year in range(first_year, TODAY.year):
            if rng.random() < 0.85:
                status = _weighted(rng, [("continuing", 62), ("growing", 20), ("stopped", 12), ("dormant", 6)])
                reason = "" if status in ("continuing", "growing") else "Anggaran operasional tidak tersedia tahun ini."
                updates.append(
                    ContinuityUpdate(
                        innovation_id=innovation.pk,
                        year=year,
                        status=status,
                        reason=reason,
                        reported_on=dt.date(year, 12, rng.randint(1, 28)),
                    )
                )
        innovation.continuity = status or ""
        if rng.random() < 0.5:
            attachments.append(
                Attachment(
                    innovation_id=innovation.pk,
                    kind="decree",
                    file=stored_pdf,
                    original_name="SK-Tim-Inovasi.pdf",
                    content_type="application/pdf",
                    size=120,
                )
            )
    CategoryLink.objects.bulk_create(category_links, batch_size=1000)
    SdgLink.objects.bulk_create(sdg_links, batch_size=1000)
    ContinuityUpdate.objects.bulk_create(updates, batch_size=1000)
    Attachment.objects.bulk_create(attachments, batch_size=1000)
    Innovation.objects.bulk_update(batch, ["continuity"], batch_size=1000)


# Demo photos: illustrations drawn here with Pillow (no external files, nothing to license), one per
# innovation for the newest published ones, so the catalogue's first pages show thumbnails.
PHOTO_COUNT = 36
PHOTO_SIZE = (960, 640)
SECTOR_LOOK = {  # sky colour, accent colour, the accent's name (for the alternative text)
    "health": ((206, 232, 244), (200, 40, 60), "merah"),
    "education": ((222, 236, 214), (30, 90, 170), "biru"),
    "civil_registration": ((236, 228, 246), (90, 60, 150), "ungu"),
    "licensing": ((246, 236, 214), (180, 110, 20), "cokelat"),
    "governance": ((220, 230, 240), (11, 79, 138), "biru tua"),
    "social": ((248, 226, 222), (190, 70, 50), "merah bata"),
    "environment": ((214, 240, 226), (30, 130, 70), "hijau"),
    "economy": ((250, 238, 206), (200, 120, 0), "jingga"),
    "agriculture": ((226, 242, 206), (70, 140, 30), "hijau muda"),
    "other": ((232, 232, 232), (80, 80, 80), "abu-abu"),
}


def draw_illustration(rng, sector: str) -> bytes:
    """A simple flat illustration (JPEG) of a public service: sky, sun, hills, a service building
    marked by the sector's accent colour, and a few people. Deterministic for a given `rng`."""
    sky, accent, _colour = SECTOR_LOOK.get(sector, SECTOR_LOOK["other"])
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, sky)
    draw = ImageDraw.Draw(image)
    sun_x = rng.randint(80, width - 80)
    draw.ellipse((sun_x - 48, 50, sun_x + 48, 146), fill=(250, 204, 80))
    for i in range(3):  # hills
        left = rng.randint(-300, width - 200)
        shade = tuple(max(0, c - 40 - 15 * i) for c in (150, 200, 140))
        draw.ellipse((left, 360 - 30 * i, left + rng.randint(500, 800), 760), fill=shade)
    draw.rectangle((0, 520, width, height), fill=(190, 180, 160))  # the street
    # The service building: a body, a roof, windows, a door and the sector's sign.
    left = rng.randint(200, 420)
    body = (left, 280, left + 340, 520)
    draw.rectangle(body, fill=(245, 245, 240), outline=(90, 90, 90), width=3)
    draw.polygon([(left - 30, 285), (left + 170, 190), (left + 370, 285)], fill=accent)
    for column in range(3):
        x = left + 30 + column * 105
        draw.rectangle((x, 320, x + 70, 380), fill=(170, 205, 230), outline=(90, 90, 90), width=2)
    draw.rectangle((left + 140, 420, left + 200, 520), fill=accent)
    sign_x, sign_y = left + 170, 240
    draw.ellipse((sign_x - 26, sign_y - 26, sign_x + 26, sign_y + 26), fill=(255, 255, 255))
    if sector == "health":  # a cross on the clinic
        draw.rectangle((sign_x - 6, sign_y - 18, sign_x + 6, sign_y + 18), fill=accent)
        draw.rectangle((sign_x - 18, sign_y - 6, sign_x + 18, sign_y + 6), fill=accent)
    else:
        draw.ellipse((sign_x - 12, sign_y - 12, sign_x + 12, sign_y + 12), fill=accent)
    # People in front of it.
    for _ in range(rng.randint(3, 6)):
        x = rng.choice([rng.randint(40, left - 40), rng.randint(left + 380, width - 40)])
        shirt = rng.choice([(220, 90, 60), (60, 120, 200), (240, 180, 40), (90, 160, 90), (150, 80, 160)])
        draw.ellipse((x - 16, 430, x + 16, 462), fill=(150, 100, 70))
        draw.rounded_rectangle((x - 22, 466, x + 22, 540), radius=14, fill=shirt)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def seed_photos(*, rng, count: int = PHOTO_COUNT) -> int:
    """Give the `count` newest published innovations a generated photo with alternative text and its
    thumbnail (the catalogue's first pages show them). Returns the number of photos made."""
    newest = Innovation.objects.filter(status=Innovation.Status.PUBLISHED).order_by("-published_at", "-id")[:count]
    photos = []
    for innovation in newest.only("pk", "title", "sector"):
        data = draw_illustration(rng, innovation.sector)
        name = f"attachments/demo/{uuid.UUID(int=rng.getrandbits(128)).hex}.jpg"
        stored = default_storage.save(name, ContentFile(data))
        thumbnail = default_storage.save(
            f"thumbnails/demo/{uuid.UUID(int=rng.getrandbits(128)).hex}.jpg",
            ContentFile(render_thumbnail(io.BytesIO(data))),
        )
        colour = SECTOR_LOOK.get(innovation.sector, SECTOR_LOOK["other"])[2]
        building = "klinik bertanda palang" if innovation.sector == "health" else "gedung layanan"
        photos.append(
            Attachment(
                innovation_id=innovation.pk,
                kind=Attachment.Kind.PHOTO,
                file=stored,
                thumbnail=thumbnail,
                original_name="ilustrasi.jpg",
                content_type="image/jpeg",
                size=len(data),
                alt_text=f"Ilustrasi {innovation.title[:150]}: {building} beratap {colour} dengan warga di depannya",
            )
        )
    Attachment.objects.bulk_create(photos)
    return len(photos)
