"""The platform's identity: its own logo mark, favicon, social preview tags; the network graph's labels."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import AgencyFactory, RegencyFactory
from tests.factories.replication import ReplicationFactory

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "jipp" / "core" / "static" / "img"


def test_every_page_has_favicon_logo_and_social_preview(client):
    body = client.get(reverse("core:home")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in body
    assert 'src="/static/img/logo.svg"' in body
    assert '<meta property="og:image" content="http://127.0.0.1:8000/static/img/social-preview.png">' in body
    assert '<meta property="og:title"' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body
    assert '<meta property="og:locale" content="id_ID">' in body


def test_identity_files_are_shipped_and_the_mark_is_our_own():
    logo = (STATIC / "logo.svg").read_text()
    assert logo.startswith("<svg")
    assert "<image" not in logo  # drawn, not an embedded (e.g. government) emblem
    assert (STATIC / "social-preview.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (STATIC / "apple-touch-icon.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_network_graph_names_its_agencies_and_has_a_legend(client):
    source = AgencyFactory(name="Pemerintah Kabupaten Sumber", region=RegencyFactory())
    replication = ReplicationFactory(primary_source__agency=source, status="accepted")
    body = client.get(reverse("replication:network"), {"all": "1"}).content.decode()
    assert '<text class="graph-label' in body
    assert ">Kabupaten Sumber</text>" in body
    assert 'class="graph-legend"' in body
    assert "Instansi: makin besar lingkarannya" in body
    assert replication.pk
