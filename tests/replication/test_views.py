import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jipp.replication import services
from jipp.replication.models import Replication
from tests.factories import MinistryUserFactory, UppFactory
from tests.factories.registry import InnovationFactory
from tests.factories.replication import PDF, ReplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted():
    source = UppFactory()
    adopter = UppFactory()
    innovation = InnovationFactory(unit=source.unit, title="Akta Keliling")
    replication = services.request_replication(
        user=adopter, innovations=[innovation], adopter_unit=None, mode="mentoring", request_note="Mohon"
    )
    # Stages cannot start before the request: date it before the stages these tests record.
    asked = dt.datetime(2025, 12, 1, 3, 0, tzinfo=dt.UTC)
    Replication.objects.filter(pk=replication.pk).update(created_at=asked)
    replication.created_at = asked
    services.respond_to_request(user=source, replication=replication, accept=True, note="Siap")
    return source, adopter, replication


def test_detail_source_posting_adopter_stage_is_forbidden(client, accepted):
    source, _adopter, replication = accepted
    client.force_login(source)
    url = reverse("replication:detail", args=[replication.public_id])
    response = client.post(url, {"action": "stage", "stage": "preparation", "started_on": "2026-01-01"})
    assert response.status_code == 403
    assert not replication.stages.exists()


def test_detail_adopter_bad_dates_keeps_text_and_names_stage(client, accepted):
    _source, adopter, replication = accepted
    client.force_login(adopter)
    url = reverse("replication:detail", args=[replication.public_id])
    response = client.post(
        url,
        {
            "action": "stage",
            "stage": "adaptation",
            "started_on": "2026-03-01",
            "completed_on": "2026-02-01",
            "notes": "Catatan penting kami",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Catatan penting kami" in content
    assert "Adaptasi" in content or "Adaptation" in content
    assert not replication.stages.exists()


def test_detail_adopter_records_stage_and_uploads_statement(client, accepted):
    _source, adopter, replication = accepted
    client.force_login(adopter)
    url = reverse("replication:detail", args=[replication.public_id])
    response = client.post(url, {"action": "stage", "stage": "implementation", "started_on": "2026-01-10"})
    assert response.status_code == 302
    upload = SimpleUploadedFile("pernyataan.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"action": "document", "kind": "implementation_statement", "file": upload})
    assert response.status_code == 302
    response = client.post(url, {"action": "outcome", "outcome": "succeeded_continuing", "reason": ""})
    assert response.status_code == 302
    replication.refresh_from_db()
    assert replication.is_successful
    document = replication.documents.get()
    client.logout()
    download = client.get(reverse("replication:document", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_detail_of_unfinished_replication_is_hidden_from_public(client, accepted):
    _source, _adopter, replication = accepted
    response = client.get(reverse("replication:detail", args=[replication.public_id]))
    assert response.status_code == 404


def test_request_form_refuses_own_agency_innovation_and_keeps_text(client):
    upp = UppFactory()
    own = InnovationFactory(unit=upp.unit)
    client.force_login(upp)
    response = client.post(
        reverse("replication:request", args=[own.pk]), {"mode": "mentoring", "request_note": "Teks saya yang panjang"}
    )
    assert response.status_code == 200
    assert "Teks saya yang panjang" in response.content.decode()
    assert not Replication.objects.exists()


def test_request_form_creates_request(client):
    upp = UppFactory()
    other = InnovationFactory(title="Puskesmas Keliling")
    client.force_login(upp)
    response = client.post(
        reverse("replication:request", args=[other.pk]), {"mode": "field_visit", "request_note": "Kami ingin kaji tiru"}
    )
    replication = Replication.objects.get()
    assert response.url == reverse("replication:detail", args=[replication.public_id])
    assert replication.mode == "field_visit" and replication.adopter_agency == upp.agency


def test_story_list_shows_successful_only_with_constant_queries(client, django_assert_max_num_queries):
    ReplicationFactory(
        status="accepted", is_successful=True, differences="Pakai WhatsApp", completed_on=dt.date(2025, 5, 1)
    )
    ReplicationFactory(status="accepted")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("replication:stories"))
    assert response.context["page"].paginator.count == 1
    assert "Pakai WhatsApp" in response.content.decode()
    for _ in range(3):
        ReplicationFactory(status="accepted", is_successful=True, completed_on=dt.date(2025, 5, 1))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("replication:stories"))
    assert response.context["page"].paginator.count == 4


def test_list_for_agency_shows_both_sides_and_exports(client, accepted):
    source, adopter, replication = accepted
    ReplicationFactory()  # someone else's
    client.force_login(source)
    response = client.get(reverse("replication:list"))
    assert [r.pk for r in response.context["page"]] == [replication.pk]
    csv = client.get(reverse("replication:list") + "?format=csv")
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("public_id,innovation")
    assert str(replication.public_id) in body
    xlsx = client.get(reverse("replication:list") + "?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_queries_do_not_grow(client, django_assert_max_num_queries):
    ministry = MinistryUserFactory()
    client.force_login(ministry)
    ReplicationFactory()
    with django_assert_max_num_queries(12):
        client.get(reverse("replication:list"))
    for _ in range(3):
        ReplicationFactory()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("replication:list"))
    assert response.context["page"].paginator.count == 4


def test_network_and_counts_render(client):
    ReplicationFactory(status="accepted", is_successful=True)
    network = client.get(reverse("replication:network"))
    assert network.status_code == 200
    assert 'class="province-map"' in network.content.decode()
    counts = client.get(reverse("replication:counts") + "?format=csv")
    assert b"".join(counts.streaming_content).decode("utf-8-sig").startswith("code,province")


def test_finder_without_index_explains(client, settings, tmp_path):
    settings.REPLICATION_INDEX_DIR = tmp_path
    response = client.get(reverse("replication:finder"), {"problem": "antrian akta"})
    assert response.context["not_ready"] is True


def test_list_ignores_malformed_filters(client):
    client.force_login(MinistryUserFactory())
    response = client.get(reverse("replication:list"), {"side": "adopter", "agency_id": "abc", "status": "x"})
    assert response.status_code == 200
