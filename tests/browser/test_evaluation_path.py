"""One proposal's whole path through KIPP part 2, in the browser at phone width: assigned, scored by
three evaluators (blind), nominated, objected to and the objection resolved, presented, verified,
published, and its certificate verified by the public."""

import re

import pytest
from playwright.sync_api import expect

from jipp.competition.evaluation import services
from jipp.competition.evaluation.models import Assignment, Winner
from jipp.registry.models import Award
from tests.browser.helpers import login
from tests.factories import MinistryUserFactory
from tests.factories.evaluation import EvalProposalFactory, EvaluatorMemberFactory, PanelistMemberFactory, edition_2021

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_proposal_from_assignment_to_verified_certificate(page, shot):
    from django.core.cache import cache

    cache.clear()  # the ranking cache is keyed by ids an earlier test may have used
    page.on("dialog", lambda dialog: dialog.accept())
    base = page.base_url
    edition = edition_2021()
    rules = services.settings_for(edition)
    rules.finalists_umum, rules.finalists_khusus, rules.min_3t = 2, 0, 0
    rules.max_category_share = rules.max_province_share = 1
    rules.passing_grade, rules.top_umum, rules.top_outstanding = 0, 1, 0
    rules.save()
    MinistryUserFactory(username="sekretariat")
    target = EvalProposalFactory(
        title="Klinik Keliling Desa Sehat", answers={"ringkasan": "Ringkasan klinik keliling."}
    )
    others = [EvalProposalFactory() for _ in range(3)]
    evaluators = [EvaluatorMemberFactory(user__username=f"evaluator{i}") for i in range(1, 4)]
    PanelistMemberFactory(user__username="panelis1")
    PanelistMemberFactory(user__username="panelis2")

    # 1. The secretariat runs the assignment (a background task; immediate in tests).
    login(page, "sekretariat")
    page.goto(f"{base}/kipp/evaluation/2021/assignments/")
    page.get_by_role("button", name="Jalankan penugasan").click()
    page.goto(f"{base}/kipp/evaluation/2021/assignments/")
    expect(page.get_by_text("Optimum terbukti")).to_be_visible()
    shot("evaluation-01-assignment")
    assert Assignment.objects.filter(proposal=target).count() == 3

    # 2. Three evaluators score the proposal, blind.
    for n, member in enumerate(evaluators):
        login(page, member.user.username)
        page.goto(f"{base}/kipp/evaluation/reviews/")
        assignment = Assignment.objects.get(proposal=target, evaluator=member.user)
        page.get_by_role("link", name=f"Proposal #{target.pk}").click()
        expect(page.get_by_text("Penilaian tertutup")).to_be_visible()
        expect(page.get_by_text(target.agency.name)).to_have_count(0)
        inputs = page.locator("input[name^=score_]")
        for i in range(inputs.count()):
            inputs.nth(i).fill(str(9 - n % 2))
        if n == 0:
            inputs.nth(0).fill("12")
            page.locator("textarea[name^=comment_]").first.fill("Gagasan kuat dan terukur.")
            page.get_by_role("button", name="Kirim penilaian").click()
            expect(page.get_by_text("harus berupa angka dari 1 sampai 10")).to_be_visible()
            expect(page.locator("textarea[name^=comment_]").first).to_have_value("Gagasan kuat dan terukur.")
            shot("evaluation-02-review-error-kept")
            page.locator("input[name^=score_]").nth(0).fill("9")
            # The level descriptors of the two criteria whose guidance describes levels.
            expect(page.get_by_text("1–3", exact=True)).to_have_count(2)
        if n == 1:  # the draft saves itself while the evaluator types
            page.locator("textarea[name^=comment_]").nth(1).fill("Disimpan otomatis saat mengetik.")
            expect(page.get_by_text("Draf tersimpan otomatis")).to_be_visible()
            assert "Disimpan otomatis" in str(assignment.__class__.objects.get(pk=assignment.pk).review.comments)
        expect(page.get_by_text(target.title)).to_have_count(0)  # named by a neutral code in blind review
        page.get_by_label(re.compile("^Saya menyatakan bahwa saya tidak mencari tahu")).check()
        page.get_by_role("button", name="Kirim penilaian").click()
        expect(page.get_by_text("Terkirim dan terkunci")).to_be_visible()
        if n == 0:
            shot("evaluation-03-review-submitted")
        assert assignment.review.status == "submitted"
    for proposal in others:
        for a in Assignment.objects.filter(proposal=proposal).select_related("proposal__group", "evaluator"):
            scores = {str(c.pk): "6" for c in services.rubric_of(a.proposal.group)}
            services.save_review(
                user=a.evaluator, assignment=a, scores=scores, comments={}, submit=True, blind_declared=True
            )

    # 3. Ranking, nomination and the panel's plenary decision.
    login(page, "sekretariat")
    page.goto(f"{base}/kipp/evaluation/2021/ranking/")
    expect(page.get_by_role("link", name=re.compile("Klinik Keliling Desa Sehat"))).to_be_visible()
    shot("evaluation-04-ranking")
    page.get_by_role("link", name=re.compile("Klinik Keliling Desa Sehat")).click()
    expect(page.get_by_text("Cara nilai dihitung").or_(page.get_by_text("Setiap penilaian"))).to_be_visible()
    shot("evaluation-05-explain")
    page.goto(f"{base}/kipp/evaluation/2021/nomination/")
    page.get_by_role("button", name="Hitung nominasi").click()
    login(page, "panelis1")
    page.goto(f"{base}/kipp/evaluation/2021/nomination/")
    page.get_by_label("Keputusan pleno").fill("Rapat pleno 28 Mei: dua finalis disetujui.")
    page.get_by_role("button", name="Tetapkan finalis").click()
    expect(page.get_by_text("Ditetapkan oleh panel")).to_be_visible()
    shot("evaluation-06-nomination-confirmed")

    # 4. Public scrutiny: published, an objection from the public, resolved, outcome published.
    login(page, "sekretariat")
    page.goto(f"{base}/kipp/evaluation/2021/scrutiny/")
    page.get_by_role("button", name="Umumkan finalis").click()
    page.context.clear_cookies()
    page.goto(f"{base}/kipp/evaluation/2021/finalists/")
    page.get_by_label("Finalis").select_option(label="Klinik Keliling Desa Sehat")
    page.get_by_label("Nama Anda").fill("Andi Wijaya")
    page.get_by_label("Surel atau telepon").fill("andi@example.id")
    page.get_by_label("Alasan keberatan").fill("Klinik hanya datang sebulan sekali, bukan setiap minggu.")
    question = page.get_by_text(re.compile(r"Antispam: berapa \d+ \+ \d+")).inner_text()
    a, b = map(int, re.search(r"(\d+) \+ (\d+)", question).groups())
    page.get_by_label(re.compile("Antispam")).fill(str(a + b))
    shot("evaluation-07-objection-form")
    page.get_by_role("button", name="Kirim keberatan").click()
    expect(page.get_by_text("keberatan Anda tercatat")).to_be_visible()
    login(page, "sekretariat")
    page.goto(f"{base}/kipp/evaluation/2021/scrutiny/")
    page.get_by_label(re.compile("^Keputusan")).select_option("dismissed")
    page.get_by_label("Penyelesaian").fill("Jadwal mingguan terbukti dari log kunjungan.")
    page.get_by_role("button", name="Catat penyelesaian").click()
    page.get_by_label("Hasil uji publik").fill("Satu keberatan diterima dan ditolak setelah klarifikasi.")
    page.get_by_role("button", name="Umumkan hasil uji publik").click()
    expect(page.get_by_text("Jadwal mingguan terbukti")).to_be_visible()
    shot("evaluation-08-objection-resolved")

    # 5. Presentations: the schedule, then a panelist scores.
    page.goto(f"{base}/kipp/evaluation/2021/presentations/")
    page.get_by_label("Hari (YYYY-MM-DD, dipisah koma)").fill("2021-06-14")
    page.get_by_label("Ruang paralel").fill("1")
    page.get_by_role("button", name="Susun jadwal").click()
    expect(page.get_by_text("2 sesi dijadwalkan")).to_be_visible()
    shot("evaluation-09-schedule")
    for panelist in ("panelis1", "panelis2"):
        login(page, panelist)
        page.goto(f"{base}/kipp/evaluation/panel/")
        page.get_by_role("link", name=re.compile("Klinik Keliling")).click()
        page.get_by_label("Presentasi (0-100)").fill("88")
        page.get_by_label("Wawancara (0-100)").fill("92")
        page.get_by_role("button", name="Simpan nilai").click()
        expect(page.get_by_text("Nilai tersimpan")).to_be_visible()
    shot("evaluation-10-panel-scored")
    # The other finalist's panel marks (every finalist needs them before the winners can be decided).
    from jipp.competition.evaluation.models import Finalist, Slot

    for other in Finalist.objects.exclude(proposal=target).select_related("slot"):
        for panelist in Slot.objects.get(finalist=other).panelists.all():
            services.score_presentation(user=panelist, finalist=other, presentation="70", interview="70")

    # 6. Field verification, winners, decree, publication.
    login(page, "sekretariat")
    page.goto(f"{base}/kipp/evaluation/2021/verification/")
    for _ in range(2):
        card = page.locator("section.card").filter(has_not=page.locator(".badge")).first
        card.get_by_label("Hasil").select_option("1")
        card.get_by_label("Catatan").fill("Layanan berjalan sesuai proposal.")
        card.get_by_role("button", name="Catat").click()
    page.goto(f"{base}/kipp/evaluation/2021/results/")
    page.get_by_role("button", name="Hitung pemenang").click()
    page.get_by_label("Nomor keputusan").fill("Keputusan MenPANRB Nomor 91 Tahun 2021")
    page.get_by_label("Tanggal keputusan").fill("2021-09-10")
    page.get_by_role("button", name="Catat keputusan").click()
    page.get_by_role("button", name="Umumkan hasil").click()
    expect(page.get_by_text("Edisi ini dibekukan").first).to_be_visible()
    shot("evaluation-11-published")
    winner = Winner.objects.get(finalist__proposal=target)
    assert Award.objects.get(innovation=target.innovation).decree_number == "Keputusan MenPANRB Nomor 91 Tahun 2021"

    # 7. The public sees the results and verifies the certificate.
    page.context.clear_cookies()
    page.goto(f"{base}/kipp/evaluation/2021/winners/")
    expect(page.get_by_text("Klinik Keliling Desa Sehat")).to_be_visible()
    shot("evaluation-12-public-results")
    response = page.request.get(f"{base}/kipp/evaluation/certificates/{winner.verification_code}.pdf")
    assert response.body().startswith(b"%PDF")
    page.goto(f"{base}/kipp/evaluation/verify/")
    page.get_by_label("Kode verifikasi").fill(winner.verification_code)
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_text("Sertifikat sah")).to_be_visible()
    expect(page.get_by_text("Keputusan MenPANRB Nomor 91 Tahun 2021")).to_be_visible()
    shot("evaluation-13-certificate-verified")

    # 8. The method page documents every number of the edition.
    page.goto(f"{base}/kipp/evaluation/2021/method/")
    expect(page.get_by_role("heading", name=re.compile("Cara setiap angka"))).to_be_visible()
    shot("evaluation-14-method")
