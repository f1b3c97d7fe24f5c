"""The audit log read by people: sentences, labelled before/after, filters, and an export over every entry."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from jipp.core.exports import safe_cell
from tests.factories import AgencyFactory, MinistryUserFactory, UppFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_status_change_reads_as_a_sentence_with_labels_and_a_link(client):
    ministry = MinistryUserFactory(first_name="Sekar", last_name="Wangi")
    innovation = InnovationFactory(title="Si Akrab", draft=True)
    LogEntry.objects.log_create(
        innovation,
        action=LogEntry.Action.UPDATE,
        changes={"status": ["draft", "published"], "updated_at": ["a", "b"]},
        actor=ministry,
    )
    client.force_login(ministry)
    response = client.get(reverse("core:audit_log"), {"object": "Si Akrab"})
    body = response.content.decode()
    entry = response.context["page"].object_list[0]
    assert entry.sentence == "Sekar Wangi (Admin Kementerian) memindahkan inovasi “Si Akrab” dari “Draf” ke “Terbit”."
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("Publikasi", "Draf", "Terbit")]
    assert f'href="{reverse("registry:innovation_detail", args=[innovation.pk])}"' in body


def test_numbers_and_times_are_formatted_not_raw(client):
    ministry = MinistryUserFactory()
    agency = AgencyFactory(name="Kabupaten Angka")
    LogEntry.objects.log_create(
        agency,
        action=LogEntry.Action.UPDATE,
        changes={"name": ["70.0000000000000000000", "70.5000000000"]},
        actor=ministry,
    )
    entry = LogEntry.objects.filter(object_repr="Kabupaten Angka", action=LogEntry.Action.UPDATE).first()
    from jipp.core.audit import _value

    assert _value(None, "x" * 300).endswith("…")
    from decimal import Decimal

    from django.db import models

    field = models.DecimalField(max_digits=30, decimal_places=20)
    assert _value(field, "70.00000000000000000000") == "70"
    assert _value(field, "1234.5") == "1.234,5"
    moment = models.DateTimeField()
    assert _value(moment, "2026-11-30 18:36:00+00:00") == "1 Des 2026, 01.36 WIB"
    assert entry is not None
    assert Decimal("1") == 1


def test_default_object_repr_is_named_by_its_model(client):
    ministry = MinistryUserFactory()
    agency = AgencyFactory()
    entry = LogEntry.objects.get_for_object(agency).first()
    entry.object_repr = "Agency object (43)"
    entry.save()
    client.force_login(ministry)
    response = client.get(reverse("core:audit_log"), {"model": "regions.agency"})
    names = [e.object_name for e in response.context["page"].object_list]
    assert f"instansi #{agency.pk}" in names


def test_filters_by_person_and_agency(client):
    ministry = MinistryUserFactory()
    upp = UppFactory(first_name="Dewi", last_name="Lestari")
    InnovationFactory(title="Dicatat Dewi")
    innovation = InnovationFactory(title="Dicatat Dewi 2")
    LogEntry.objects.log_create(innovation, action=LogEntry.Action.UPDATE, changes={"title": ["a", "b"]}, actor=upp)
    client.force_login(ministry)
    by_person = client.get(reverse("core:audit_log"), {"actor": "Lestari"}).context["page"].object_list
    assert [e.actor for e in by_person] == ["Dewi Lestari (Operator UPP)"]
    by_agency = client.get(reverse("core:audit_log"), {"agency": upp.agency.name}).context["page"].object_list
    assert len(by_agency) == 1


def test_csv_export_over_every_entry_including_many_to_many_changes(client):
    ministry = MinistryUserFactory()
    innovation = InnovationFactory(title='=HYPERLINK("http://x")')
    LogEntry.objects.log_create(
        innovation,
        action=LogEntry.Action.UPDATE,
        changes={"categories": {"type": "m2m", "operation": "add", "objects": ["Kesehatan"]}},
        actor=ministry,
    )
    client.force_login(ministry)
    response = client.get(reverse("core:audit_log"), {"format": "csv"})
    assert response.status_code == 200
    rows = _csv(response)
    assert len(rows) == LogEntry.objects.count() + 1
    assert rows[0][:2] == ["Waktu", "Orang"]
    m2m = [r for r in rows if "Kesehatan" in r[8]]
    assert m2m[0][7].startswith("'=")
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_csv_export_is_for_the_ministry_only(client):
    client.force_login(UppFactory())
    assert client.get(reverse("core:audit_log"), {"format": "csv"}).status_code == 403


def test_audit_page_queries_are_bounded(client, django_assert_max_num_queries):
    ministry = MinistryUserFactory()
    for i in range(3):
        AgencyFactory(name=f"Instansi {i}")
    client.force_login(ministry)
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(15):
        assert client.get(reverse("core:audit_log")).status_code == 200


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-12,5", "-12,5"), ("+cmd", "'+cmd"), ("biasa", "biasa")],
)
def test_safe_cell_neutralises_formulas(text, safe):
    assert safe_cell(text) == safe
