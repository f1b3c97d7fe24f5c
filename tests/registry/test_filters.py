"""One catalogue contract: the HTML catalogue, the API and the exports parse and filter alike."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from jipp.registry.awards import record_award
from jipp.registry.bounds import EARLIEST_YEAR, latest_year
from jipp.registry.filters import PARAMETERS
from jipp.registry.models import Category, Innovation
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(make_innovation):
    east = ProvinceFactory(code="35", name="Jawa Timur")
    west = ProvinceFactory(code="32", name="Jawa Barat")
    sidoarjo = RegencyFactory(parent=east, code="35.15", name="Kabupaten Sidoarjo")
    bogor = RegencyFactory(parent=west, code="32.01", name="Kabupaten Bogor")
    unit_east = ServiceUnitFactory(agency=AgencyFactory(region=sidoarjo, slug="pemkab-sidoarjo"))
    unit_west = ServiceUnitFactory(agency=AgencyFactory(region=bogor, slug="pemkab-bogor"))
    health = Category.objects.get(code="health")
    a = make_innovation("Posyandu Digital", unit=unit_east, stage="in_operation", phase="development",
                        is_digital=True, start_date=dt.date(2019, 2, 1), categories=[health])  # fmt: skip
    b = make_innovation("Sekolah Ramah", unit=unit_west, stage="trial", start_date=dt.date(2021, 6, 1))
    make_innovation("Izin Cepat", unit=unit_east, stage="initiative")
    make_innovation("Perda Layanan", unit=unit_west, stage="in_operation", phase="institutionalisation")
    record_award(innovation=a, year=2021, tier="top45")
    record_award(innovation=b, year=2021, tier="top99")
    return {"a": a, "b": b}


CASES = [
    {"province": "35"}, {"regency": "32.01"}, {"agency": "pemkab-sidoarjo"}, {"agency_type": "regency"},
    {"category": "health"}, {"phase": "development"}, {"phase_min": "development"},
    {"phase_min": "institutionalisation"}, {"phase_min": "creation"}, {"stage": "trial"}, {"digital": "yes"},
    {"digital": "no"},
    {"award": "any"}, {"award": "top45"}, {"award_year": "2021"}, {"award_tier": "top99"},
    {"award_year": "2021", "award_tier": "top45"}, {"year": "2019"}, {"replicated": "no"}, {"legal_basis": "no"},
    {"q": "posyandu"}, {"sort": "newest"}, {"sdg": "3"}, {"continuity": "continuing"},
]  # fmt: skip


def _html_ids(client, params):
    response = client.get(reverse("registry:catalogue"), params)
    assert response.status_code == 200, response.context["form"].errors
    return sorted(i.pk for i in response.context["page"])


def _api_ids(client, params):
    response = client.get("/api/v1/innovations/", params)
    assert response.status_code == 200, response.json()
    return sorted(r["id"] for r in response.json()["results"])


def _export_ids(client, params):
    response = client.get(reverse("registry:data_export", kwargs={"fmt": "json"}), params)
    assert response.status_code == 200
    return sorted(r["id"] for r in json.loads(b"".join(response.streaming_content))["results"])


def test_every_parameter_is_covered_by_a_case():
    assert {name for case in CASES for name in case} == set(PARAMETERS)


@pytest.mark.parametrize("params", CASES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_html_api_and_exports_agree_on_every_filter(client, catalogue, params):
    html, api, export = _html_ids(client, params), _api_ids(client, params), _export_ids(client, params)
    assert html == api == export
    queryset = Innovation.objects.filter(status="published")
    if params == {"award_year": "2021", "award_tier": "top45"}:
        assert html == [catalogue["a"].pk]
    assert len(html) <= queryset.count()


@pytest.mark.parametrize(
    "params",
    [{"province": "99"}, {"regency": "35"}, {"year": str(EARLIEST_YEAR - 1)}, {"award_year": str(latest_year() + 1)},
     {"award_tier": "gold"}, {"digital": "maybe"}, {"phase_min": "final"}, {"sort": "random"}, {"agency": "nobody"}],
)  # fmt: skip
def test_bad_parameters_are_refused_alike(client, catalogue, params):
    name = next(iter(params))
    html = client.get(reverse("registry:catalogue"), params)
    assert html.status_code == 400
    assert list(html.context["form"].errors) == [name]
    assert name in html.content.decode()
    api = client.get("/api/v1/innovations/", params)
    assert (api.status_code, list(api.json())) == (400, [name])
    export = client.get(reverse("registry:data_export", kwargs={"fmt": "json"}), params)
    assert (export.status_code, export["Content-Type"]) == (400, "application/json")
    assert list(export.json()["errors"]) == [name]


def test_phase_min_means_this_phase_or_a_later_one(client, catalogue):
    by_title = dict(Innovation.objects.values_list("title", "pk"))
    developed = sorted([by_title["Posyandu Digital"], by_title["Perda Layanan"]])
    assert _html_ids(client, {"phase_min": "development"}) == developed
    assert _api_ids(client, {"phase_min": "institutionalisation"}) == [by_title["Perda Layanan"]]
    assert len(_export_ids(client, {"phase_min": "creation"})) == Innovation.objects.filter(status="published").count()
    # The SQL path (the filter set's queryset) agrees with the index the pages search.
    from jipp.registry.filters import catalogue_filterset

    assert sorted(catalogue_filterset({"phase_min": "development"}).qs.values_list("pk", flat=True)) == developed


def test_phase_min_facet_counts_each_threshold(client, catalogue):
    facets = client.get(reverse("registry:catalogue")).context["result"].facets
    assert [(v.value, v.count) for v in facets["phase_min"]] == [("development", 2), ("institutionalisation", 1)]


def test_year_bounds_are_the_same_in_filter_form_api_and_import(client, catalogue):
    low = str(EARLIEST_YEAR)
    assert client.get("/api/v1/innovations/", {"year": low}).status_code == 200
    assert client.get(reverse("registry:catalogue"), {"award_year": low}).status_code == 200
    from jipp.registry.forms import InnovationForm

    form = InnovationForm({"title": "T", "summary": "S", "start_date": "1989-12-31"})
    assert "1990" in " ".join(form.errors["start_date"])
