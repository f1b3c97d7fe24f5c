"""The Ministry opens a selection round, scores two candidates and designates a hub by decree; the hub
admin plans the year and records an activity with spokes; the mentor logs a session; the spoke's
progress page shows it (in Indonesian, on a phone)."""

import pytest
from playwright.sync_api import expect

from jipp.hubs.models import Activity, Hub, WorkPlan
from tests.browser.helpers import login
from tests.factories import AgencyFactory, MinistryUserFactory, ProvinceFactory, RegencyFactory
from tests.factories.hubs import HubAdminFactory, MentorFactory, ProvinceAgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def open_my_hub(page):
    """Through the menu, as a person would on a phone: the toggler, the Hubs group, then My hub."""
    page.locator(".navbar-toggler").click()
    page.locator("#main-nav").get_by_role("button", name="Hub", exact=True).click()
    page.get_by_role("link", name="Hub saya").click()


def test_round_decree_plan_activity_mentor_session_spoke_page(page, shot):
    MinistryUserFactory(username="kementerian", first_name="Sekretariat", last_name="KIPP")
    gorontalo = ProvinceAgencyFactory(
        name="Pemerintah Provinsi Gorontalo", region=ProvinceFactory(code="75", name="Gorontalo")
    )
    ProvinceAgencyFactory(name="Pemerintah Provinsi Bali", region=ProvinceFactory(code="51", name="Bali"))
    boalemo = AgencyFactory(name="Pemerintah Kabupaten Boalemo", region=RegencyFactory(parent=gorontalo.region))
    AgencyFactory(name="Pemerintah Kota Gorontalo", type="city", region=RegencyFactory(parent=gorontalo.region))
    HubAdminFactory(username="hub.gorontalo", agency=gorontalo)
    mentor = MentorFactory(username="mentor.ung", first_name="Rahmat", last_name="Hasan")

    # 1. The Ministry opens a round with two candidates.
    login(page, "kementerian")
    page.goto(f"{page.base_url}/hubs/rounds/new/")
    page.get_by_label("Tahun").fill("2027")
    page.get_by_label("Tujuan").fill("Hub provinsi 2027")
    page.get_by_label("Tambahkan semua pemerintah provinsi sebagai kandidat").uncheck()
    page.get_by_label("Sekretariat KIPP").check()
    shot("hubs-01-round-new")
    page.get_by_role("button", name="Buat putaran").click()
    expect(page.get_by_text("Putaran dibuat.")).to_be_visible()
    for name in ("Pemerintah Provinsi Gorontalo", "Pemerintah Provinsi Bali"):
        page.get_by_label("Instansi").select_option(label=name)
        page.get_by_role("button", name="Tambah", exact=True).click()
        expect(page.get_by_text("Kandidat ditambahkan.")).to_be_visible()
    page.get_by_role("button", name="Buka penilaian").click()
    expect(page.get_by_text("Penilaian dibuka.")).to_be_visible()
    page.get_by_label("Saya menyatakan tidak memiliki konflik kepentingan lain").check()
    page.get_by_role("button", name="Nyatakan", exact=True).click()
    expect(page.get_by_text("Pernyataan dicatat.")).to_be_visible()

    # 2. It scores both candidates; a level is required on every criterion.
    for name, level in (("Pemerintah Provinsi Gorontalo", "5"), ("Pemerintah Provinsi Bali", "3")):
        page.get_by_role("link", name=name).first.click()
        for select in page.locator("select[name^='c']").all():
            select.select_option(level)
        page.get_by_role("button", name="Simpan nilai saya").click()
        expect(page.get_by_text("Nilai untuk")).to_be_visible()
    expect(page.get_by_role("cell", name="100,00")).to_be_visible()
    expect(page.get_by_role("cell", name="60,00")).to_be_visible()
    shot("hubs-02-ranking")

    # 3. A what-if on weights that do not sum to 100 is refused with the sum shown.
    page.get_by_text("Bagaimana jika bobotnya berbeda?").click()
    page.locator("input[name^='w']").first.fill("50")
    page.get_by_role("button", name="Coba").click()
    expect(page.get_by_text("jumlahnya 125%")).to_be_visible()

    # 4. It designates Gorontalo by decree.
    page.locator("#decision").get_by_label("Pemerintah Provinsi Gorontalo").check()
    page.get_by_label("Nomor keputusan").fill("KepmenPANRB 12/2027")
    page.get_by_label("Tanggal keputusan").fill("2026-03-02")
    shot("hubs-03-decision")
    page.get_by_role("button", name="Tetapkan dengan keputusan").click()
    expect(page.get_by_text("Keputusan dicatat")).to_be_visible()
    hub = Hub.objects.get(agency=gorontalo)
    assert (hub.cohort.year, hub.spokes.count()) == (2027, 2)
    hub.mentors.add(mentor)

    # 5. The hub admin plans 2026 and records an activity with a spoke.
    login(page, "hub.gorontalo")
    open_my_hub(page)
    page.get_by_label("Tahun").fill("2026")
    page.get_by_role("button", name="Tampilkan", exact=True).click()
    page.get_by_role("button", name="Susun rencana 2026").click()
    page.get_by_label("Pemerintah Kabupaten Boalemo: Inovasi yang diciptakan").fill("3")
    page.get_by_label("Total: Proposal yang dikirim ke KIPP").fill("5")
    page.get_by_role("button", name="Simpan rencana").click()
    expect(page.get_by_text("Rencana kerja 2026 disimpan.")).to_be_visible()
    assert WorkPlan.objects.get(hub=hub).targets.count() == 2
    page.get_by_role("link", name="Kegiatan", exact=True).click()
    page.get_by_role("link", name="Catat kegiatan").first.click()
    page.get_by_label("Jenis").select_option("coaching_clinic")
    page.get_by_label("Judul").fill("Klinik inovasi Boalemo")
    page.get_by_label("Mulai").fill("2026-04-14")
    page.get_by_label("Selesai").fill("2026-04-14")
    page.get_by_label("Pemerintah Kabupaten Boalemo").check()
    page.get_by_label("Jumlah peserta").fill("35")
    shot("hubs-04-activity")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kegiatan dicatat: Klinik inovasi Boalemo.")).to_be_visible()

    # 6. The mentor logs a session.
    login(page, "mentor.ung")
    open_my_hub(page)
    page.get_by_role("link", name="Catat kegiatan").first.click()
    page.get_by_label("Judul").fill("Sesi pendampingan proposal KIPP")
    page.get_by_label("Mulai").fill("2026-05-06")
    page.get_by_label("Selesai").fill("2026-05-06")
    page.get_by_label("Pemerintah Kabupaten Boalemo").check()
    page.get_by_label("Tindak lanjut").fill("Perbaiki ringkasan proposal")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kegiatan dicatat: Sesi pendampingan proposal KIPP.")).to_be_visible()
    session = Activity.objects.get(title="Sesi pendampingan proposal KIPP")
    assert (session.kind, list(session.mentors.all())) == ("mentoring", [mentor])

    # 7. The spoke's progress page shows the session and the suggested next steps.
    spoke = hub.spokes.get(agency=boalemo)
    page.goto(f"{page.base_url}/hubs/{hub.pk}/spokes/{spoke.pk}/?year=2026")
    expect(page.get_by_text("Sesi pendampingan proposal KIPP")).to_be_visible()
    expect(page.get_by_text("Perbaiki ringkasan proposal")).to_be_visible()
    expect(page.get_by_text("Belum ada inovasi yang dipublikasikan")).to_be_visible()
    shot("hubs-05-spoke-progress")
