"""A hub admin runs their provincial edition to its winners on KIPP's own pages, mounted under the hub:
from the edition's page they open the ranking and the results, publish the winners, and the public sees
them from the hub's page (in Indonesian, on a phone and on a desktop)."""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import expect

from jipp.competition.evaluation import services
from jipp.competition.evaluation.models import Assignment, Finalist
from jipp.hubs.services.competition import open_provincial_edition
from tests.browser.helpers import login
from tests.factories.evaluation import (
    EvalProposalFactory,
    EvaluatorMemberFactory,
    PanelistMemberFactory,
    edition_2021,
)
from tests.factories.hubs import HubAdminFactory, HubFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def edition_with_winners_decided():
    """A provincial 2021 edition of six entries, reviewed, nominated (Top 3), presented, verified, its
    Top 2 decided and its decree recorded, all through KIPP's services by the hub's admin: only the
    publication is left."""
    edition_2021()  # the national edition of the same year exists
    hub = HubFactory(agency__name="Pemerintah Provinsi Gorontalo")
    admin = HubAdminFactory(username="hub.gorontalo", agency=hub.agency)
    hub.admins.add(admin)
    edition = open_provincial_edition(user=admin, hub=hub, year=2021, name="Kompetisi Inovasi Gorontalo 2021")
    services.update_settings(
        user=admin,
        edition=edition,
        data={
            "finalists_umum": 3, "finalists_khusus": 0, "min_3t": 0, "max_category_share": 1,
            "max_province_share": 1, "passing_grade": 0, "top_umum": 2, "top_outstanding": 0,
        },
    )  # fmt: skip
    titles = ["Layanan KTP keliling", "Posyandu digital", "Sekolah lapang tani", "Antar obat lansia",
              "Perizinan satu hari", "Bank sampah desa"]  # fmt: skip
    for title in titles:
        EvalProposalFactory(edition=edition, title=title)
    for _i in range(4):
        EvaluatorMemberFactory(edition=edition)
    services.run_assignment(edition=edition)
    for a in Assignment.objects.filter(edition=edition).select_related("proposal__group", "evaluator", "edition"):
        scores = {str(c.pk): str(5 + a.proposal_id % 5) for c in services.rubric_of(a.proposal.group)}
        services.save_review(user=a.evaluator, assignment=a, scores=scores, comments={}, submit=True,
                             blind_declared=True)  # fmt: skip
    nomination = services.run_nomination(user=admin, edition=edition)
    services.confirm_nomination(user=admin, nomination=nomination, plenary_record="Rapat pleno tim provinsi")
    panelist = PanelistMemberFactory(edition=edition)
    services.build_schedule(user=admin, edition=edition, days=[dt.date(2021, 6, 14)], rooms=1,
                            day_start=dt.time(8), tz=zoneinfo.ZoneInfo("Asia/Jakarta"))  # fmt: skip
    for f in Finalist.objects.filter(edition=edition):
        services.score_presentation(user=panelist.user, finalist=f, presentation="80", interview="90")
        services.verify(user=admin, finalist=f, passed=True, notes="Sesuai di lapangan.")
    winners = services.decide_winners(user=admin, edition=edition)
    services.record_decree(user=admin, edition=edition, number="Kep. Gubernur 12/2021", date=dt.date(2021, 9, 1))
    return hub, edition, [w.finalist.proposal.title for w in winners]


def test_hub_admin_opens_the_ranking_and_publishes_the_results(page, shot):
    hub, edition, winners = edition_with_winners_decided()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "hub.gorontalo")
    page.goto(f"{page.base_url}/hubs/{hub.pk}/competitions/")
    page.get_by_role("link", name="Kompetisi Inovasi Gorontalo 2021").click()
    expect(page.get_by_role("heading", name="Evaluasi dan hasil")).to_be_visible()
    shot("hub-edition-00-edition-phone")
    page.get_by_role("link", name="Peringkat", exact=True).click()
    expect(page.get_by_role("heading", name="Peringkat hasil evaluasi dokumen")).to_be_visible()
    expect(page.get_by_role("link", name="Layanan KTP keliling")).to_be_visible()
    assert f"/hubs/{hub.pk}/competitions/{edition.pk}/ranking/" in page.url
    shot("hub-edition-01-ranking-phone")
    page.set_viewport_size(DESKTOP)
    shot("hub-edition-02-ranking-desktop")

    page.get_by_role("link", name="Hasil", exact=True).click()
    assert page.url.endswith(f"/hubs/{hub.pk}/competitions/{edition.pk}/results/")
    page.get_by_role("button", name="Umumkan hasil").click()
    expect(page.get_by_text("Hasil diumumkan. Edisi ini dibekukan.")).to_be_visible()
    shot("hub-edition-03-results-desktop")
    page.set_viewport_size(PHONE)
    shot("hub-edition-04-results-phone")

    # The public: the hub's page links to the winners.
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/hubs/{hub.pk}/")
    page.get_by_role("link", name="Kompetisi Inovasi Gorontalo 2021").click()
    for title in winners:
        expect(page.get_by_role("cell", name=title)).to_be_visible()
    shot("hub-edition-05-public-winners-phone")
