import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from jipp.accounts.models import Role
from jipp.dashboards.hubs import plan_progress, spoke_rows
from jipp.dashboards.models import AgencyFigures, AreaFigures, Report
from jipp.dashboards.services.refresh import refresh_agencies, refresh_all
from jipp.dashboards.services.reports import build_report, request_report
from jipp.hubs.models import Activity, Cohort, Hub, Spoke, WorkPlan, WorkPlanTarget
from jipp.hubs.services.hubs import create_hub
from jipp.regions.models import Agency
from tests.factories import AgencyFactory, MinistryUserFactory, ServiceUnitFactory, UserFactory
from tests.factories.hubs import CohortFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hubs(world):
    cohort = Cohort.objects.create(year=2024, name="Hub 2024")
    east = Hub.objects.create(
        agency=world["jatim"], kind="province", region=world["east"], cohort=cohort, designated_on=dt.date(2024, 3, 1)
    )
    for agency in (world["sidoarjo"], world["malang"]):
        Spoke.objects.create(hub=east, agency=agency, kind="province", joined_on=dt.date(2024, 3, 1))
    central = Hub.objects.create(agency=world["kudus"], kind="province", region=world["central"], cohort=cohort)
    refresh_all()
    admin = UserFactory(role=Role.HUB_ADMIN, agency=world["jatim"])
    east.admins.add(admin)
    return {"east": east, "central": central, "admin": admin}


def test_hub_figures_are_the_sum_of_its_agencies(hubs, world):
    row = AreaFigures.objects.get(scope="hub", key=str(hubs["east"].pk), year=0)
    assert row.agencies == 3
    assert row.innovations_published == 5  # Sidoarjo 4 + Malang 1 + the province's own 0


def test_a_new_spoke_moves_the_hub_figures_after_a_refresh(hubs, world):
    Spoke.objects.filter(agency=world["malang"]).update(left_on=dt.date(2026, 1, 1))
    refresh_agencies(agency_ids=[hubs["east"].agency_id])
    assert AreaFigures.objects.get(scope="hub", key=str(hubs["east"].pk), year=0).innovations_published == 4


def test_hub_admin_sees_their_hub_and_not_another(client, hubs):
    client.force_login(hubs["admin"])
    response = client.get(reverse("dashboards:hub", args=[hubs["east"].pk]))
    assert response.status_code == 200
    assert [s["agency"].pk for s in response.context["spokes"]][0] == hubs["east"].agency_id
    assert client.get(reverse("dashboards:hub", args=[hubs["central"].pk])).status_code == 403
    assert client.get(f"/api/v1/dashboards/hubs/{hubs['central'].pk}/").status_code == 404
    assert client.get(f"/api/v1/dashboards/hubs/{hubs['east'].pk}/").json()["innovations_published"] == 5


def test_a_province_hubs_table_is_its_agencies_from_the_summary(client, hubs, world):
    rows = spoke_rows(hubs["east"], 2025)
    assert [(r["agency"], r["spoke"], r["is_hub"], r["row"]["innovations_published"]) for r in rows] == [
        (world["jatim"], None, True, 0),
        (world["sidoarjo"], None, False, 4),
        (world["malang"], None, False, 1),
    ]
    now = AgencyFigures.objects.get(agency=world["sidoarjo"], year=0).as_dict()
    assert rows[1]["row"] == {**now, "published_in_year": 0, "proposals": 0}  # 2025: none of Sidoarjo's
    assert rows[2]["row"]["published_in_year"] == 1  # Malang's 2025 innovation
    assert rows[1]["url"] == f"/innovations/?agency={world['sidoarjo'].slug}"
    client.force_login(hubs["admin"])
    spokes = client.get(f"/api/v1/dashboards/hubs/{hubs['east'].pk}/").json()["spokes"]
    assert [(s["kind"], s["agency"], s["unit"], s["innovations_published"]) for s in spokes] == [
        ("agency", "pemprov-jatim", None, 0),
        ("agency", world["sidoarjo"].slug, None, 4),
        ("agency", world["malang"].slug, None, 1),
    ]


def test_mentor_of_the_hub_and_the_ministry_see_it(client, hubs):
    mentor = UserFactory(role=Role.MENTOR)
    hubs["east"].mentors.add(mentor)
    client.force_login(mentor)
    assert client.get(reverse("dashboards:hub", args=[hubs["east"].pk])).status_code == 200
    client.force_login(MinistryUserFactory())
    assert client.get(reverse("dashboards:hub", args=[hubs["central"].pk])).status_code == 200


def test_work_plan_progress_counts_the_year(client, hubs, world):
    plan = WorkPlan.objects.create(hub=hubs["east"], year=2025)
    WorkPlanTarget.objects.create(plan=plan, measure="innovations_created", target=4)
    Activity.objects.create(
        hub=hubs["east"], kind="mentoring", title="Klinik", starts_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 5, 2)
    )
    client.force_login(hubs["admin"])
    response = client.get(reverse("dashboards:hub", args=[hubs["east"].pk]), {"year": "2025"})
    progress = response.context["progress"]
    assert [(p["target"], p["actual"], p["bar"]) for p in progress] == [(4, 1, 25)]  # Malang's 2025 innovation
    assert response.context["activities"] == {2025: {"activities": 1, "attendance": 0}}


def test_hubs_are_marked_on_the_map_and_compared(client, hubs):
    client.force_login(MinistryUserFactory())
    response = client.get(reverse("dashboards:national"))
    marked = {s["code"] for s in response.context["map"]["shapes"] if s["is_hub"]}
    assert marked == {"35", "33"}
    assert response.context["hub_rows"]["hub_count"] == 2
    before_after = {h["code"]: h["since"] for h in response.context["hub_rows"]["before_after"]}
    assert before_after == {"35": 2024, "33": 2024}


def test_hub_report_for_its_admin(client, hubs, django_capture_on_commit_callbacks):
    client.force_login(hubs["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dashboards:report_request"), {"scope": "hub", "key": hubs["east"].pk, "year": "2025"})
    report = Report.objects.get()
    assert (report.scope, report.key, report.status) == ("hub", str(hubs["east"].pk), Report.Status.DONE)
    assert client.get(reverse("dashboards:report_detail", args=[report.public_id])).status_code == 200
    other = UserFactory(role=Role.HUB_ADMIN, agency=hubs["central"].agency)
    client.force_login(other)
    assert client.get(reverse("dashboards:report_detail", args=[report.public_id])).status_code == 403
    response = client.post(
        reverse("dashboards:report_request"), {"scope": "hub", "key": hubs["east"].pk, "year": "2025"}
    )
    assert response.status_code == 403


def test_hub_report_pdf_has_its_sections(hubs):
    import io

    from pypdf import PdfReader

    report, _ = request_report(scope="hub", key=str(hubs["east"].pk), year=2025, language="en")
    report = build_report(report_id=report.pk)
    with report.pdf.open("rb") as handle:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).split())
    assert text.startswith("Hub report Jawa Timur 2025")
    for section in ("Summary", "The map", "Charts", "Tables", "Method notes", "Spokes side by side"):
        assert section in text


def test_writing_a_spoke_refreshes_the_hub(hubs, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        InnovationFactory(unit__agency=world["malang"])
    assert AreaFigures.objects.get(scope="hub", key=str(hubs["east"].pk), year=0).innovations_published == 6


def _hub_rows() -> dict:
    return {(r.key, r.year): r.as_dict() for r in AreaFigures.objects.filter(scope="hub")}


def _published(hub) -> int:
    return AreaFigures.objects.get(scope="hub", key=str(hub.pk), year=0).innovations_published


def test_deleting_a_hub_removes_its_summary_rows_at_once(hubs, django_capture_on_commit_callbacks):
    central = str(hubs["central"].pk)
    assert AreaFigures.objects.filter(scope="hub", key=central).exists()
    with django_capture_on_commit_callbacks(execute=True):
        hubs["central"].delete()
    assert not AreaFigures.objects.filter(scope="hub", key=central).exists()
    incremental = _hub_rows()
    refresh_all()
    assert _hub_rows() == incremental


def test_a_spoke_deleted_or_left_leaves_the_hub_figures_at_once(hubs, world, django_capture_on_commit_callbacks):
    assert _published(hubs["east"]) == 5
    with django_capture_on_commit_callbacks(execute=True):
        Spoke.objects.get(agency=world["malang"]).delete()
    assert _published(hubs["east"]) == 4
    spoke = Spoke.objects.get(agency=world["sidoarjo"])
    spoke.left_on = dt.date(2026, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        spoke.save()
    assert _published(hubs["east"]) == 0
    incremental = _hub_rows()
    refresh_all()
    assert _hub_rows() == incremental


def test_a_spoke_moved_to_another_hub_updates_both(hubs, world, django_capture_on_commit_callbacks):
    spoke = Spoke.objects.get(agency=world["malang"])
    spoke.hub = hubs["central"]
    with django_capture_on_commit_callbacks(execute=True):
        spoke.save()
    assert _published(hubs["east"]) == 4
    assert _published(hubs["central"]) == 2  # Kudus 1 + Malang 1
    incremental = _hub_rows()
    refresh_all()
    assert _hub_rows() == incremental


def test_work_plan_progress_of_a_kl_hub_counts_each_unit_spoke_on_its_own():
    """A K/L hub's spokes are its field offices: a target per office counts that office's work only."""
    agency = AgencyFactory(name="Kementerian Contoh", slug="kementerian-contoh", type=Agency.Type.MINISTRY, region=None)
    aceh, bali = (ServiceUnitFactory(agency=agency, name=f"Kantor Wilayah {n}") for n in ("Aceh", "Bali"))
    hub = create_hub(agency=agency, cohort=CohortFactory(year=2023), designated_on=dt.date(2024, 1, 5))
    InnovationFactory.create_batch(2, unit=aceh, start_date=dt.date(2025, 3, 1))
    InnovationFactory(unit=bali, start_date=dt.date(2025, 4, 1))
    plan = WorkPlan.objects.create(hub=hub, year=2025)
    for unit, target in ((aceh, 4), (bali, 2)):
        WorkPlanTarget.objects.create(
            plan=plan, spoke=hub.spokes.get(unit=unit), measure="innovations_created", target=target
        )
    WorkPlanTarget.objects.create(plan=plan, measure="innovations_created", target=6)
    with translation.override("en"):
        _plan, rows = plan_progress(hub, 2025)
    assert sorted((r["who"], r["target"], r["actual"]) for r in rows) == [
        ("Kantor Wilayah Aceh", 4, 2),
        ("Kantor Wilayah Bali", 2, 1),
        ("Whole hub", 6, 3),
    ]
