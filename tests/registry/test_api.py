import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jipp.registry.models import ContinuityUpdate, Innovation
from tests.factories import (
    AdminLokalFactory,
    AgencyFactory,
    MinistryUserFactory,
    ProvinceFactory,
    RegencyFactory,
    ServiceUnitFactory,
    UppFactory,
    UserFactory,
)
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/innovations/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def catalogue():
    east = ProvinceFactory(code="35", name="Jawa Timur")
    south = ProvinceFactory(code="73", name="Sulawesi Selatan")
    east_unit = ServiceUnitFactory(
        agency=AgencyFactory(slug="pemkab-a", region=RegencyFactory(code="35.01", parent=east))
    )
    south_unit = ServiceUnitFactory(agency=AgencyFactory(region=RegencyFactory(code="73.01", parent=south)))
    return {
        "health": InnovationFactory(unit=east_unit, title="Pelayanan Kesehatan Ibu", categories=["health"], sdgs=[3]),
        "school": InnovationFactory(
            unit=east_unit, title="Sekolah Ramah Anak", summary="Pendidikan anak.", phase="creation", is_digital=True
        ),
        "clinic": InnovationFactory(unit=south_unit, title="Klinik Desa Sehat", replication_count=2),
        "draft": InnovationFactory(unit=east_unit, title="Draf Kesehatan", draft=True),
        "east_unit": east_unit,
        "south_unit": south_unit,
    }


def titles(response) -> list[str]:
    return sorted(r["title"] for r in response.json()["results"])


def test_list_is_public_paginated_and_hides_drafts(api, catalogue):
    data = api.get(LIST).json()
    assert data["count"] == 3
    assert sorted(r["title"] for r in data["results"]) == [
        "Klinik Desa Sehat",
        "Pelayanan Kesehatan Ibu",
        "Sekolah Ramah Anak",
    ]
    health = next(r for r in data["results"] if r["title"] == "Pelayanan Kesehatan Ibu")
    assert (health["categories"], health["sdgs"], health["province"], health["agency"]) == (
        ["health"],
        [3],
        "35",
        "pemkab-a",
    )


def test_list_search_uses_indonesian_stemming(api, catalogue):
    assert titles(api.get(LIST, {"q": "mendidik"})) == ["Sekolah Ramah Anak"]
    assert titles(api.get(LIST, {"q": "pendidikan"})) == ["Sekolah Ramah Anak"]


def test_list_search_with_fts_syntax_is_text(api, catalogue):
    for q in ['"klinik', "klinik OR desa", "NEAR(a b)", "*", "sehat -ibu", "a:b"]:
        assert api.get(LIST, {"q": q}).status_code == 200, q
    assert api.get(LIST, {"q": "!!!"}).json()["count"] == 0


def test_list_filters_and_sort(api, catalogue):
    assert titles(api.get(LIST, {"province": "35"})) == ["Pelayanan Kesehatan Ibu", "Sekolah Ramah Anak"]
    assert titles(api.get(LIST, {"regency": "73.01"})) == ["Klinik Desa Sehat"]
    assert titles(api.get(LIST, {"category": "health"})) == ["Pelayanan Kesehatan Ibu"]
    assert titles(api.get(LIST, {"sdg": "3"})) == ["Pelayanan Kesehatan Ibu"]
    assert titles(api.get(LIST, {"digital": "yes", "phase": "creation"})) == ["Sekolah Ramah Anak"]
    assert titles(api.get(LIST, {"replicated": "yes"})) == ["Klinik Desa Sehat"]
    assert titles(api.get(LIST, {"agency": "pemkab-a"})) == ["Pelayanan Kesehatan Ibu", "Sekolah Ramah Anak"]
    ordered = api.get(LIST, {"sort": "replicated"}).json()["results"]
    assert ordered[0]["title"] == "Klinik Desa Sehat"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"phase": "moon"}, "phase"),
        ({"stage": "done"}, "stage"),
        ({"province": "99"}, "province"),
        ({"province": "35.01"}, "province"),
        ({"regency": "35"}, "regency"),
        ({"agency": "nope"}, "agency"),
        ({"agency_type": "x"}, "agency_type"),
        ({"category": "astronomy"}, "category"),
        ({"sdg": "18"}, "sdg"),
        ({"sdg": "x"}, "sdg"),
        ({"digital": "maybe"}, "digital"),
        ({"continuity": "forever"}, "continuity"),
        ({"award": "gold"}, "award"),
        ({"year": "20x1"}, "year"),
        ({"replicated": "2"}, "replicated"),
        ({"legal_basis": "perhaps"}, "legal_basis"),
        ({"sort": "random"}, "sort"),
        ({"page": "abc"}, "page"),
        ({"page": "999"}, "page"),
    ],
)
def test_list_bad_parameter_is_a_400_naming_it(api, catalogue, params, field):
    response = api.get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_facets_count_the_filtered_results(api, catalogue):
    data = api.get(f"{LIST}facets/", {"province": "35"}).json()
    assert data["total"] == 2
    assert data["province"] == [{"value": "35", "label": "Jawa Timur", "count": 2}]
    assert {v["value"]: v["count"] for v in data["phase"]} == {"development": 1, "creation": 1}
    assert {v["value"]: v["count"] for v in data["category"]} == {"health": 1}
    for facet in ("phase", "stage", "digital"):
        for value in data[facet]:
            filtered = api.get(LIST, {"province": "35", facet if facet != "digital" else "digital": value["value"]})
            assert filtered.json()["count"] == value["count"], (facet, value)
    assert api.get(f"{LIST}facets/", {"phase": "x"}).status_code == 400


def test_detail_of_a_draft_only_for_those_who_may_see_it(api, catalogue):
    draft = catalogue["draft"]
    url = f"{LIST}{draft.pk}/"
    assert api.get(url).status_code == 404
    api.force_authenticate(AdminLokalFactory())
    assert api.get(url).status_code == 404
    api.force_authenticate(UppFactory(unit=catalogue["east_unit"]))
    data = api.get(url).json()
    assert (data["title"], data["status"], data["version"]) == ("Draf Kesehatan", "draft", 1)
    assert api.get(f"{LIST}abc/").status_code == 404


def test_detail_of_a_published_innovation_is_public(api, catalogue):
    data = api.get(f"{LIST}{catalogue['health'].pk}/").json()
    assert data["problem"] == catalogue["health"].problem
    assert data["attachments"] == []


def test_anonymous_cannot_write(api, catalogue):
    assert api.post(LIST, {"title": "x", "summary": "y"}, format="json").status_code in (401, 403)
    assert api.patch(f"{LIST}{catalogue['health'].pk}/", {"title": "x", "version": 1}, format="json").status_code in (
        401,
        403,
    )
    assert api.post(f"{LIST}{catalogue['health'].pk}/withdraw/").status_code in (401, 403)
    assert Innovation.objects.get(pk=catalogue["health"].pk).status == "published"


def test_upp_creates_a_draft_for_its_own_unit(api):
    upp = UppFactory()
    api.force_authenticate(upp)
    response = api.post(
        LIST,
        {
            "title": "Layanan Adminduk Keliling",
            "summary": "Jemput bola KTP.",
            "categories": ["governance"],
            "sdgs": [16],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["unit"], data["categories"], data["sdgs"]) == (
        "draft",
        upp.unit_id,
        ["governance"],
        [16],
    )
    innovation = Innovation.objects.get(pk=data["id"])
    assert innovation.search_title == "layan adminduk keliling"


def test_create_validation_errors_are_400(api):
    api.force_authenticate(UppFactory())
    response = api.post(LIST, {"summary": "x", "stage": "done", "categories": ["nope"]}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"title", "stage", "categories"}


def test_upp_cannot_create_for_another_unit(api):
    upp = UppFactory()
    other = ServiceUnitFactory(agency=upp.unit.agency)
    api.force_authenticate(upp)
    response = api.post(LIST, {"title": "x", "summary": "y", "unit": other.pk}, format="json")
    assert response.status_code == 403
    assert Innovation.objects.count() == 0


def test_admin_lokal_creates_only_in_own_agency(api):
    admin = AdminLokalFactory()
    own = ServiceUnitFactory(agency=admin.agency)
    api.force_authenticate(admin)
    assert api.post(LIST, {"title": "x", "summary": "y", "unit": own.pk}, format="json").status_code == 201
    foreign = ServiceUnitFactory()
    assert api.post(LIST, {"title": "x", "summary": "y", "unit": foreign.pk}, format="json").status_code == 403
    assert api.post(LIST, {"title": "x", "summary": "y"}, format="json").status_code == 400
    assert Innovation.objects.count() == 1


def test_ministry_creates_anywhere(api):
    api.force_authenticate(MinistryUserFactory())
    unit = ServiceUnitFactory()
    assert api.post(LIST, {"title": "x", "summary": "y", "unit": unit.pk}, format="json").status_code == 201


def test_partial_update_with_version_and_stale_409(api):
    upp = UppFactory()
    innovation = InnovationFactory(unit=upp.unit, draft=True)
    api.force_authenticate(upp)
    url = f"{LIST}{innovation.pk}/"
    response = api.patch(url, {"title": "Judul Baru", "version": 1, "sdgs": [4]}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["title"], response.json()["version"], response.json()["sdgs"]) == ("Judul Baru", 2, [4])
    stale = api.patch(url, {"title": "Lama", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["version"] == 2
    assert Innovation.objects.get(pk=innovation.pk).title == "Judul Baru"
    assert api.patch(url, {"title": "Tanpa versi"}, format="json").status_code == 400
    assert api.patch(url, {"version": 2, "unit": ServiceUnitFactory().pk}, format="json").status_code == 400


def test_other_agency_admin_lokal_gets_403_or_404(api, catalogue):
    outsider = AdminLokalFactory()
    api.force_authenticate(outsider)
    published, draft = catalogue["health"], catalogue["draft"]
    assert api.patch(f"{LIST}{published.pk}/", {"title": "x", "version": 1}, format="json").status_code == 403
    assert api.patch(f"{LIST}{draft.pk}/", {"title": "x", "version": 1}, format="json").status_code == 404
    assert api.post(f"{LIST}{published.pk}/withdraw/").status_code == 403
    assert api.post(f"{LIST}{draft.pk}/publish/").status_code == 404
    response = api.post(
        f"{LIST}{published.pk}/continuity-updates/", {"year": 2025, "status": "continuing"}, format="json"
    )
    assert response.status_code == 403
    assert Innovation.objects.get(pk=published.pk).title == "Pelayanan Kesehatan Ibu"
    assert Innovation.objects.get(pk=draft.pk).status == "draft"


def test_publish_and_withdraw_by_admin_lokal_only(api, catalogue):
    draft = catalogue["draft"]
    api.force_authenticate(UppFactory(unit=catalogue["east_unit"]))
    assert api.post(f"{LIST}{draft.pk}/publish/").status_code == 403
    api.force_authenticate(AdminLokalFactory(agency=catalogue["east_unit"].agency))
    response = api.post(f"{LIST}{draft.pk}/publish/")
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert api.get(LIST, {"q": "draf"}).json()["count"] == 1
    assert api.post(f"{LIST}{draft.pk}/withdraw/").json()["status"] == "withdrawn"


def test_continuity_updates(api, catalogue):
    innovation = catalogue["health"]
    url = f"{LIST}{innovation.pk}/continuity-updates/"
    api.force_authenticate(UppFactory(unit=catalogue["east_unit"]))
    response = api.post(url, {"year": 2025, "status": "stopped", "reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = api.post(url, {"year": 2025, "status": "stopped", "reason": "Anggaran habis."}, format="json")
    assert response.status_code == 201
    assert api.post(url, {"year": 2025, "status": "continuing"}, format="json").status_code == 400
    api.force_authenticate(None)
    assert api.get(url).json() == [
        {"id": ContinuityUpdate.objects.get().pk, "year": 2025, "status": "stopped", "reason": "Anggaran habis.",
         "reported_on": ContinuityUpdate.objects.get().reported_on.isoformat()}
    ]  # fmt: skip
    assert api.get(f"{LIST}{innovation.pk}/").json()["continuity"] == "stopped"


def test_token_authentication_writes(api):
    upp = UppFactory()
    token = Token.objects.create(user=upp)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.post(LIST, {"title": "x", "summary": "y"}, format="json").status_code == 201


def test_evaluator_cannot_create(api):
    api.force_authenticate(UserFactory())
    response = api.post(LIST, {"title": "x", "summary": "y", "unit": ServiceUnitFactory().pk}, format="json")
    assert response.status_code == 403


def test_categories_and_sdgs(api):
    categories = api.get("/api/v1/categories/").json()
    assert categories["count"] >= 10
    assert "health" in {c["code"] for c in categories["results"]}
    sdgs = api.get("/api/v1/sdgs/", {"page_size": 100}).json()
    assert [s["number"] for s in sdgs["results"]] == list(range(1, 18))


def test_list_has_no_n_plus_one(api, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit = ServiceUnitFactory()
    InnovationFactory(unit=unit, categories=["health"], sdgs=[3])
    api.get(LIST)  # builds the catalogue's in-memory index for this state of the table
    with CaptureQueriesContext(connection) as one:
        assert api.get(LIST).json()["count"] == 1
    queries = len(one.captured_queries)
    assert queries <= 8
    InnovationFactory.create_batch(9, unit=ServiceUnitFactory(), categories=["education"], sdgs=[4])
    api.get(LIST)
    with django_assert_num_queries(queries):
        assert api.get(LIST).json()["count"] == 10


def test_schema_documents_the_registry(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/innovations/"]["get"]["parameters"]}
    assert {"q", "province", "regency", "category", "sdg", "phase", "sort", "page"} <= parameters
    assert "/api/v1/innovations/facets/" in schema["paths"]
    assert "/api/v1/innovations/{id}/continuity-updates/" in schema["paths"]
    assert "patch" in schema["paths"]["/api/v1/innovations/{id}/"]


def test_detail_lists_attachments_with_addresses(api, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jipp.registry.attachments import add_attachment
    from tests.factories.registry import PDF_BYTES, PNG_BYTES

    settings.MEDIA_ROOT = tmp_path
    upp = UppFactory()
    published = InnovationFactory(unit=upp.unit)
    photo = add_attachment(
        user=upp,
        innovation=published,
        uploaded=SimpleUploadedFile("f.png", PNG_BYTES),
        kind="photo",
        alt_text="Petugas melayani warga",
    )
    pdf = add_attachment(
        user=upp, innovation=published, uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES), kind="document"
    )
    files = {f["original_name"]: f for f in api.get(f"{LIST}{published.pk}/").json()["attachments"]}
    assert files["f.png"]["image_url"] == f"/attachments/{photo.pk}/image/"
    assert files["a.pdf"]["image_url"] is None
    assert files["a.pdf"]["download_url"] == f"/attachments/{pdf.pk}/"
