"""Awards as records: tiers per edition, recording, the innovation's summary, the API, the catalogue."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jipp.registry.awards import TierBook, record_award
from jipp.registry.models import Award, AwardTier, Innovation
from tests.factories import MinistryUserFactory, UppFactory

pytestmark = pytest.mark.django_db


def test_kipp_tiers_are_seeded_per_edition():
    book = TierBook()
    assert book.find(year=2014, text="Top 9").code == "top9"
    assert book.find(year=2015, text="TOP 25").code == "top25"
    assert book.find(year=2016, text="top 35").code == "top35"
    assert book.find(year=2017, text="Top 40").code == "top40"
    assert book.find(year=2019, text="Top 45").code == "top45"
    assert book.find(year=2014, text="Top 45") is None
    assert book.find(year=2021, text="Top 5 Outstanding Achievement").kind == AwardTier.Kind.OUTSTANDING
    assert book.find(year=2021, text="Finalis Replikasi").kind == AwardTier.Kind.REPLICATION_FINALIST
    assert book.find(year=2023, text="Terpuji").kind == AwardTier.Kind.COMMENDED
    assert book.find(year=2018, text="Top 99").rank > book.find(year=2018, text="Top 40").rank


def test_innovation_holds_several_awards_and_summary_is_the_best(make_innovation):
    innovation = make_innovation("Si Cantik")
    record_award(innovation=innovation, year=2018, tier="Top 99")
    record_award(innovation=innovation, year=2019, tier="top45", decree_number="KEP/45/2019")
    record_award(innovation=innovation, year=2019, tier="Top 45")  # the same award again: not doubled
    innovation.refresh_from_db()
    assert innovation.award_tier == "top45"
    assert list(innovation.awards.order_by("year").values_list("year", "tier")) == [(2018, "top99"), (2019, "top45")]


def test_unknown_tier_names_the_tiers_of_the_year(make_innovation):
    innovation = make_innovation()
    with pytest.raises(ValidationError) as caught:
        record_award(innovation=innovation, year=2014, tier="Top 45")
    assert "Top 9" in caught.value.message_dict["tier"][0]
    assert Award.objects.count() == 0


def test_api_lists_awards_publicly(client, make_innovation):
    innovation = make_innovation("Lapor Cepat")
    record_award(innovation=innovation, year=2020, tier="top45")
    draft = make_innovation("Draf", status=Innovation.Status.DRAFT)
    record_award(innovation=draft, year=2020, tier="top99")
    data = client.get("/api/v1/awards/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["innovation"], row["year"], row["tier"], row["tier_name"]) == (innovation.pk, 2020, "top45", "Top 45")
    assert client.get("/api/v1/awards/", {"year": "2019"}).json()["count"] == 0


def test_api_ministry_records_an_award_and_others_cannot(client, make_innovation):
    innovation = make_innovation()
    client.force_login(UppFactory(unit=innovation.unit))
    body = {"innovation": innovation.pk, "year": 2021, "tier": "Top 5 Replikasi"}
    assert client.post("/api/v1/awards/", body, content_type="application/json").status_code == 403
    client.force_login(MinistryUserFactory())
    response = client.post("/api/v1/awards/", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["tier"] == "replikasi"
    bad = client.post("/api/v1/awards/", {**body, "tier": "Gold"}, content_type="application/json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["tier"]
    unknown = client.post("/api/v1/awards/", {**body, "medal": "x", "title": "y"}, content_type="application/json")
    assert unknown.status_code == 400
    assert unknown.json() == {"medal": ["Unknown field."], "title": ["This field is read-only."]}


def test_api_patch_of_award_tier_is_refused_naming_the_field(client, make_innovation):
    """Regression: PATCH of `award_tier` returned 200 and ignored the field."""
    innovation = make_innovation()
    client.force_login(MinistryUserFactory())
    url = f"/api/v1/innovations/{innovation.pk}/"
    response = client.patch(
        url, {"award_tier": "top45", "version": innovation.version}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"award_tier": ["This field is read-only."]}
    response = client.patch(url, {"colour": "red", "version": innovation.version}, content_type="application/json")
    assert response.json() == {"colour": ["Unknown field."]}
    innovation.refresh_from_db()
    assert innovation.award_tier == ""


def test_catalogue_filters_and_facets_by_award_year_and_tier(client, make_innovation):
    a = make_innovation("Inovasi A")
    b = make_innovation("Inovasi B")
    make_innovation("Inovasi C")
    record_award(innovation=a, year=2019, tier="top99")
    record_award(innovation=a, year=2021, tier="top45")
    record_award(innovation=b, year=2021, tier="top99")
    api = client.get("/api/v1/innovations/", {"award_year": "2021", "award_tier": "top45"}).json()
    assert [r["id"] for r in api["results"]] == [a.pk]
    # One award must hold both: A was Top 99 in 2019, not in 2021.
    assert client.get("/api/v1/innovations/", {"award_year": "2019", "award_tier": "top45"}).json()["count"] == 0
    facets = client.get("/api/v1/innovations/facets/").json()
    assert facets["award_year"] == [
        {"value": "2021", "label": "2021", "count": 2},
        {"value": "2019", "label": "2019", "count": 1},
    ]
    assert {f["value"]: f["count"] for f in facets["award_tier"]} == {"top99": 2, "top45": 1}
    narrowed = client.get("/api/v1/innovations/facets/", {"award_tier": "top99"}).json()
    assert {f["value"]: f["count"] for f in narrowed["award_year"]} == {"2019": 1, "2021": 1}
    page = client.get(reverse("registry:catalogue"), {"award_year": "2021", "award_tier": "top45"})
    assert [i.pk for i in page.context["page"]] == [a.pk]


def test_export_has_awards_and_filters_like_the_catalogue(client, make_innovation):
    a = make_innovation("Inovasi A")
    make_innovation("Inovasi B")
    record_award(innovation=a, year=2021, tier="top45")
    response = client.get(reverse("registry:data_export", kwargs={"fmt": "json"}), {"award_year": "2021"})
    rows = b"".join(response.streaming_content).decode()
    import json

    data = json.loads(rows)
    assert [r["id"] for r in data["results"]] == [a.pk]
    assert data["results"][0]["awards"] == "2021 Top 45"


def test_agency_page_lists_awards_by_year(client, make_innovation, django_assert_max_num_queries):
    innovation = make_innovation("Lapor Cepat")
    record_award(innovation=innovation, year=2019, tier="top99")
    record_award(
        innovation=innovation, year=2021, tier="top45", is_imported=True, source_url="https://example.go.id/kep"
    )
    url = reverse("registry:agency_innovations", args=[innovation.agency.slug])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert [(year, [g.name for g in groups]) for year, groups in response.context["awards"]] == [
        (2021, ["Top 45"]), (2019, ["Top 99 (finalis)"]),
    ]  # fmt: skip
    other = make_innovation("Izin Kilat", unit=innovation.unit)
    record_award(innovation=other, year=2021, tier="top99")
    with django_assert_max_num_queries(12):
        client.get(url)


def test_past_edition_results_page_marks_imported_lists_with_their_source(client, make_innovation):
    innovation = make_innovation("Lapor Cepat")
    record_award(
        innovation=innovation, year=2015, tier="Top 25", is_imported=True, source_url="https://example.go.id/kep"
    )
    years = client.get(reverse("registry:award_years"))
    assert years.context["years"] == [(2015, 1, True, "")]  # no results page: the edition did not run here
    page = client.get(reverse("registry:award_year", args=[2015]))
    group = page.context["groups"][0]
    assert (group.name, group.imported, group.sources) == ("Top 25", True, ["https://example.go.id/kep"])
    assert 'href="https://example.go.id/kep"' in page.content.decode()
    assert client.get(reverse("registry:award_year", args=[2003])).status_code == 404


def test_innovation_moves_from_unit_not_specified_to_a_unit_of_its_agency(client, make_innovation):
    from jipp.regions.services import unspecified_unit
    from tests.factories import AgencyFactory, ServiceUnitFactory

    agency = AgencyFactory()
    innovation = make_innovation("Tanpa Unit", unit=unspecified_unit(agency=agency))
    target = ServiceUnitFactory(agency=agency, name="Dinas Kesehatan")
    stranger = ServiceUnitFactory()
    url = reverse("registry:innovation_unit", args=[innovation.pk])
    client.force_login(UppFactory(unit=target))
    assert client.post(url, {"unit": target.pk}).status_code == 403
    client.force_login(MinistryUserFactory())
    detail = client.get(reverse("registry:innovation_detail", args=[innovation.pk]))
    assert [u.pk for u in detail.context["unit_choices"]] == [target.pk]
    client.post(url, {"unit": stranger.pk})
    innovation.refresh_from_db()
    assert innovation.unit.is_unspecified is True
    client.post(url, {"unit": target.pk})
    innovation.refresh_from_db()
    assert innovation.unit == target


def test_migration_puts_competition_written_replikasi_winners_on_the_replikasi_tier(make_innovation):
    """Data fix for records the competition wrote before its tiers came from the configuration."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("jipp.registry.migrations.0013_fix_competition_award_tiers")
    innovation = make_innovation("Replikasi Si Cantik")
    wrong = Award.objects.create(innovation=innovation, year=2023, tier="top45", title="Top 5 Replikasi KIPP 2023")
    umum = Award.objects.create(innovation=innovation, year=2017, tier="top45", title="Top 45 Inovasi KIPP 2017")
    finalist = Award.objects.create(innovation=innovation, year=2023, tier="top99", title="Top 99 KIPP 2023")
    imported = Award.objects.create(innovation=innovation, year=2023, tier="top45", title="Replikasi (press list)",
                                    category="Umum", is_imported=True)  # fmt: skip
    migration.forwards(apps, None)
    assert list(Award.objects.values_list("pk", "tier", "category").order_by("pk")) == [
        (wrong.pk, "replikasi", "Replikasi"),
        (umum.pk, "top40", "Umum"),  # 2017's winners were a Top 40
        (finalist.pk, "top99", "Umum"),
        (imported.pk, "top45", "Umum"),  # imported records are left as they are
    ]
