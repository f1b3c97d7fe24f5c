"""The catalogue's results and an innovation's page for anonymous visitors come from the shared cache
(core.public_cache) while their data is unchanged, and never outlive a change, a language or a
signed-in user's view."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jipp.regions.models import Agency
from jipp.registry.models import Innovation
from jipp.registry.services import set_status
from tests.factories import MinistryUserFactory, UppFactory
from tests.factories.institutionalisation import LegalBasisFactory
from tests.factories.replication import ReplicationFactory


def _results(response) -> str:
    return response.content.decode().partition('class="facet-layout"')[2]


def _main(response) -> str:
    return response.content.decode().partition("<main")[2].partition("</main>")[0]


def _public_keys() -> list[str]:
    return [key for key in cache._cache if ":public:" in key]  # LocMemCache's own keys (tests only)


@pytest.fixture
def catalogue(client):
    def get(**params):
        return client.get(reverse("registry:catalogue"), params)

    return get


def test_anonymous_results_are_kept_and_reused(catalogue, make_innovation, django_assert_max_num_queries):
    make_innovation("Layanan Kesehatan Keliling")
    first = catalogue(q="kesehatan")
    assert "Layanan Kesehatan Keliling" in _results(first)
    assert len(_public_keys()) == 1
    with django_assert_max_num_queries(1):  # the filter form's tier choices only (the cache is in memory here)
        second = catalogue(q="kesehatan")
    assert _results(second) == _results(first)
    # Another address is another entry.
    catalogue(q="kesehatan", sort="newest")
    assert len(_public_keys()) == 2


def test_a_change_is_seen_at_once(catalogue, make_innovation):
    make_innovation("Layanan Kesehatan Keliling")
    assert "1 inovasi" in _results(catalogue(q="kesehatan"))
    make_innovation("Posyandu Kesehatan Digital")
    fresh = _results(catalogue(q="kesehatan"))
    assert "Posyandu Kesehatan Digital" in fresh
    assert "2 inovasi" in fresh


def test_an_innovation_taken_off_the_catalogue_disappears(catalogue, make_innovation):
    innovation = make_innovation("Layanan Kesehatan Keliling")
    assert "Layanan Kesehatan Keliling" in _results(catalogue(q="kesehatan"))
    set_status(user=MinistryUserFactory(), innovation=innovation, status=Innovation.Status.WITHDRAWN)
    assert "Layanan Kesehatan Keliling" not in _results(catalogue(q="kesehatan"))


def test_each_language_has_its_own_entry(client, catalogue, make_innovation):
    make_innovation("Layanan Kesehatan Keliling")
    assert "1 inovasi" in _results(catalogue(q="kesehatan"))
    client.cookies["django_language"] = "en"
    english = _results(catalogue(q="kesehatan"))
    assert "1 innovation" in english
    assert "1 inovasi" not in english


def test_signed_in_users_neither_read_nor_fill_it(client, catalogue, make_innovation):
    make_innovation("Layanan Kesehatan Keliling")
    client.force_login(UppFactory())
    catalogue(q="kesehatan")
    assert _public_keys() == []


def test_a_bad_address_is_not_kept(catalogue, make_innovation):
    make_innovation("Layanan Kesehatan Keliling")
    assert catalogue(province="zz").status_code == 400
    assert _public_keys() == []


def test_it_can_be_turned_off(settings, catalogue, make_innovation):
    settings.PUBLIC_CACHE_SECONDS = 0
    make_innovation("Layanan Kesehatan Keliling")
    catalogue(q="kesehatan")
    assert _public_keys() == []


def test_api_list_for_anonymous_callers(client, make_innovation):
    url = "/api/v1/innovations/"
    make_innovation("Layanan Kesehatan Keliling")
    first = client.get(url, {"q": "kesehatan"}).json()
    assert first["count"] == 1
    assert len(_public_keys()) == 1
    assert client.get(url, {"q": "kesehatan"}).json() == first
    make_innovation("Posyandu Kesehatan Digital")
    assert client.get(url, {"q": "kesehatan"}).json()["count"] == 2
    assert len(_public_keys()) == 1  # the address's entry was replaced, not added to
    # A bad page number is a 400 and nothing is kept for it.
    assert client.get(url, {"q": "kesehatan", "page": "99"}).status_code == 400
    assert len(_public_keys()) == 1


# An innovation's page: kept whole for anonymous visitors, under every app's data version.


@pytest.fixture
def page(client):
    def get(innovation):
        return client.get(reverse("registry:innovation_detail", args=[innovation.pk]))

    return get


def test_innovation_page_is_kept_and_reused(page, make_innovation, django_assert_max_num_queries):
    innovation = make_innovation("Layanan Kesehatan Keliling")
    first = page(innovation)
    assert "Layanan Kesehatan Keliling" in first.content.decode()
    assert "csrfmiddlewaretoken" not in _main(first)  # nothing of one visitor's in the shared part
    assert len(_public_keys()) == 1
    # The innovation itself (a withdrawn one is a 404 at once); none of the panels' queries (the
    # cache is in memory here; with the database cache, one more: the generation and the page).
    with django_assert_max_num_queries(1):
        second = page(innovation)
    assert _main(second) == _main(first)


def test_innovation_page_shows_other_apps_changes_at_once(page, make_innovation):
    innovation = make_innovation("Layanan Kesehatan Keliling")
    assert "Perda 4" not in page(innovation).content.decode()
    # A legal basis recorded (institutionalisation) and a proven replication (replication): both apps'
    # panels on the registry's page, neither write touching the innovation's row.
    LegalBasisFactory(innovation=innovation, type="perda", strength=5, number="4")
    assert "Perda 4" in page(innovation).content.decode()
    done = ReplicationFactory(primary_source=innovation, status="accepted", is_successful=True)
    assert str(done.public_id) in page(innovation).content.decode()


def test_innovation_page_sees_a_bulk_update(page, make_innovation):
    """`QuerySet.update()` sends no signal: the write is seen in its SQL."""
    innovation = make_innovation("Layanan Kesehatan Keliling")
    assert innovation.agency.name in page(innovation).content.decode()
    Agency.objects.filter(pk=innovation.agency_id).update(name="Dinas Kesehatan Baru")
    assert "Dinas Kesehatan Baru" in page(innovation).content.decode()


def test_innovation_page_withdrawn_is_gone_at_once(page, make_innovation):
    innovation = make_innovation("Layanan Kesehatan Keliling")
    assert page(innovation).status_code == 200
    set_status(user=MinistryUserFactory(), innovation=innovation, status=Innovation.Status.WITHDRAWN)
    assert page(innovation).status_code == 404


def test_innovation_page_for_signed_in_users_is_their_own(client, page, make_innovation):
    innovation = make_innovation("Layanan Kesehatan Keliling")
    page(innovation)  # kept for the public
    client.force_login(MinistryUserFactory())
    mine = page(innovation).content.decode()
    assert 'name="status" value="withdrawn"' in mine  # the Ministry's own buttons, not the public copy
    client.logout()
    assert 'name="status" value="withdrawn"' not in page(innovation).content.decode()
