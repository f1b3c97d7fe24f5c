import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jipp.registry.exporting import HEADER, csv_chunks, parse_catalogue_params
from jipp.registry.selectors import CatalogueQuery
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory
from tests.factories.registry import InnovationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.registry.urls_data_wired")]


@pytest.fixture
def two_provinces():
    east = ProvinceFactory(code="35", name="Jawa Timur")
    south = ProvinceFactory(code="73", name="Sulawesi Selatan")
    east_unit = ServiceUnitFactory(agency=AgencyFactory(region=RegencyFactory(code="35.01", parent=east)))
    south_unit = ServiceUnitFactory(agency=AgencyFactory(region=RegencyFactory(code="73.01", parent=south)))
    a = InnovationFactory(unit=east_unit, title="Posyandu Digital", categories=["health"], sdgs=[3])
    b = InnovationFactory(unit=east_unit, title="Sekolah Ramah Anak", summary="Pendidikan anak usia dini.")
    c = InnovationFactory(unit=south_unit, title="Klinik Desa")
    draft = InnovationFactory(unit=east_unit, title="Draf Rahasia", draft=True)
    return a, b, c, draft


def rows_of(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_follows_the_catalogue_filters(client, two_provinces):
    a, b, c, draft = two_provinces
    response = client.get(reverse("registry:data_export", kwargs={"fmt": "csv"}), {"province": "35", "sort": "newest"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="inovasi-')
    rows = rows_of(response)
    assert sorted(r["title"] for r in rows) == ["Posyandu Digital", "Sekolah Ramah Anak"]
    posyandu = next(r for r in rows if r["title"] == "Posyandu Digital")
    assert (posyandu["province_code"], posyandu["categories"], posyandu["sdgs"]) == ("35", "health", "3")
    assert list(rows[0]) == HEADER


def test_csv_export_with_search_text(client, two_provinces):
    response = client.get(reverse("registry:data_export", kwargs={"fmt": "csv"}), {"q": "pendidikan"})
    assert [r["title"] for r in rows_of(response)] == ["Sekolah Ramah Anak"]


def test_export_search_with_fts_syntax_is_text(client, two_provinces):
    response = client.get(reverse("registry:data_export", kwargs={"fmt": "csv"}), {"q": '"klinik" OR NEAR(* -'})
    assert response.status_code == 200
    rows_of(response)  # no FTS syntax error while streaming


def test_json_export(client, two_provinces):
    response = client.get(reverse("registry:data_export", kwargs={"fmt": "json"}), {"province": "73"})
    data = json.loads(b"".join(response.streaming_content))
    assert data["query"]["province"] == "73"
    assert [r["title"] for r in data["results"]] == ["Klinik Desa"]


def test_xlsx_export(client, two_provinces):
    response = client.get(reverse("registry:data_export", kwargs={"fmt": "xlsx"}), {"sdg": "3"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [r[1] for r in rows[1:]] == ["Posyandu Digital"]


def test_export_never_includes_drafts(client, two_provinces):
    response = client.get(reverse("registry:data_export", kwargs={"fmt": "csv"}))
    assert "Draf Rahasia" not in {r["title"] for r in rows_of(response)}
    assert len(rows_of(client.get(reverse("registry:data_export", kwargs={"fmt": "csv"})))) == 3


def test_export_bad_filter_is_a_friendly_400(client, two_provinces):
    response = client.get(
        reverse("registry:data_export", kwargs={"fmt": "csv"}),
        {"phase": "moon", "sdg": "99"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<code>phase</code>" in html
    assert "<code>sdg</code>" in html


def test_export_is_capped(two_provinces):
    text = "".join(csv_chunks(CatalogueQuery(sort="newest"), limit=2))
    assert len(list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))) == 3


def test_export_escapes_spreadsheet_formulas(client):
    InnovationFactory(title='=HYPERLINK("http://evil")')
    rows = rows_of(client.get(reverse("registry:data_export", kwargs={"fmt": "csv"})))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'


def test_export_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    unit = ServiceUnitFactory()
    InnovationFactory.create_batch(30, unit=unit, categories=["health"])
    # + tiers (filter choices, labels), awards (index, per chunk); the facet index loads its labels
    # (regions, categories, SDGs) with it, and on SQLite counts the awards for its freshness.
    with django_assert_max_num_queries(14):
        rows = rows_of(client.get(reverse("registry:data_export", kwargs={"fmt": "csv"})))
    assert len(rows) == 30


def test_parse_params_names_every_bad_field(two_provinces):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        parse_catalogue_params(
            {"province": "35.01", "regency": "35", "digital": "maybe", "year": "abc", "sort": "random", "award": "gold"}
        )
    assert set(caught.value.message_dict) == {"province", "regency", "digital", "year", "sort", "award"}
    query = parse_catalogue_params({"province": "35", "regency": "35.01", "digital": "yes", "award": "any"})
    assert (query.province, query.regency, query.digital, query.award) == ("35", "35.01", True, "any")
