"""A hub runs its provincial edition to its winners on KIPP's own evaluation pages, mounted under the hub
(jipp/hubs/edition_pages.py): ranking, nomination, presentations, verification, results and the public
winners page, through the same services as KIPP; KIPP's national pages are unaffected."""

import pytest
from django.urls import reverse

from jipp.competition.evaluation import services
from jipp.competition.evaluation.models import DeskScore, Finalist, Nomination, PanelScore, Winner
from jipp.competition.models import Edition, Proposal
from jipp.hubs.services.competition import open_provincial_edition
from jipp.registry.models import Award
from tests.factories import MinistryUserFactory
from tests.factories.evaluation import (
    EvalProposalFactory,
    EvaluatorMemberFactory,
    PanelistMemberFactory,
    edition_2021,
)
from tests.factories.hubs import HubAdminFactory, HubFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    """The ranking is cached by edition and proposal ids, which a rolled-back test may reuse."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _small_rules(user, edition):
    """Top 3 finalists, Top 2 winners, 70% desk and 30% presentation, no mix rules, set by the hub's
    admin through the same service as KIPP's settings page."""
    services.update_settings(
        user=user,
        edition=edition,
        data={
            "finalists_umum": 3, "finalists_khusus": 0, "min_3t": 0, "max_category_share": 1,
            "max_province_share": 1, "passing_grade": 0, "top_umum": 2, "top_outstanding": 0,
            "desk_weight": 70, "presentation_weight": 30,
        },
    )  # fmt: skip


@pytest.fixture
def world():
    national = edition_2021()
    hub_x, hub_y = HubFactory(), HubFactory()
    admin_x = HubAdminFactory(agency=hub_x.agency)
    hub_x.admins.add(admin_x)
    admin_y = HubAdminFactory(agency=hub_y.agency)
    hub_y.admins.add(admin_y)
    edition = open_provincial_edition(user=admin_x, hub=hub_x, year=2021, name="Kompetisi Inovasi X 2021")
    _small_rules(admin_x, edition)
    entries = [EvalProposalFactory(edition=edition, title=f"Entri provinsi {i}") for i in range(6)]
    for _i in range(4):
        EvaluatorMemberFactory(edition=edition)
    return {
        "national": national,
        "hub_x": hub_x,
        "hub_y": hub_y,
        "admin_x": admin_x,
        "admin_y": admin_y,
        "edition": edition,
        "entries": entries,
    }


def _url(world, name, *args):
    return reverse(f"hubs:edition_{name}", args=[world["hub_x"].pk, world["edition"].pk, *args])


def _review_all(edition):
    """Every evaluator submits every assigned review; entry i gets about 5 + i % 5 on every criterion."""
    from jipp.competition.evaluation.models import Assignment

    for a in Assignment.objects.filter(edition=edition).select_related("proposal__group", "evaluator", "edition"):
        criteria = services.rubric_of(a.proposal.group)
        level = 5 + (a.proposal_id % 5)
        scores = {str(c.pk): str(level) for c in criteria}
        services.save_review(user=a.evaluator, assignment=a, scores=scores, comments={}, submit=True,
                             blind_declared=True)  # fmt: skip


def test_a_provincial_edition_runs_to_its_published_winners_through_the_hub_pages(
    client, world, django_capture_on_commit_callbacks
):
    edition, admin = world["edition"], world["admin_x"]
    hub = world["hub_x"]
    client.force_login(admin)
    # Assignment (KIPP's assignment page, run in the background; immediate in tests), then the reviews.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(world, "assignment_start"))
    assert (response.status_code, response.url) == (302, _url(world, "assignments"))
    _review_all(edition)

    ranking = client.get(_url(world, "ranking"))
    assert ranking.status_code == 200
    assert ranking.context["edition"] == edition
    assert sorted(r["id"] for r in ranking.context["page"]) == sorted(p.pk for p in world["entries"])
    body = ranking.content.decode()
    assert _url(world, "explain", world["entries"][0].pk) in body
    assert "/kipp/evaluation/2021/" not in body  # every link of the edition stays in the hub's URL space
    explain = client.get(_url(world, "explain", world["entries"][0].pk))
    assert (explain.status_code, explain.context["proposal"]) == (200, world["entries"][0])

    # Nomination (the Top 3 under the edition's shares) and its confirmation.
    response = client.post(_url(world, "nomination"), {"action": "run", "note": ""})
    assert (response.status_code, response.url) == (302, _url(world, "nomination"))
    nomination = Nomination.objects.get(edition=edition)
    assert (len(nomination.chosen), nomination.created_by) == (3, admin)
    response = client.post(_url(world, "nomination"), {"plenary_record": "Rapat pleno tim provinsi."})
    assert response.status_code == 302
    finalists = list(Finalist.objects.filter(edition=edition).order_by("pk"))
    assert sorted(f.proposal_id for f in finalists) == sorted(nomination.chosen)

    # Presentations: the schedule on the hub's page; the panelist scores from their own page, as in KIPP.
    panelist = PanelistMemberFactory(edition=edition)
    response = client.post(_url(world, "presentations"), {"days": "2021-06-14", "rooms": 1, "day_start": "08:00"})
    assert (response.status_code, response.url) == (302, _url(world, "presentations"))
    for f in finalists:
        services.score_presentation(user=panelist.user, finalist=f, presentation="80", interview="90")
    assert PanelScore.objects.filter(finalist__edition=edition).count() == 3
    client.force_login(admin)
    for f in finalists:
        response = client.post(
            _url(world, "verification"), {"finalist": f.pk, f"f{f.pk}-passed": "1", f"f{f.pk}-notes": "Sesuai."}
        )
        assert (response.status_code, response.url) == (302, _url(world, "verification"))
    assert Finalist.objects.filter(edition=edition, verification_passed=True).count() == 3

    # Results: winners decided, decree recorded, published.
    anonymous_url = _url(world, "public_results")
    assert client.get(anonymous_url).status_code == 404  # not before publication
    response = client.post(_url(world, "results"), {"action": "winners"})
    assert (response.status_code, response.url) == (302, _url(world, "results"))
    winners = list(Winner.objects.current().filter(edition=edition).order_by("rank"))
    assert len(winners) == 2
    client.post(_url(world, "results"), {"action": "decree", "number": "Kep. Gubernur 12/2021", "date": "2021-09-01"})
    response = client.post(_url(world, "results"), {"action": "publish"})
    assert (response.status_code, response.url) == (302, _url(world, "results"))
    rules = services.settings_for(edition)
    assert (rules.results_published_at is not None, rules.results_decree_number) == (True, "Kep. Gubernur 12/2021")
    assert sorted(
        Proposal.objects.filter(edition=edition, status=Proposal.Status.WINNER).values_list("pk", flat=True)
    ) == sorted(w.finalist.proposal_id for w in winners)
    results_page = client.get(_url(world, "results")).content.decode()
    assert anonymous_url in results_page and "/kipp/evaluation/2021/" not in results_page
    # A provincial win is named by its edition, never as KIPP's, and is not a KIPP award in the registry.
    assert services.award_title(winners[0], 2) == "Top 2 Inovasi Pelayanan Publik Kompetisi Inovasi X 2021"
    certificate = client.get(reverse("evaluation:certificate", args=[winners[0].verification_code]))
    assert (certificate.status_code, certificate["Content-Type"]) == (200, "application/pdf")
    assert Award.objects.filter(innovation__in=[p.innovation for p in world["entries"]]).count() == 0

    # The public sees the published winners, from the hub's page.
    client.logout()
    public = client.get(anonymous_url)
    assert public.status_code == 200
    assert [w.pk for w in public.context["winners"]] == [w.pk for w in winners]
    assert public.context["in_registry"] is False
    hub_page = client.get(reverse("hubs:detail", args=[hub.pk])).content.decode()
    assert anonymous_url in hub_page
    # The public results API: KIPP's winners by default (a hub's 2021 winners are not KIPP 2021's; the
    # year alone cannot tell them apart), the hubs' competitions when asked for, named by edition.
    assert client.get("/api/v1/kipp/results/", {"edition": 2021}).json()["results"] == []
    provincial = client.get("/api/v1/kipp/results/", {"level": "provincial"}).json()["results"]
    assert [(r["id"], r["level"], r["edition_name"]) for r in provincial] == [
        (w.pk, "provincial", "Kompetisi Inovasi X 2021") for w in winners
    ]
    assert client.get("/api/v1/kipp/results/", {"level": "regional"}).status_code == 400
    # National KIPP 2021 is untouched and its year pages still open the national edition.
    ministry = MinistryUserFactory()
    client.force_login(ministry)
    national = client.get(reverse("evaluation:ranking", args=[2021]))
    assert (national.status_code, national.context["edition"]) == (200, world["national"])
    assert client.get(reverse("evaluation:public_results", args=[2021])).status_code == 404
    assert Nomination.objects.filter(edition=world["national"]).count() == 0


def test_national_year_pages_resolve_the_national_edition_when_a_provincial_one_shares_the_year(client, world):
    assert Edition.all_editions.filter(year=2021).count() == 2
    client.force_login(MinistryUserFactory())
    for name in ("overview", "ranking", "nomination", "results"):
        response = client.get(reverse(f"evaluation:{name}", args=[2021]))
        assert (name, response.status_code, response.context["edition"].pk) == (name, 200, world["national"].pk)
    body = client.get(reverse("evaluation:ranking", args=[2021])).content.decode()
    assert (reverse("evaluation:nomination", args=[2021]) in body, "/competitions/" in body) == (True, False)
    method = client.get(reverse("evaluation:method", args=[2021]))
    assert method.context["edition"].pk == world["national"].pk
    # ... and the hub's pages the provincial one.
    response = client.get(_url(world, "ranking"))
    assert (response.status_code, response.context["edition"].pk) == (200, world["edition"].pk)


def test_the_hub_pages_call_the_same_services_as_kipp(client, world, monkeypatch, django_capture_on_commit_callbacks):
    """No second copy: the hub's nomination and results pages call evaluation.services' own functions."""
    calls = []
    for name in ("run_nomination", "decide_winners"):
        original = getattr(services, name)

        def spy(*, _original=original, _name=name, **kwargs):
            calls.append((_name, kwargs["edition"].pk, kwargs["user"].pk))
            return _original(**kwargs)

        monkeypatch.setattr(services, name, spy)
    client.force_login(world["admin_x"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(world, "assignment_start"))
    _review_all(world["edition"])
    client.post(_url(world, "nomination"), {"action": "run", "note": ""})
    client.post(_url(world, "results"), {"action": "winners"})
    edition, admin = world["edition"].pk, world["admin_x"].pk
    assert calls == [("run_nomination", edition, admin), ("decide_winners", edition, admin)]
    # The nomination stored the same desk ranking rows KIPP stores (one per rankable entry).
    assert DeskScore.objects.filter(edition=world["edition"]).count() == 6


def test_a_hub_edition_page_of_another_hub_or_of_kipp_is_refused(client, world):
    hub_x, hub_y, edition, national = world["hub_x"], world["hub_y"], world["edition"], world["national"]
    client.force_login(world["admin_x"])
    # KIPP's edition, or X's edition under Y's address: not X's to open.
    assert client.get(reverse("hubs:edition_ranking", args=[hub_x.pk, national.pk])).status_code == 403
    assert client.get(reverse("hubs:edition_ranking", args=[hub_y.pk, edition.pk])).status_code == 403
    client.force_login(MinistryUserFactory())
    assert client.get(reverse("hubs:edition_ranking", args=[hub_x.pk, national.pk])).status_code == 404
    assert client.get(reverse("hubs:edition_ranking", args=[hub_y.pk, edition.pk])).status_code == 404
    # KIPP's national pages stay the Ministry's.
    client.force_login(world["admin_x"])
    assert client.get(reverse("evaluation:ranking", args=[2021])).status_code == 403
    assert client.get(reverse("hubs:edition_public_results", args=[hub_x.pk, national.pk])).status_code == 404


def test_every_mounted_page_refuses_the_public_and_other_roles(client, world):
    """Anonymous: the sign-in page (secretariat) or 404 (public pages before publication); another hub's
    admin, a mentor of the hub, a UPP and a KIPP panelist: 403 on every secretariat page."""
    from jipp.hubs import edition_pages
    from tests.factories import UppFactory
    from tests.factories.evaluation import PanelistUserFactory
    from tests.factories.hubs import MentorFactory

    args = {"explain": [1], "extra_review": [1], "reassign": [1], "review_reopen": [1], "objection_file": [1],
            "report": ["pdf"]}  # fmt: skip
    secretariat = [_url(world, name, *args.get(name, [])) for _r, _v, name in edition_pages.SECRETARIAT_PAGES]
    public = [_url(world, name) for _r, _v, name in edition_pages.PUBLIC_PAGES]
    got = [(url, client.get(url).status_code, client.get(url).get("Location", "")[:15]) for url in secretariat]
    assert got == [(url, 302, "/accounts/login") for url in secretariat]
    # The finalists and winners once published; the method (how each number is computed) always, as KIPP's.
    assert [(url, client.get(url).status_code) for url in public] == list(zip(public, [404, 404, 200], strict=True))
    mentor = MentorFactory()
    world["hub_x"].mentors.add(mentor)
    for user in (world["admin_y"], mentor, UppFactory(), PanelistUserFactory()):
        client.force_login(user)
        assert [(url, client.get(url).status_code) for url in secretariat] == [(url, 403) for url in secretariat]
        posted = [_url(world, "nomination"), _url(world, "results"), _url(world, "presentations")]
        assert [client.post(url, {"action": "run"}).status_code for url in posted] == [403, 403, 403]
    assert Nomination.objects.count() == 0


def test_a_provincial_evaluator_declares_conflicts_for_the_provincial_edition(client, world):
    """The evaluator's page links each membership to its own edition's declaration (KIPP's by year would
    open the national edition of the same year)."""
    member = EvaluatorMemberFactory(edition=world["edition"])
    other = world["entries"][0].agency
    client.force_login(member.user)
    url = reverse("evaluation:edition_declarations", args=[world["edition"].pk])
    assert url in client.get(reverse("evaluation:my_reviews")).content.decode()
    page = client.get(url)
    assert (page.status_code, page.context["edition"]) == (200, world["edition"])
    response = client.post(url, {"conflict_agencies": [other.pk]})
    assert response.status_code == 302
    assert list(member.conflict_agencies.all()) == [other]
    # Not a member of the national edition of the same year: its page is not theirs.
    assert client.get(reverse("evaluation:declarations", args=[2021])).status_code == 404


def test_downloads_are_named_after_the_edition(client, world):
    """A hub's report and assignment list carry its edition's name, not KIPP's ("kipp-2021-…")."""
    client.force_login(world["admin_x"])
    report = client.get(_url(world, "report", "xlsx"))
    assert report.status_code == 200
    assert report["Content-Disposition"] == 'attachment; filename="kompetisi-inovasi-x-2021-results.xlsx"'
    listing = client.get(_url(world, "assignments_csv"))
    assert listing["Content-Disposition"] == 'attachment; filename="kompetisi-inovasi-x-2021-assignments.csv"'
    client.force_login(MinistryUserFactory())
    national = client.get(reverse("evaluation:report", args=[2021, "xlsx"]))
    assert national["Content-Disposition"] == 'attachment; filename="kipp-2021-results.xlsx"'
