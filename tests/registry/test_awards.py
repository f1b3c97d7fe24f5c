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
