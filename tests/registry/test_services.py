import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from jipp.registry.models import Innovation
from jipp.registry.services import (
    StaleVersionError,
    add_continuity_update,
    create_innovation,
    set_status,
    update_innovation,
)
from tests.factories import AdminLokalFactory, ServiceUnitFactory, UppFactory

pytestmark = pytest.mark.django_db


def test_upp_creates_draft_for_own_unit_with_derived_fields():
    upp = UppFactory()
    innovation = create_innovation(
        user=upp,
        unit=upp.unit,
        data={"title": "Si Akrab", "summary": "Akta keliling.", "start_date": dt.date(2022, 3, 1)},
    )
    assert innovation.status == Innovation.Status.DRAFT
    assert (innovation.agency, innovation.region, innovation.year_started) == (upp.agency, upp.agency.region, 2022)
    assert innovation.search_title == "si akrab"


def test_upp_cannot_create_for_another_unit():
    upp = UppFactory()
    with pytest.raises(PermissionDenied):
        create_innovation(user=upp, unit=ServiceUnitFactory(), data={"title": "X", "summary": "Y"})
    assert not Innovation.objects.exists()


def test_missing_title_is_refused_and_nothing_saved():
    upp = UppFactory()
    with pytest.raises(ValidationError) as exc:
        create_innovation(user=upp, unit=upp.unit, data={"title": "", "summary": "Y"})
    assert "title" in exc.value.message_dict
    assert not Innovation.objects.exists()


def test_only_admin_lokal_of_agency_publishes(make_innovation):
    innovation = make_innovation("Draf", status=Innovation.Status.DRAFT)
    upp = UppFactory(unit=innovation.unit)
    with pytest.raises(PermissionDenied):
        set_status(user=upp, innovation=innovation, status="published")
    with pytest.raises(PermissionDenied):
        set_status(user=AdminLokalFactory(), innovation=innovation, status="published")
    set_status(user=AdminLokalFactory(agency=innovation.agency), innovation=innovation, status="published")
    innovation.refresh_from_db()
    assert innovation.status == "published" and innovation.published_at is not None


def test_second_save_of_same_version_is_refused(make_innovation):
    innovation = make_innovation("Versi Awal")
    admin = AdminLokalFactory(agency=innovation.agency)
    update_innovation(user=admin, innovation=innovation, data={"title": "Versi Dua"}, expected_version=2)
    with pytest.raises(StaleVersionError) as exc:
        update_innovation(user=admin, innovation=innovation, data={"title": "Versi Tiga"}, expected_version=2)
    assert exc.value.current.title == "Versi Dua"
    innovation.refresh_from_db()
    assert (innovation.title, innovation.version) == ("Versi Dua", 3)


def test_every_change_is_in_the_audit_log(make_innovation):
    innovation = make_innovation("Judul Awal")
    admin = AdminLokalFactory(agency=innovation.agency)
    update_innovation(
        user=admin, innovation=innovation, data={"title": "Judul Baru"}, expected_version=innovation.version
    )
    entry = LogEntry.objects.get_for_object(innovation).filter(changes__icontains="Judul Baru").get()
    assert entry.changes_dict["title"] == ["Judul Awal", "Judul Baru"]


def test_other_agency_admin_cannot_edit(make_innovation):
    innovation = make_innovation("Milik A")
    with pytest.raises(PermissionDenied):
        update_innovation(user=AdminLokalFactory(), innovation=innovation, data={"title": "B"}, expected_version=2)


def test_continuity_update_sets_current_status_and_needs_reason_when_stopped(make_innovation):
    innovation = make_innovation("Berlanjut")
    upp = UppFactory(unit=innovation.unit)
    with pytest.raises(ValidationError):
        add_continuity_update(user=upp, innovation=innovation, year=2025, status="stopped", reason="",
                              reported_on=dt.date(2025, 12, 1))  # fmt: skip
    add_continuity_update(user=upp, innovation=innovation, year=2024, status="growing", reason="",
                          reported_on=dt.date(2024, 12, 1))  # fmt: skip
    add_continuity_update(user=upp, innovation=innovation, year=2025, status="stopped", reason="Anggaran habis",
                          reported_on=dt.date(2025, 12, 1))  # fmt: skip
    innovation.refresh_from_db()
    assert innovation.continuity == "stopped"
    with pytest.raises(ValidationError):
        add_continuity_update(user=upp, innovation=innovation, year=2025, status="growing", reason="",
                              reported_on=dt.date(2025, 12, 2))  # fmt: skip
