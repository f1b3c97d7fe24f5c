"""Regression tests for replication defects found while trying the product as each role (issue 13)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from jipp.registry import services as registry_services
from jipp.registry.models import Innovation
from jipp.replication import index, services
from jipp.replication.models import Replication
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.REPLICATION_INDEX_DIR = tmp_path
    index._cache.clear()


@pytest.fixture
def requested():
    source = UppFactory()
    adopter = UppFactory()
    innovation = InnovationFactory(unit=source.unit, title="Akta Keliling")
    replication = services.request_replication(
        user=adopter, innovations=[innovation], adopter_unit=None, mode="mentoring", request_note="Mohon"
    )
    return source, adopter, replication


# --- an innovation published today appears in the replication finder ---------------------------


def test_innovation_published_today_is_found_by_the_replication_finder(client, django_capture_on_commit_callbacks):
    InnovationFactory(title="Layanan lama", summary="Antrian puskesmas")
    index.build_and_store()
    draft = InnovationFactory(
        status=Innovation.Status.DRAFT, published_at=None, title="Kartu antrian daring puskesmas",
        summary="Warga mengambil nomor antrian puskesmas dari rumah lewat aplikasi.",
    )  # fmt: skip
    admin = AdminLokalFactory(agency=draft.agency)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.set_status(user=admin, innovation=draft, status=Innovation.Status.PUBLISHED)
    client.force_login(UppFactory())
    response = client.get(reverse("replication:finder"), {"problem": "antrian puskesmas daring"})
    titles = [c.innovation.title for c in response.context["results"]]
    assert "Kartu antrian daring puskesmas" in titles


def test_withdrawn_innovation_leaves_the_replication_finder(django_capture_on_commit_callbacks):
    innovation = InnovationFactory(title="Kartu antrian daring puskesmas")
    index.build_and_store()
    admin = AdminLokalFactory(agency=innovation.agency)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.set_status(user=admin, innovation=innovation, status=Innovation.Status.WITHDRAWN)
    assert innovation.pk not in index.load().agency_of


# --- a declined request does not read "in progress" ------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected_id", "expected_en"),
    [(False, "Ditolak", "Declined"), (True, "Sedang berjalan", "In progress")],
)
def test_progress_label_follows_the_answer(client, requested, accept, expected_id, expected_en):
    source, adopter, replication = requested
    services.respond_to_request(user=source, replication=replication, accept=accept, note="Maaf, belum bisa")
    replication.refresh_from_db()
    with translation.override("en"):
        assert str(replication.progress_label) == expected_en
    client.force_login(adopter)
    response = client.get(reverse("replication:list"))
    cells = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert expected_id in cells
    if not accept:
        assert "Sedang berjalan" not in cells


def test_unanswered_request_reads_awaiting_an_answer(requested):
    _source, _adopter, replication = requested
    with translation.override("en"):
        assert str(replication.progress_label) == "Awaiting an answer"


def test_ongoing_filter_lists_only_accepted_replications(client, requested):
    source, adopter, replication = requested
    services.respond_to_request(user=source, replication=replication, accept=False, note="Maaf")
    client.force_login(adopter)
    response = client.get(reverse("replication:list"), {"outcome": "ongoing"})
    assert list(response.context["page"]) == []


# --- stages cannot be dated before the request -------------------------------------------------


def test_stage_dated_before_the_request_is_refused(requested):
    source, adopter, replication = requested
    services.respond_to_request(user=source, replication=replication, accept=True, note="Siap")
    asked_on = timezone.localdate(replication.created_at)
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.record_stage(
            user=adopter, replication=replication, stage="preparation",
            started_on=asked_on - dt.timedelta(days=1), today=asked_on + dt.timedelta(days=5),
        )  # fmt: skip
    assert caught.value.message_dict["started_on"] == [
        f"Preparation cannot start before the request was made ({asked_on.isoformat()})."
    ]
    assert not replication.stages.exists()
    record = services.record_stage(
        user=adopter, replication=replication, stage="preparation", started_on=asked_on,
        today=asked_on + dt.timedelta(days=5),
    )  # fmt: skip
    assert record.started_on == asked_on


def test_stage_before_the_request_is_refused_on_the_page_with_the_text_kept(client, requested):
    source, adopter, replication = requested
    services.respond_to_request(user=source, replication=replication, accept=True, note="Siap")
    client.force_login(adopter)
    response = client.post(
        reverse("replication:detail", args=[replication.public_id]),
        {"action": "stage", "stage": "preparation", "started_on": "2020-01-01", "notes": "Rapat awal kami"},
    )
    assert response.status_code == 400
    assert "Rapat awal kami" in response.content.decode()
    assert Replication.objects.get(pk=replication.pk).stages.count() == 0
