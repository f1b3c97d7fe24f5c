import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import jipp.hubs
from jipp.competition import services as kipp
from jipp.competition.evaluation.services import rubric_of, weighted_total
from jipp.competition.models import Edition, Group, Stage
from jipp.hubs.figures import BY_AGENCY, platform_figures
from jipp.hubs.services.competition import carry_to_national, open_provincial_edition
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.competition import complete_proposal, juklak_edition
from tests.factories.hubs import HubAdminFactory, HubFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    national = juklak_edition(2026)
    hub = HubFactory()
    admin = HubAdminFactory(agency=hub.agency)
    provincial = open_provincial_edition(user=admin, hub=hub, year=2026, name="Kompetisi Inovasi Provinsi 2026")
    provincial.is_published = True
    provincial.save()
    Stage.objects.filter(edition=provincial, kind=Stage.Kind.SUBMISSION).update(
        starts_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), ends_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )
    return national, hub, admin, provincial


def _entry(edition):
    upp = UppFactory()
    innovation = InnovationFactory(unit=upp.unit, start_date=dt.date(2020, 1, 1))
    group = edition.groups.get(kind=Group.Kind.UMUM)
    entry = complete_proposal(kipp.start_proposal(user=upp, edition=edition, group=group, innovation=innovation))
    now = timezone.now()
    kipp.submit_to_admin_lokal(user=upp, proposal=entry, now=now)
    return kipp.forward_proposal(user=AdminLokalFactory(agency=entry.agency), proposal=entry, now=now)


def test_provincial_edition_is_a_competition_edition_copied_by_the_kipp_service(setup):
    national, hub, _admin, provincial = setup
    assert (provincial.level, provincial.organiser, provincial.copied_from) == ("provincial", hub.agency, national)
    # KIPP itself still has one edition per year; the provincial one is beside it.
    assert list(Edition.objects.filter(year=2026)) == [national]
    assert Edition.all_editions.filter(year=2026).count() == 2
    national_rubric = [(c.name, c.weight) for c in rubric_of(national.groups.get(kind="umum"))]
    provincial_rubric = [(c.name, c.weight) for c in rubric_of(provincial.groups.get(kind="umum"))]
    assert provincial_rubric == national_rubric
    # Scoring uses the same weighted total as KIPP.
    criteria = rubric_of(provincial.groups.get(kind="umum"))
    top = {str(c.pk): c.scale_max for c in criteria}
    assert weighted_total(criteria, top) == weighted_total(
        rubric_of(national.groups.get(kind="umum")),
        {str(c.pk): c.scale_max for c in rubric_of(national.groups.get(kind="umum"))},
    )


def test_another_hubs_admin_cannot_open_an_edition_for_this_hub(setup):
    _national, hub, _admin, _provincial = setup
    with pytest.raises(PermissionDenied):
        open_provincial_edition(user=HubAdminFactory(), hub=hub, year=2027)


def test_same_year_twice_refused(setup):
    _national, hub, admin, _provincial = setup
    with pytest.raises(ValidationError):
        open_provincial_edition(user=admin, hub=hub, year=2026)


def test_best_entry_carried_into_kipp_with_one_action_that_links(setup):
    national, _hub, admin, provincial = setup
    entry = _entry(provincial)
    draft = carry_to_national(user=admin, entry=entry, national=national)
    entry.refresh_from_db()
    assert entry.carried_into == draft
    assert (draft.edition, draft.innovation, draft.status, draft.created_by) == (
        national,
        entry.innovation,
        "draft",
        entry.created_by,
    )
    texts = {a.section.key: a.text for a in entry.answers.select_related("section")}
    assert {a.section.key: a.text for a in draft.answers.select_related("section")} == texts
    with pytest.raises(ValidationError):
        carry_to_national(user=admin, entry=entry, national=national)


def test_carrying_refused_to_another_hubs_admin_and_for_drafts(setup):
    national, _hub, admin, provincial = setup
    entry = _entry(provincial)
    with pytest.raises(PermissionDenied):
        carry_to_national(user=HubAdminFactory(), entry=entry, national=national)
    upp = UppFactory()
    draft_entry = kipp.start_proposal(
        user=upp,
        edition=provincial,
        group=provincial.groups.get(kind="umum"),
        innovation=InnovationFactory(unit=upp.unit),
    )
    with pytest.raises(ValidationError):
        carry_to_national(user=admin, entry=draft_entry, national=national)


def test_platform_figures_count_only_national_kipp_proposals(setup):
    _national, _hub, _admin, provincial = setup
    entry = _entry(provincial)
    figures = platform_figures(by=BY_AGENCY, ids=[entry.agency_id])[entry.agency_id]
    assert figures.kipp_by_year == {}


def test_hubs_keep_no_copy_of_the_scoring_or_assignment_code():
    source = "\n".join(p.read_text() for p in Path(jipp.hubs.__file__).parent.rglob("*.py"))
    assert ("def weighted_total" in source, "def run_assignment" in source, "class Review(" in source) == (
        False,
        False,
        False,
    )


def test_competitions_page_carries_an_entry_and_forbids_other_hubs(client, setup):
    from django.urls import reverse

    national, hub, admin, provincial = setup
    entry = _entry(provincial)
    client.force_login(HubAdminFactory(agency=HubFactory().agency))
    assert client.get(reverse("hubs:competitions", args=[hub.pk])).status_code == 403
    assert client.post(reverse("hubs:carry", args=[hub.pk, entry.pk])).status_code == 403
    client.force_login(admin)
    response = client.get(reverse("hubs:competitions", args=[hub.pk]))
    assert [p.pk for p in response.context["page"]] == [entry.pk]
    response = client.post(reverse("hubs:carry", args=[hub.pk, entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.carried_into.edition == national
