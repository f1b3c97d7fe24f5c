import pytest
from django.urls import reverse

from jipp.registry.models import Innovation
from tests.factories import AdminLokalFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory, UppFactory

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_innovations(client, make_innovation):
    make_innovation("Layanan Sehat Keliling")
    make_innovation("Draf Rahasia", status=Innovation.Status.DRAFT)
    body = client.get(reverse("registry:catalogue")).content.decode()
    assert "Layanan Sehat Keliling" in body
    assert "Draf Rahasia" not in body


def test_catalogue_search_and_facet_link(client, make_innovation):
    province = ProvinceFactory(code="35", name="Jawa Timur")
    unit = ServiceUnitFactory(agency__region=RegencyFactory(code="35.15", parent=province))
    make_innovation("Layanan Sehat Keliling", unit=unit)
    make_innovation("Akta Kelahiran")
    response = client.get(reverse("registry:catalogue"), {"q": "pelayanan kesehatan"})
    assert [i.title for i in response.context["page"]] == ["Layanan Sehat Keliling"]
    province_links = next(g for g in response.context["facet_groups"] if g["name"] == "province")["links"]
    assert province_links[0]["label"] == "Jawa Timur"
    assert "province=35" in province_links[0]["url"]


def test_catalogue_with_bad_filter_is_a_friendly_empty_page(client, make_innovation):
    make_innovation("Layanan")
    response = client.get(reverse("registry:catalogue"), {"province": "zz", "sdg": "99"})
    assert response.status_code == 400
    assert response.context["page"] is None
    assert set(response.context["form"].errors) == {"province", "sdg"}


@pytest.mark.parametrize("count", [1, 3])
def test_catalogue_has_constant_queries(client, make_innovation, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(count):
        make_innovation(f"Inovasi {n}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:catalogue"), {"q": "inovasi"})
    assert len(response.context["page"]) == count
    # The first request after a change also loads the facet index (innovations, regions, awards,
    # categories, SDGs; on PostgreSQL the innovations in two statements, facet_index._read_rows_pg).
    # SQLite: the capped check (the newest cap + 1 matches) and the ranked FTS query; PostgreSQL: the
    # planner's estimate and the bounded search's two statements in a savepoint (registry/search.py).
    # The public cache's stamp is the generation (core.public_cache), kept in the cache (in memory here).
    assert len(queries) == (13 if connection.vendor == "sqlite" else 16)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:catalogue"), {"q": "inovas"})
    assert len(response.context["page"]) == count
    # Then: tier choices, the facet index's freshness check, the search (with the capped check or the
    # planner's estimate), the page's rows and their covers.
    assert len(queries) == (8 if connection.vendor == "sqlite" else 10)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("registry:catalogue"), {"q": "inovas"})
    # The same address again: the results come rendered from the cache; only the filter form's tier
    # choices are read.
    assert len(queries) == 1
    # Equal results (the page around them differs: a fresh CSRF token in the language switch).
    assert (
        again.content.decode().partition('class="facet-layout"')[2]
        == response.content.decode().partition('class="facet-layout"')[2]
    )
    assert 'class="facet-layout"' in again.content.decode()


def test_draft_detail_is_hidden_from_public_and_other_agencies(client, make_innovation):
    draft = make_innovation("Draf", status=Innovation.Status.DRAFT)
    url = reverse("registry:innovation_detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    client.force_login(AdminLokalFactory())
    assert client.get(url).status_code == 404
    client.force_login(UppFactory(unit=draft.unit))
    assert client.get(url).status_code == 200


def test_upp_creates_innovation_in_ui(client):
    upp = UppFactory()
    client.force_login(upp)
    response = client.post(
        reverse("registry:innovation_create"),
        {"unit": upp.unit.pk, "title": "Si Akrab", "summary": "Akta keliling", "stage": "trial", "phase": "creation",
         "form": "public_service", "initiator": "unit", "sector": "civil_registration", "innovator_type": "team",
         "budget_source": "apbd", "readiness": "ready"},
    )  # fmt: skip
    innovation = Innovation.objects.get(title="Si Akrab")
    assert response.status_code == 302
    assert innovation.unit == upp.unit and innovation.status == "draft"


def test_invalid_form_keeps_the_typed_text(client):
    upp = UppFactory()
    client.force_login(upp)
    response = client.post(
        reverse("registry:innovation_create"),
        {"unit": upp.unit.pk, "title": "", "summary": "Teks panjang yang saya ketik", "start_date": "2024-05-01",
         "rollout_date": "2023-01-01"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "Teks panjang yang saya ketik" in body
    assert "rollout_date" in response.context["form"].errors
    assert not Innovation.objects.exists()


def test_stale_edit_keeps_text_and_shows_the_other_version(client, make_innovation):
    innovation = make_innovation("Versi Awal")
    admin = AdminLokalFactory(agency=innovation.agency)
    client.force_login(admin)
    url = reverse("registry:innovation_edit", args=[innovation.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("categories", "sdgs")}
    client.post(url, {**data, "title": "Perubahan Pertama"})
    response = client.post(url, {**data, "title": "Perubahan Kedua"})
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["conflict"].title == "Perubahan Pertama"
    assert 'value="Perubahan Kedua"' in body
    innovation.refresh_from_db()
    assert innovation.title == "Perubahan Pertama"


def test_upp_cannot_publish(client, make_innovation):
    draft = make_innovation("Draf", status=Innovation.Status.DRAFT)
    client.force_login(UppFactory(unit=draft.unit))
    response = client.post(reverse("registry:innovation_status", args=[draft.pk]), {"status": "published"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_agency_page_counts_its_innovations(client, make_innovation):
    unit = ServiceUnitFactory()
    make_innovation("Satu", unit=unit, stage="in_operation")
    make_innovation("Dua", unit=unit, stage="trial")
    response = client.get(reverse("registry:agency_innovations", args=[unit.agency.slug]))
    assert response.context["counts"]["total"] == 2
    assert response.context["counts"]["in_operation"] == 1


def test_manage_list_shows_only_own_unit(client, make_innovation):
    mine = make_innovation("Punya Saya", status=Innovation.Status.DRAFT)
    make_innovation("Punya Orang", status=Innovation.Status.DRAFT)
    client.force_login(UppFactory(unit=mine.unit))
    titles = [i.title for i in client.get(reverse("registry:manage_list")).context["page"]]
    assert titles == ["Punya Saya"]


def test_continuity_form_opens_from_a_link_and_saves(client, make_innovation):
    innovation = make_innovation("Berlanjut")
    client.force_login(UppFactory(unit=innovation.unit))
    url = reverse("registry:continuity_add", args=[innovation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2026, "status": "growing", "reason": ""})
    assert response.status_code == 302
    innovation.refresh_from_db()
    assert innovation.continuity == "growing"


def test_continuity_form_is_refused_to_other_agencies(client, make_innovation):
    innovation = make_innovation("Milik Orang")
    client.force_login(UppFactory())
    assert client.get(reverse("registry:continuity_add", args=[innovation.pk])).status_code == 403


def test_facets_show_top_values_and_all_the_rest(client, make_innovation):
    from jipp.registry.views import FACET_TOP
    from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, ServiceUnitFactory

    codes = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "31", "32", "33", "34", "35", "36", "51"]
    for n, code in enumerate(codes):
        regency = RegencyFactory(parent=ProvinceFactory(code=code, name=f"Provinsi {code}"), code=f"{code}.01")
        unit = ServiceUnitFactory(agency=AgencyFactory(region=regency))
        for _ in range(n % 3 + 1):
            make_innovation(f"Inovasi {code}", unit=unit)
    response = client.get(reverse("registry:catalogue"))
    group = next(g for g in response.context["facet_groups"] if g["name"] == "province")
    assert (len(group["links"]), len(group["more"]), group["total"]) == (FACET_TOP, 16 - FACET_TOP, 16)
    html = response.content.decode()
    assert "Tampilkan semua 16" in html or "Show all 16" in html
    # Every province can be selected, also those beyond the top values; the chosen one stays visible.
    last = group["more"][-1]
    chosen = client.get(reverse("registry:catalogue") + last["url"])
    picked = next(g for g in chosen.context["facet_groups"] if g["name"] == "province")
    assert [link["selected"] for link in picked["links"]] == [True]
    assert chosen.context["result"].total == last["count"]
