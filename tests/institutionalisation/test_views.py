import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from jipp.institutionalisation.models import LegalBasis
from jipp.institutionalisation.services import refresh_protection
from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory
from tests.factories.institutionalisation import LegalBasisFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


def test_records_form_keeps_text_on_future_date(client):
    upp = UppFactory()
    innovation = InnovationFactory(unit=upp.unit)
    client.force_login(upp)
    response = client.post(
        reverse("institutionalisation:innovation", args=[innovation.pk]),
        {
            "action": "legal",
            "type": "perkada",
            "number": "7/2099",
            "issued_on": "2099-01-01",
            "title": "Judul yang saya ketik",
            "issued_by": "Bupati",
        },
    )
    assert response.status_code == 400
    assert "Judul yang saya ketik" in response.content.decode()
    assert not LegalBasis.objects.exists()


def test_records_post_by_other_agency_is_forbidden(client):
    innovation = InnovationFactory()
    client.force_login(UppFactory())
    response = client.post(
        reverse("institutionalisation:innovation", args=[innovation.pk]),
        {"action": "legal", "type": "sop", "number": "1", "issued_on": "2024-01-01", "title": "x", "issued_by": "y"},
    )
    assert response.status_code == 403


def test_records_page_shows_badge(client):
    innovation = InnovationFactory()
    LegalBasisFactory(innovation=innovation, type="perda", strength=5, number="3")
    response = client.get(reverse("institutionalisation:innovation", args=[innovation.pk]))
    assert 'class="badge badge-legal strength-5"' in response.content.decode()


def test_worklist_scopes_agency_members_and_filters(client, django_assert_max_num_queries):
    admin = AdminLokalFactory()
    mine = InnovationFactory(unit__agency=admin.agency, award_tier="top99")
    other = InnovationFactory(award_tier="top99")
    refresh_protection(as_of=dt.date(2026, 11, 27))
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("institutionalisation:worklist"))
    assert [s.innovation for s in response.context["page"]] == [mine]
    client.force_login(MinistryUserFactory())
    response = client.get(reverse("institutionalisation:worklist"), {"ground": "by_kipp_tier"})
    assert {s.innovation for s in response.context["page"]} == {mine, other}
    response = client.get(reverse("institutionalisation:worklist"), {"province": other.province.code})
    assert [s.innovation for s in response.context["page"]] == [other]
    csv = client.get(reverse("institutionalisation:worklist"), {"format": "csv"})
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("innovation_id,title") and len(lines) == 3


def test_worklist_queries_constant(client, django_assert_max_num_queries):
    client.force_login(MinistryUserFactory())
    for _ in range(4):
        InnovationFactory(award_tier="top45")
    refresh_protection()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("institutionalisation:worklist"))
    assert response.context["page"].paginator.count == 4


def test_shares_map_and_export(client):
    InnovationFactory(award_tier="top45")
    refresh_protection()
    response = client.get(reverse("institutionalisation:shares"))
    assert 'class="province-map' in response.content.decode()
    xlsx = client.get(reverse("institutionalisation:shares"), {"format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_continuity_missing_and_request_emails_owners(client, django_capture_on_commit_callbacks):
    upp = UppFactory(email="pemilik@example.go.id")
    InnovationFactory(unit=upp.unit, title="Belum menjawab")
    client.force_login(MinistryUserFactory())
    response = client.get(reverse("institutionalisation:continuity_missing"), {"year": "2026"})
    assert "Belum menjawab" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("institutionalisation:continuity_request"), {"year": "2026"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["pemilik@example.go.id"]]


def test_worklist_requires_login(client):
    response = client.get(reverse("institutionalisation:worklist"))
    assert response.status_code == 302


def test_api_legal_bases_public_and_unprotected_private(client):
    LegalBasisFactory(type="perda", strength=5)
    LegalBasisFactory(innovation=InnovationFactory(draft=True))
    assert client.get("/api/v1/legal-bases/").json()["count"] == 1
    assert client.get("/api/v1/legal-bases/?type=bogus").status_code == 400
    assert client.get("/api/v1/unprotected/").status_code in (401, 403)
    assert client.get("/api/v1/continuity-updates/?status=bogus").status_code == 400
