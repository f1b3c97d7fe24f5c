import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.factories import AgencyFactory, RegencyFactory, ServiceUnitFactory, UppFactory
from tests.factories.institutionalisation import LegalBasisFactory
from tests.factories.registry import InnovationFactory
from tests.factories.replication import ReplicationFactory

pytestmark = pytest.mark.django_db


def render(name, innovation, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(name, {"innovation": innovation}, request=request)


def test_replication_panel_lists_adopters_band_and_request_button():
    innovation = InnovationFactory(replication_count=1)
    done = ReplicationFactory(
        primary_source=innovation, status="accepted", is_successful=True, completed_on=dt.date(2025, 4, 1)
    )
    RegencyFactory(parent=innovation.region.parent)  # a region like the owner's
    html = render("replication/_innovation_panel.html", innovation, UppFactory())
    assert str(done.adopter_agency) in html
    assert str(done.public_id) in html
    assert f"/replication/request/{innovation.pk}/" in html


def test_replication_panel_hides_request_for_own_agency():
    upp = UppFactory()
    innovation = InnovationFactory(unit=ServiceUnitFactory(agency=upp.agency))
    html = render("replication/_innovation_panel.html", innovation, upp)
    assert "/replication/request/" not in html


def test_institutionalisation_panel_shows_strongest_badge():
    innovation = InnovationFactory(unit=ServiceUnitFactory(agency=AgencyFactory()))
    LegalBasisFactory(innovation=innovation, type="sop", strength=1, number="9")
    LegalBasisFactory(innovation=innovation, type="perda", strength=5, number="4")
    html = render("institutionalisation/_innovation_panel.html", innovation, UppFactory())
    assert "badge badge-legal strength-5" in html
    assert "Perda 4" in html
