"""Factories for the registry. Innovations get the same derived fields as `services.create_innovation`
(agency, region, province, agency type, year started, masks, stemmed search text).

    InnovationFactory()                       # published, in a new unit
    InnovationFactory(draft=True)             # a draft (status draft, no published_at)
    InnovationFactory(unit=unit, categories=["health"], sdgs=[3])
"""

import datetime as dt

import factory
from django.utils import timezone

from jipp.registry.models import Attachment, Category, ContinuityUpdate, Innovation, Sdg
from jipp.registry.search import search_columns
from jipp.registry.services import TEXT_FIELDS
from tests.factories import ServiceUnitFactory


class InnovationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Innovation
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=Innovation.Status.DRAFT, published_at=None)
        withdrawn = factory.Trait(status=Innovation.Status.WITHDRAWN)

    unit = factory.SubFactory(ServiceUnitFactory)
    agency = factory.SelfAttribute("unit.agency")
    agency_type = factory.SelfAttribute("unit.agency.type")
    region = factory.SelfAttribute("unit.agency.region")
    province = factory.LazyAttribute(lambda o: o.unit.agency.province)
    title = factory.Sequence(lambda n: f"Layanan Kesehatan Keliling {n}")
    summary = "Pelayanan kesehatan keliling untuk warga desa terpencil dengan mobil klinik."
    problem = "Warga desa sulit menjangkau puskesmas karena jarak dan biaya."
    solution = "Mobil klinik mendatangi desa setiap minggu dengan dokter dan bidan."
    results = "Kunjungan pemeriksaan naik dua kali lipat dalam setahun."
    start_date = dt.date(2022, 3, 1)
    year_started = factory.LazyAttribute(lambda o: o.start_date.year if o.start_date else None)
    stage = Innovation.Stage.IN_OPERATION
    phase = Innovation.Phase.DEVELOPMENT
    status = Innovation.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    search_title = factory.LazyAttribute(lambda o: search_columns(title=o.title, texts=[])["search_title"])
    search_body = factory.LazyAttribute(
        lambda o: search_columns(title="", texts=[getattr(o, f, "") for f in TEXT_FIELDS])["search_body"]
    )

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        """Category codes or Category objects; sets the M2M and `category_mask` like the services."""
        if not create or not extracted:
            return
        found = [c if isinstance(c, Category) else Category.objects.get(code=c) for c in extracted]
        obj.categories.set(found)
        obj.category_mask = sum(1 << c.bit for c in found)
        Innovation.objects.filter(pk=obj.pk).update(category_mask=obj.category_mask)

    @factory.post_generation
    def sdgs(obj, create, extracted, **kwargs):
        """SDG numbers or Sdg objects; sets the M2M and `sdg_mask`."""
        if not create or not extracted:
            return
        found = [s if isinstance(s, Sdg) else Sdg.objects.get(number=s) for s in extracted]
        obj.sdgs.set(found)
        obj.sdg_mask = sum(1 << s.number for s in found)
        Innovation.objects.filter(pk=obj.pk).update(sdg_mask=obj.sdg_mask)


class ContinuityUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContinuityUpdate

    innovation = factory.SubFactory(InnovationFactory)
    year = 2025
    status = Innovation.Continuity.CONTINUING
    reported_on = dt.date(2025, 12, 1)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = (  # a valid 1x1 PNG (Pillow decodes it to make the thumbnail)
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xe0\xf6\xef\xfa\x0f\x00\x031\x01\xe42%\xbe0\x00\x00\x00\x00IEND\xaeB`\x82"
)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    innovation = factory.SubFactory(InnovationFactory)
    kind = Attachment.Kind.DOCUMENT
    file = factory.django.FileField(filename="0123abcd.pdf", data=PDF_BYTES)
    original_name = "laporan.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
