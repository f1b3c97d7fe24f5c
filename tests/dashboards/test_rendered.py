"""The portal and the public dashboard are rendered once per data version, ahead, after each refresh."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from jipp.dashboards import rendered, selectors
from jipp.dashboards.tasks import refresh_after_change
from jipp.dashboards.warm import warm
from jipp.registry.models import Award
from tests.factories import ServiceUnitFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


def test_refresh_task_renders_the_portal_and_public_dashboard_ahead_in_each_language(world):
    InnovationFactory(unit=ServiceUnitFactory(agency=world["kudus"]))
    refresh_after_change.call(agency_ids=[world["kudus"].pk], innovation_ids=[])
    version = rendered.data_version()
    for language in ("id", "en"):
        figures = cache.get(rendered.cache_key("portal_figures", version=version, language=language))
        assert '<span class="kpi-value">7</span>' in figures
        assert cache.get(rendered.cache_key("portal_lists", version=version, language=language)) is not None
    assert "Innovations per province" in cache.get(rendered.cache_key("portal_figures", version=version, language="en"))
    assert "Inovasi per provinsi" in cache.get(rendered.cache_key("portal_figures", version=version, language="id"))


def test_first_portal_request_after_a_refresh_renders_no_figures(client, world, django_assert_num_queries):
    warm()
    # The data version, two cache reads (locmem here: no query), the KIPP edition and its stages (live).
    with django_assert_num_queries(3):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span class="kpi-value">6</span>' in html
    assert html.count("<path data-region=") == 38
    assert 'class="timeline"' in html


def test_first_public_dashboard_request_after_a_refresh_reads_the_warmed_body(client, world):
    warm()
    response = client.get(reverse("dashboards:national"))
    templates = [t.name for t in response.templates]
    assert "dashboards/_national_body.html" not in templates
    assert response.content.decode().count("<path data-region=") == 38


def test_a_new_version_is_a_new_key_not_an_expiry(world):
    before = rendered.data_version()
    warm()
    from jipp.dashboards.services.refresh import refresh_all

    refresh_all()
    after = rendered.data_version()
    assert before != after
    assert cache.get(rendered.cache_key("portal_figures", version=after, language="en")) is None
    assert cache.get(rendered.cache_key("portal_figures", version=before, language="en")) is not None


def test_latest_winners_skips_unpublished_innovations_across_batches(world):
    published = [InnovationFactory(unit=ServiceUnitFactory(agency=world["kudus"])) for _ in range(3)]
    hidden = InnovationFactory(unit=ServiceUnitFactory(agency=world["kudus"]), draft=True)
    # Nine awards of a draft come first (newest); the published ones' awards are older.
    for year in range(2015, 2024):
        Award.objects.create(innovation=hidden, year=year + 10, tier="top45")
    for i, innovation in enumerate(published):
        Award.objects.create(innovation=innovation, year=2020 - i, tier="top99")
    winners = selectors.latest_winners(limit=2)
    assert [w.innovation_id for w in winners] == [published[0].pk, published[1].pk]
    assert [w.innovation_id for w in selectors.latest_winners(limit=6)] == [p.pk for p in published]


def test_ministry_dashboard_is_rendered_ahead_too(client, world):
    from tests.factories import MinistryUserFactory

    warm()
    client.force_login(MinistryUserFactory())
    response = client.get(reverse("dashboards:national"))
    assert "dashboards/_national_body.html" not in [t.name for t in response.templates]
    assert reverse("institutionalisation:worklist") in response.content.decode()
