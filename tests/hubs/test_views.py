import datetime as dt

import pytest
from django.urls import reverse

from jipp.hubs.models import Activity, Hub, MaturityAssessment, Spoke, WorkPlan
from jipp.institutionalisation.services import refresh_protection
from tests.factories import MinistryUserFactory
from tests.factories.hubs import (
    ActivityFactory,
    HubAdminFactory,
    HubFactory,
    MentorFactory,
    SpokeFactory,
    WorkPlanFactory,
)
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub():
    hub = HubFactory()
    SpokeFactory.create_batch(2, hub=hub)
    return hub


@pytest.fixture
def admin(hub):
    return HubAdminFactory(agency=hub.agency)


@pytest.fixture
def mentor(hub):
    mentor = MentorFactory()
    hub.mentors.add(mentor)
    return mentor


def test_public_list_shows_hubs_without_n_plus_one(client, django_assert_num_queries):
    HubFactory()
    with django_assert_num_queries(3):  # session-less: count, page, cohorts
        client.get(reverse("hubs:list"))
    HubFactory.create_batch(2)
    with django_assert_num_queries(3):
        response = client.get(reverse("hubs:list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 3


def test_public_list_filters_by_cohort_and_exports(client):
    h2020 = HubFactory()
    HubFactory(cohort__year=2021)
    response = client.get(reverse("hubs:list"), {"cohort": "2020"})
    assert [h.pk for h in response.context["page"]] == [h2020.pk]
    csv = client.get(reverse("hubs:list"), {"format": "csv"})
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "id,agency,kind,province_code,cohort,decree_number,status,spokes,real"
    assert len(lines) == 3


def test_hub_page_is_public_and_hides_internal_activities(client, hub):
    ActivityFactory(hub=hub, title="Forum replikasi terbuka", is_public=True)
    ActivityFactory(hub=hub, title="Rapat internal", is_public=False)
    response = client.get(reverse("hubs:detail", args=[hub.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert ("Forum replikasi terbuka" in body, "Rapat internal" in body) == (True, False)


@pytest.mark.parametrize("name", ["hubs:work", "hubs:spokes", "hubs:activity_new"])
def test_other_hubs_admin_and_mentor_get_403(client, hub, name):
    other = HubFactory()
    client.force_login(HubAdminFactory(agency=other.agency))
    assert client.get(reverse(name, args=[hub.pk])).status_code == 403
    outsider = MentorFactory()
    other.mentors.add(outsider)
    client.force_login(outsider)
    assert client.get(reverse(name, args=[hub.pk])).status_code == 403


def test_other_hubs_admin_gets_403_on_plan_maturity_and_spoke(client, hub):
    other = HubFactory()
    client.force_login(HubAdminFactory(agency=other.agency))
    spoke = hub.spokes.first()
    assert client.get(reverse("hubs:plan", args=[hub.pk, 2026])).status_code == 403
    assert client.get(reverse("hubs:maturity", args=[hub.pk, 2026])).status_code == 403
    assert client.get(reverse("hubs:spoke", args=[hub.pk, spoke.pk])).status_code == 403


def test_own_admin_and_mentor_see_the_work_page(client, hub, admin, mentor):
    for user in (admin, mentor, MinistryUserFactory()):
        client.force_login(user)
        response = client.get(reverse("hubs:work", args=[hub.pk]), {"year": "2026"})
        assert response.status_code == 200
        assert len(response.context["data"].rows) == 2


def test_mentor_cannot_change_spokes(client, hub, mentor):
    client.force_login(mentor)
    response = client.post(reverse("hubs:spokes", args=[hub.pk]), {"agency": hub.agency.pk, "joined_on": "2026-01-01"})
    assert response.status_code == 403


def test_mine_redirects_hub_admin_to_their_hub(client, hub, admin):
    client.force_login(admin)
    response = client.get(reverse("hubs:mine"))
    assert response.url == reverse("hubs:work", args=[hub.pk])


def test_work_page_queries_constant_in_spokes(client, hub, admin, django_assert_max_num_queries):
    client.force_login(admin)
    with django_assert_max_num_queries(25) as ctx:
        client.get(reverse("hubs:work", args=[hub.pk]), {"year": "2026"})
    first = len(ctx.captured_queries)
    SpokeFactory.create_batch(3, hub=hub)
    with django_assert_max_num_queries(first):
        response = client.get(reverse("hubs:work", args=[hub.pk]), {"year": "2026"})
    assert len(response.context["data"].rows) == 5


def test_adding_a_spoke_of_another_hub_is_refused_naming_it(client, hub, admin):
    elsewhere = SpokeFactory()
    client.force_login(admin)
    response = client.post(
        reverse("hubs:spokes", args=[hub.pk]), {"agency": elsewhere.agency.pk, "joined_on": "2026-02-01"}
    )
    # The agency is outside this province, so the form does not offer it; a same-province agency in another
    # hub is refused by the service (tested in test_services_hubs).
    assert response.status_code == 200
    assert Spoke.objects.filter(agency=elsewhere.agency).count() == 1


def test_adding_a_spoke_taken_by_another_hub_names_the_hub(client, hub, admin):
    from tests.factories import AgencyFactory, RegencyFactory

    agency = AgencyFactory(region=RegencyFactory(parent=hub.region))
    other = HubFactory()
    Spoke.objects.create(hub=other, agency=agency, kind="province", joined_on=dt.date(2025, 1, 1))
    client.force_login(admin)
    response = client.post(reverse("hubs:spokes", args=[hub.pk]), {"agency": agency.pk, "joined_on": "2026-02-01"})
    assert response.status_code == 200
    assert f"sudah menjadi spoke hub aktif lain: {other.agency}" in response.content.decode()
    assert Spoke.objects.filter(agency=agency).count() == 1


def _activity_post(hub, **extra):
    data = {
        "kind": "coaching_clinic",
        "title": "Klinik inovasi yang saya ketik",
        "starts_on": "2025-12-30",
        "ends_on": "2025-12-30",
        "spokes": [s.pk for s in hub.spokes.all()],
        "attendance": "30",
        "outputs": "Dua ide baru",
        "follow_ups": "Kunjungan ulang",
    }
    data.update(extra)
    return data


def test_activity_outside_plan_year_asks_confirmation_and_keeps_text(client, hub, admin):
    WorkPlanFactory(hub=hub, year=2026)
    client.force_login(admin)
    url = reverse("hubs:activity_new", args=[hub.pk])
    plan = WorkPlan.objects.get(hub=hub)
    response = client.post(url, _activity_post(hub, starts_on="2026-12-30", ends_on="2027-01-02"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Klinik inovasi yang saya ketik" in body
    assert "di luar tahun rencana" in body
    assert Activity.objects.count() == 0
    response = client.post(
        url,
        _activity_post(
            hub, starts_on="2026-12-30", ends_on="2027-01-02", confirm_outside_year="on", confirm_outside_year_asked="1"
        ),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.plan, activity.spokes.count(), activity.recorded_by) == (plan, 2, admin)


def test_mentor_logs_a_session_and_is_its_mentor(client, hub, mentor):
    client.force_login(mentor)
    response = client.post(
        reverse("hubs:activity_new", args=[hub.pk]),
        _activity_post(hub, kind="mentoring", title="Sesi pendampingan", starts_on="2026-04-01", ends_on="2026-04-01"),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.mentors.all()) == [mentor]
    spoke = hub.spokes.first()
    response = client.get(reverse("hubs:spoke", args=[hub.pk, spoke.pk]), {"year": "2026"})
    assert "Sesi pendampingan" in response.content.decode()


def test_spoke_page_suggests_legal_basis_for_proven_innovations(client, hub, admin):
    spoke = hub.spokes.first()
    InnovationFactory.create_batch(3, unit__agency=spoke.agency, award_tier="top99")
    refresh_protection()
    client.force_login(admin)
    response = client.get(reverse("hubs:spoke", args=[hub.pk, spoke.pk]), {"year": "2026"})
    steps = response.context["p"].steps
    assert [(s.code, s.count) for s in steps][:2] == [("legal_basis", 3), ("no_kipp", 0)]
    assert "3 inovasi terbukti belum memiliki payung hukum" in response.content.decode()


def test_plan_targets_saved_and_shown_as_gaps(client, hub, admin):
    client.force_login(admin)
    spoke = hub.spokes.first()
    response = client.post(
        reverse("hubs:plan", args=[hub.pk, 2026]),
        {f"t_{spoke.pk}_innovations_created": "4", "t_total_kipp_proposals": "10", "notes": "Fokus layanan dasar"},
    )
    assert response.status_code == 302
    plan = WorkPlan.objects.get(hub=hub, year=2026)
    assert set(plan.targets.values_list("spoke_id", "measure", "target")) == {
        (spoke.pk, "innovations_created", 4),
        (None, "kipp_proposals", 10),
    }
    response = client.get(reverse("hubs:spoke", args=[hub.pk, spoke.pk]), {"year": "2026"})
    gaps = response.context["p"].gaps
    assert [(g.measure, g.target, g.actual, g.missing) for g in gaps] == [("innovations_created", 4, 0, 4)]


def test_maturity_self_assessment_then_verification_with_reason(client, hub, admin):
    client.force_login(admin)
    url = reverse("hubs:maturity", args=[hub.pk, 2026])
    levels = {f"{a}_level": "5" for a in ("planning", "institutionalisation", "dissemination", "evaluation")}
    response = client.post(url, {**levels, "planning_evidence": "Renja 2026", "action": "submit"})
    assert response.status_code == 302
    assessment = MaturityAssessment.objects.get(hub=hub, year=2026)
    assert assessment.status == "submitted"
    client.force_login(MinistryUserFactory())
    verify = {f"{a}_level": "5" for a in ("planning", "institutionalisation", "dissemination", "evaluation")}
    verify["institutionalisation_level"] = "3"
    response = client.post(url, {**verify, "action": "verify"})
    assert response.status_code == 200
    assert "Berikan alasan untuk mengubah level yang dinyatakan." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    response = client.post(
        url, {**verify, "institutionalisation_reason": "Banyak tanpa payung hukum", "action": "verify"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    row = assessment.aspects.get(aspect="institutionalisation")
    assert (assessment.status, row.declared_level, row.verified_level) == ("verified", 5, 3)


def test_hub_admin_worklist_narrowed_to_the_hubs_spokes(client, hub, admin):
    spoke = hub.spokes.first()
    mine = InnovationFactory(unit__agency=spoke.agency, award_tier="top99")
    InnovationFactory(award_tier="top99")
    refresh_protection()
    client.force_login(admin)
    response = client.get(reverse("institutionalisation:worklist"))
    assert [s.innovation for s in response.context["page"]] == [mine]
    client.force_login(MinistryUserFactory())
    response = client.get(reverse("institutionalisation:worklist"))
    assert response.context["page"].paginator.count == 2


def test_hub_kind_choices_are_stable():
    assert Hub.Kind.values == ["province", "kl"]


def test_round_new_refuses_weights_not_summing_to_100_and_keeps_the_text(client):
    from jipp.hubs.models import SelectionRound

    ministry = MinistryUserFactory()
    client.force_login(ministry)
    assert client.get(reverse("hubs:round_new")).status_code == 200
    data = {
        "year": "2027",
        "purpose": "Tujuan yang saya ketik",
        "kind": "province",
        "members": [ministry.pk],
        "guide": "1: rendah\n5: tinggi",
        "criterion_0": "Komitmen",
        "weight_0": "60",
        "criterion_1": "Potensi",
        "weight_1": "30",
    }
    response = client.post(reverse("hubs:round_new"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "jumlahnya 90%" in body
    assert "Tujuan yang saya ketik" in body
    assert SelectionRound.objects.count() == 0
    data["weight_1"] = "40"
    response = client.post(reverse("hubs:round_new"), data)
    round_ = SelectionRound.objects.get()
    assert response.url == reverse("hubs:round", args=[round_.pk])
    assert [(c.name, c.weight, c.levels) for c in round_.criteria.all()] == [
        ("Komitmen", 60, [1, 5]),
        ("Potensi", 40, [1, 5]),
    ]


def test_round_page_and_candidate_page_render_for_the_ministry(client):
    from decimal import Decimal

    from jipp.hubs.history import GUIDE
    from jipp.hubs.services.selection import add_candidate, create_round
    from tests.factories.hubs import ProvinceAgencyFactory

    ministry = MinistryUserFactory()
    round_ = create_round(
        year=2027, purpose="x", kind="province", criteria=[("a", Decimal(100), GUIDE)], members=[ministry]
    )
    candidate = add_candidate(round_=round_, agency=ProvinceAgencyFactory())
    client.force_login(ministry)
    assert client.get(reverse("hubs:round", args=[round_.pk])).status_code == 200
    response = client.get(reverse("hubs:round", args=[round_.pk]), {f"w{round_.criteria.get().pk}": "90"})
    assert "jumlahnya 90%" in response.content.decode()
    assert client.get(reverse("hubs:candidate", args=[round_.pk, candidate.pk])).status_code == 200
    client.force_login(HubAdminFactory())
    assert client.get(reverse("hubs:round", args=[round_.pk])).status_code == 403


def test_nav_items_per_role(hub, admin, mentor):
    from django.apps import apps

    config = apps.get_app_config("hubs")
    names = lambda user: [item.url_name for item in config.nav_items(user)]  # noqa: E731
    from django.contrib.auth.models import AnonymousUser

    assert names(AnonymousUser()) == ["hubs:list"]
    assert names(admin) == ["hubs:list", "hubs:mine"]
    assert names(mentor) == ["hubs:list", "hubs:mine"]
    assert names(MinistryUserFactory()) == ["hubs:list", "hubs:rounds", "hubs:maturity_queue"]


def test_scope_for_hub_admin_and_mentor_is_the_hubs_spokes(hub, admin, mentor):
    from jipp.core.scoping import agency_scope
    from jipp.hubs.selectors import spoke_agency_ids

    expected = spoke_agency_ids(hub) | {hub.agency_id}
    assert agency_scope(admin) == expected
    assert agency_scope(mentor) == expected
    assert agency_scope(MinistryUserFactory()) is None


def test_hub_admin_continuity_list_narrowed_to_spokes(client, hub, admin):
    from jipp.registry.models import Innovation

    spoke = hub.spokes.first()
    mine = InnovationFactory(unit__agency=spoke.agency, start_date=dt.date(2020, 1, 1))
    InnovationFactory(start_date=dt.date(2020, 1, 1))
    client.force_login(admin)
    response = client.get(reverse("institutionalisation:continuity_missing"), {"year": "2025"})
    assert response.status_code == 200
    shown = [getattr(row, "pk", None) for row in response.context["page"]]
    assert shown == [mine.pk]
    assert Innovation.objects.count() == 2


def test_ministry_pauses_a_hub_and_others_cannot(client, hub, admin):
    url = reverse("hubs:status", args=[hub.pk])
    client.force_login(admin)
    assert client.post(url, {"status": "paused", "since": "2026-06-01"}).status_code == 403
    client.force_login(MinistryUserFactory())
    assert client.post(url, {"status": "paused", "since": "2026-06-01"}).status_code == 302
    hub.refresh_from_db()
    assert (hub.status, hub.status_since) == ("paused", dt.date(2026, 6, 1))


def test_list_marks_only_a_hub_admins_own_hub(client, hub, admin):
    HubFactory()
    client.force_login(admin)
    assert client.get(reverse("hubs:list")).context["mine"] == {hub.pk}
    client.force_login(MinistryUserFactory())
    assert client.get(reverse("hubs:list")).context["mine"] == set()


def test_round_page_labels_assumed_weights_editable_in_draft_and_fixed_after(client):
    from decimal import Decimal

    from jipp.hubs.history import GUIDE
    from jipp.hubs.services.selection import add_candidate, create_round, open_scoring
    from tests.factories.hubs import ProvinceAgencyFactory

    ministry = MinistryUserFactory()
    round_ = create_round(
        year=2027,
        purpose="Seeded",
        kind="province",
        criteria=[("a", Decimal(50), GUIDE), ("b", Decimal(50), GUIDE)],
        members=[ministry],
        weight_basis="assumed",
    )
    add_candidate(round_=round_, agency=ProvinceAgencyFactory())
    ids = list(round_.criteria.values_list("pk", flat=True))
    client.force_login(ministry)
    body = client.get(reverse("hubs:round", args=[round_.pk])).content.decode()
    assert body.count("bobot sama: sumber menyebut kriterianya, bukan bobotnya") == 2
    assert "Bobot dapat diubah sampai penilaian dibuka" in body
    url = reverse("hubs:round_weights", args=[round_.pk])
    assert client.post(url, {f"w{ids[0]}": "60", f"w{ids[1]}": "40"}).status_code == 302
    assert list(round_.criteria.values_list("weight", "weight_basis")) == [
        (Decimal(60), "declared"),
        (Decimal(40), "declared"),
    ]
    open_scoring(round_=round_)
    body = client.get(reverse("hubs:round", args=[round_.pk])).content.decode()
    assert ("Penilaian sudah dimulai: bobot tidak dapat diubah" in body, "ditetapkan" in body) == (True, True)
    response = client.post(url, {f"w{ids[0]}": "50", f"w{ids[1]}": "50"}, follow=True)
    assert "Penilaian putaran ini sudah dimulai: bobotnya tidak dapat diubah." in response.content.decode()
    assert list(round_.criteria.values_list("weight", flat=True)) == [Decimal(60), Decimal(40)]
