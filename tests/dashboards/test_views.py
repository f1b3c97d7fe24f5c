import pytest
from django.urls import reverse

from jipp.registry.models import Innovation
from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory

pytestmark = pytest.mark.django_db


def test_national_dashboard_draws_every_province_as_a_path(client, world):
    response = client.get(reverse("dashboards:national"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<path data-region=") == 38
    assert 'data-region="35"' in html
    assert response.context["nat"]["innovations_published"] == Innovation.objects.filter(status="published").count()


def test_public_sees_a_subset_and_the_ministry_everything(client, world):
    public = client.get(reverse("dashboards:national")).content.decode()
    assert 'value="unprotected_share"' not in public
    assert reverse("institutionalisation:worklist") not in public
    client.force_login(MinistryUserFactory())
    full = client.get(reverse("dashboards:national")).content.decode()
    assert 'value="unprotected_share"' in full
    assert reverse("institutionalisation:worklist") in full


def test_province_values_follow_the_measure(client, world):
    response = client.get(reverse("dashboards:national"), {"measure": "phase_institutionalisation"})
    table = {r["province"].code: r for r in response.context["table"]}
    assert table["35"]["value"] == 1.0
    assert table["35"]["rank"] == 1
    assert table["33"]["value"] == 0.0
    shapes = {s["code"]: s for s in response.context["map"]["shapes"]}
    assert shapes["35"]["url"] == reverse("dashboards:province", args=["35"]) + "?measure=phase_institutionalisation"


def test_unknown_measure_says_so_and_keeps_the_default(client, world):
    response = client.get(reverse("dashboards:national"), {"measure": "bananas", "year": "2031"})
    html = response.content.decode()
    assert response.context["f"].measure.key == "innovations_published"
    assert "bananas" in html
    assert response.context["f"].errors == [
        "There are no figures for 2031 yet; showing all years.",
        "There is no measure called “bananas”; showing published innovations instead.",
    ]


def test_public_cannot_pick_a_ministry_measure(client, world):
    response = client.get(reverse("dashboards:national"), {"measure": "unprotected_share"})
    assert response.context["f"].measure.key == "innovations_published"
    assert len(response.context["f"].errors) == 1


def test_year_with_data_filters_the_yearly_figures(client, world):
    response = client.get(reverse("dashboards:national"), {"measure": "published_in_year", "year": "2025"})
    assert response.context["f"].year == 2025
    assert response.context["nat"]["published_in_year"] == 2


def test_chart_csv_holds_the_chart_data(client, world):
    response = client.get(reverse("dashboards:national"), {"csv": "funnel"})
    body = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert body[0] == "Item,innovations"
    assert body[1:] == ["Created,6.0", "Developed,6.0", "Institutionalised,1.0"]


def test_province_page_ranks_its_regencies_and_links_the_catalogue(client, world):
    response = client.get(reverse("dashboards:province", args=["35"]))
    html = response.content.decode()
    ranked = [(i["region"].code, i["value"], i["rank"]) for i in response.context["ranked"]]
    assert ranked == [("35.15", 4.0, 1), ("35.07", 1.0, 2)]
    assert reverse("registry:catalogue") + "?province=35" in html


def test_unknown_province_is_404(client, world):
    assert client.get(reverse("dashboards:province", args=["99"])).status_code == 404


def test_agency_dashboard_for_its_members_only(client, world):
    url = reverse("dashboards:agency", args=[world["sidoarjo"].slug])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(AdminLokalFactory(agency=world["malang"]))
    assert client.get(url).status_code == 403
    client.force_login(UppFactory(unit__agency=world["sidoarjo"]))
    response = client.get(reverse("dashboards:my_agency"))
    assert response.status_code == 200
    assert response.context["row"]["innovations_published"] == 4
    client.force_login(MinistryUserFactory())
    assert client.get(url).status_code == 200


def test_portal_at_root_shows_live_figures(client, world):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["nat"]["innovations_published"] == 6
    assert reverse("core:home") == "/"
    assert 'name="q"' in response.content.decode()


def test_open_data_lists_the_national_endpoint(client, world):
    html = client.get(reverse("dashboards:open_data")).content.decode()
    assert "/api/v1/dashboards/national/" in html
    assert "CC BY 4.0" in html


def test_national_dashboard_queries_do_not_grow_with_data(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        client.get(reverse("dashboards:national"))


def test_numbers_follow_the_language(world):
    from django.test import Client

    from jipp.dashboards.models import AreaFigures

    AreaFigures.objects.filter(scope="national", year=0).update(innovations_published=12345)
    indonesian = Client().get(reverse("dashboards:national")).content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("dashboards:national")).content.decode()
    assert '<span class="kpi-value">12.345</span>' in indonesian
    assert '<span class="kpi-value">12,345</span>' in english
    assert "Posisi jaringan saat ini" in indonesian


def test_cached_figures_change_with_the_next_refresh(client, world):
    from jipp.dashboards.services.refresh import refresh_agencies
    from tests.factories import ServiceUnitFactory
    from tests.factories.registry import InnovationFactory

    assert client.get(reverse("dashboards:national")).context["nat"]["innovations_published"] == 6
    InnovationFactory(unit=ServiceUnitFactory(agency=world["kudus"]))
    refresh_agencies(agency_ids=[world["kudus"].pk])
    html = client.get(reverse("dashboards:national")).content.decode()
    assert '<span class="kpi-value">7</span>' in html
    assert '<span class="kpi-value">7</span>' in client.get("/").content.decode()


@pytest.mark.parametrize("page", ["national", "province", "agency"])
def test_each_funnel_step_equals_the_catalogue_count_behind_its_link(client, world, page):
    from jipp.dashboards.services.refresh import refresh_all
    from tests.factories import ServiceUnitFactory
    from tests.factories.registry import InnovationFactory

    InnovationFactory(unit=ServiceUnitFactory(agency=world["malang"]), phase="development")
    InnovationFactory(unit=ServiceUnitFactory(agency=world["kudus"]), phase="development")
    refresh_all()
    client.force_login(MinistryUserFactory())
    url = {
        "national": reverse("dashboards:national"),
        "province": reverse("dashboards:province", args=["35"]),
        "agency": reverse("dashboards:agency", args=[world["malang"].slug]),
    }[page]
    funnel = next(c for c in client.get(url).context["charts"] if c.id == "funnel")
    links = [(row["values"][0], row["url"]) for row in funnel.rows]
    assert "phase_min=development" in links[1][1]
    assert "phase_min=institutionalisation" in links[2][1]
    counted = [client.get(link).context["result"].total for _figure, link in links]
    assert [int(figure) for figure, _link in links] == counted
    scope = {"national": {}, "province": {"province__code": "35"}, "agency": {"agency": world["malang"]}}[page]
    developed = Innovation.objects.filter(status="published", phase__in=["development", "institutionalisation"])
    assert counted[1] == developed.filter(**scope).count()
    assert counted[2] == developed.filter(phase="institutionalisation", **scope).count()
