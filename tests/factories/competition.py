"""Factories for the competition.

edition = juklak_edition(2026, deadline=dt.datetime(2026, 3, 15, 16, 59, tzinfo=dt.UTC))
proposal = ProposalFactory(edition=edition)              # a draft in the Umum group, empty answers
complete_proposal(proposal)                              # every section, attachment, SDG, category filled
forwarded_proposal(edition=edition)                      # complete and forwarded (with its snapshot)
"""

import datetime as dt
import importlib
import random

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from jipp.competition import services
from jipp.competition.models import Edition, Group, Proposal, ProposalAnswer, ProposalAttachment, Stage
from jipp.core import textgen
from jipp.core.text import word_count
from jipp.registry.models import Category, Sdg
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.registry import InnovationFactory

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj "
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
FAR_FUTURE = dt.datetime(2099, 12, 31, 16, 59, tzinfo=dt.UTC)

SENTENCES = [
    "Inovasi ini mendekatkan pelayanan kepada warga desa yang jauh dari kantor kecamatan.",
    "Petugas mendatangi rumah warga lanjut usia dan penyandang disabilitas setiap pekan.",
    "Waktu tunggu pelayanan turun dari empat belas hari menjadi dua hari kerja.",
    "Anggaran operasional berasal dari APBD dan dukungan pemerintah desa setempat.",
    "Kolaborasi dengan puskesmas, sekolah dan tokoh masyarakat memperluas jangkauan layanan.",
    "Data penerima manfaat dicatat dalam aplikasi sehingga mudah dipantau setiap bulan.",
    "Pengaduan masyarakat ditindaklanjuti paling lambat tiga hari sejak diterima.",
    "Metode ini sudah dipelajari oleh dua kabupaten tetangga melalui kunjungan kaji tiru.",
]


def answer_text(words: int, seed: int = 0) -> str:
    """A plausible Indonesian answer of about `words` words (seeded: different seeds, different texts)."""
    rng = random.Random(seed)
    story = textgen.make_innovation(rng, "Kabupaten Contoh")
    return textgen.paragraph(rng, ("problem", "solution", "result"), story, words)


def simple_text(words: int, seed: int = 0) -> str:
    """Short stock sentences (shared by every proposal: near-duplicates of each other)."""
    parts, n, i = [], 0, seed
    while True:
        sentence = SENTENCES[i % len(SENTENCES)] + f" Capaian tahun ke-{i + 1} tercatat {17 * (i + seed) % 97} persen."
        if n + len(sentence.split()) > words:
            break
        parts.append(sentence)
        n += len(sentence.split())
        i += 1
    return " ".join(parts)


def _reference_data() -> None:
    """The categories and SDGs a data migration seeds; transactional (browser) tests flush them, so refill."""
    from django.apps import apps

    if not Sdg.objects.exists() or not Category.objects.exists():
        importlib.import_module("jipp.registry.migrations.0003_categories_and_sdgs").forwards(apps, None)


def juklak_edition(year: int = 2026, *, deadline: dt.datetime | None = None, published: bool = True) -> Edition:
    """An edition configured from the 2021 guide, with its submission deadline at `deadline` (aware)."""
    _reference_data()
    edition = services.create_juklak_edition(year=year, is_published=published)
    submission = edition.stages.get(kind=Stage.Kind.SUBMISSION)
    submission.starts_at = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    submission.ends_at = deadline or FAR_FUTURE
    submission.save()
    return edition


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    edition = factory.LazyFunction(lambda: Edition.objects.filter(year=2026).first() or juklak_edition(2026))
    group = factory.LazyAttribute(lambda o: o.edition.groups.get(kind=Group.Kind.UMUM))
    innovation = factory.SubFactory(InnovationFactory, start_date=dt.date(2020, 1, 1))
    unit = factory.SelfAttribute("innovation.unit")
    agency = factory.SelfAttribute("innovation.agency")
    province = factory.SelfAttribute("innovation.province")
    title = factory.SelfAttribute("innovation.title")

    @factory.post_generation
    def answers(obj, create, extracted, **kwargs):
        if create:
            ProposalAnswer.objects.bulk_create(
                [ProposalAnswer(proposal=obj, section=s) for s in obj.group.sections.all()], ignore_conflicts=True
            )


def complete_proposal(proposal: Proposal, *, seed: int = 0) -> Proposal:
    """Fill every section (at 60 % of its limit), attach every required file, set a video, SDG and category."""
    for n, answer in enumerate(proposal.answers.select_related("section")):
        answer.text = answer_text(int(answer.section.max_words * 0.6), seed=seed * 1000 + proposal.pk * 10 + n)
        answer.word_count = word_count(answer.text)
        answer.save()
    for requirement in proposal.group.required_attachments.filter(kind="file"):
        attachment = ProposalAttachment(
            proposal=proposal, requirement=requirement, original_name=f"{requirement.key}.pdf",
            content_type="application/pdf", size=len(PDF),
        )  # fmt: skip
        attachment.file.save(f"{requirement.key}.pdf", ContentFile(PDF), save=False)
        attachment.save()
    proposal.video_url = "https://video.example.go.id/inovasi"
    proposal.save(update_fields=["video_url"])
    proposal.sdgs.set([Sdg.objects.get(number=3)])
    proposal.categories.set([Category.objects.get(code="health")])
    if proposal.group.kind == Group.Kind.REPLIKASI:
        proposal.source_innovations.set([InnovationFactory(award_tier="top99")])
    return proposal


def forwarded_proposal(*, now: dt.datetime | None = None, **kwargs) -> Proposal:
    """A complete proposal taken through the UPP and its Admin Lokal to the Ministry."""
    proposal = complete_proposal(ProposalFactory(**kwargs))
    upp = UppFactory(unit=proposal.unit)
    admin = AdminLokalFactory(agency=proposal.agency)
    now = now or timezone.now()
    services.submit_to_admin_lokal(user=upp, proposal=proposal, now=now)
    return services.forward_proposal(user=admin, proposal=proposal, now=now)
