import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jipp.institutionalisation import selectors, services
from jipp.institutionalisation.models import LegalBasis, ProtectionStatus
from jipp.registry.models import Innovation
from tests.factories import UppFactory
from tests.factories.institutionalisation import LegalBasisFactory, SustainabilityCheckFactory
from tests.factories.registry import ContinuityUpdateFactory, InnovationFactory
from tests.factories.replication import PDF

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def owned():
    upp = UppFactory()
    return upp, InnovationFactory(unit=upp.unit)


def add(user, innovation, **overrides):
    data = {
        "type": "perkada",
        "number": "12",
        "issued_on": dt.date(2024, 2, 1),
        "title": "Perbup inovasi",
        "issued_by": "Bupati Contoh",
        "today": TODAY,
    }
    data.update(overrides)
    return services.add_legal_basis(user=user, innovation=innovation, **data)


def test_add_legal_basis_sets_registry_flag_and_strength(owned):
    upp, innovation = owned
    basis = add(upp, innovation, document=SimpleUploadedFile("perbup.pdf", PDF))
    innovation.refresh_from_db()
    assert innovation.has_legal_basis is True
    assert basis.strength == 4 and basis.year == 2024 and basis.content_type == "application/pdf"
    assert ProtectionStatus.objects.get(innovation=innovation).strength == 4


def test_add_legal_basis_in_the_future_is_refused(owned):
    upp, innovation = owned
    with pytest.raises(ValidationError) as error:
        add(upp, innovation, issued_on=dt.date(2026, 11, 28))
    assert "issued_on" in error.value.message_dict
    assert not LegalBasis.objects.exists()


def test_add_legal_basis_today_is_accepted(owned):
    upp, innovation = owned
    assert add(upp, innovation, issued_on=TODAY).issued_on == TODAY


def test_duplicate_number_same_issuer_and_year_is_refused(owned):
    upp, innovation = owned
    add(upp, innovation)
    with pytest.raises(ValidationError) as error:
        add(upp, innovation, issued_by="bupati contoh ", issued_on=dt.date(2024, 9, 1), title="Lain")
    assert "12" in error.value.message_dict["number"][0]
    add(upp, innovation, issued_on=dt.date(2025, 1, 5))  # same number, next year: a new decree
    add(upp, innovation, issued_by="Sekretaris Daerah")  # another issuer
    assert innovation.legal_bases.count() == 3


def test_add_legal_basis_by_other_agency_is_forbidden(owned):
    _upp, innovation = owned
    with pytest.raises(PermissionDenied):
        add(UppFactory(), innovation)


def test_add_legal_basis_with_forged_document_saves_nothing(owned):
    upp, innovation = owned
    with pytest.raises(ValidationError):
        add(upp, innovation, document=SimpleUploadedFile("perbup.pdf", b"MZ\x90\x00 not a pdf"))
    assert not LegalBasis.objects.exists()
    innovation.refresh_from_db()
    assert innovation.has_legal_basis is False


def test_strongest_basis_for_picks_the_strongest(owned):
    _upp, innovation = owned
    LegalBasisFactory(innovation=innovation, type="sop", strength=1)
    perda = LegalBasisFactory(innovation=innovation, type="perda", strength=5)
    LegalBasisFactory(innovation=innovation, type="sk_kepala_daerah", strength=3)
    assert selectors.strongest_basis_for(innovation) == perda
    assert selectors.strongest_basis_for(InnovationFactory()) is None


def test_delete_last_legal_basis_clears_flag(owned):
    upp, innovation = owned
    basis = add(upp, innovation)
    services.delete_legal_basis(user=upp, legal_basis=basis)
    innovation.refresh_from_db()
    assert innovation.has_legal_basis is False


def status(innovation, as_of=TODAY):
    services.refresh_protection(innovation_ids=[innovation.pk], as_of=as_of)
    return ProtectionStatus.objects.get(innovation=innovation)


def test_unprotected_two_years_in_operation_boundary():
    innovation = InnovationFactory(stage="in_operation", rollout_date=dt.date(2024, 11, 27), budget_source="apbd")
    assert status(innovation, dt.date(2026, 11, 26)).is_proven is False
    on_day = status(innovation, dt.date(2026, 11, 27))
    assert on_day.is_proven and on_day.by_operation and on_day.is_unprotected
    assert on_day.gaps == ["no_legal_basis"]


def test_unprotected_trial_stage_never_proven_by_age():
    innovation = InnovationFactory(stage="trial", rollout_date=dt.date(2015, 1, 1))
    assert status(innovation).is_proven is False


def test_unprotected_kipp_tier_or_replication_makes_proven():
    tier = InnovationFactory(stage="trial", award_tier="top99")
    replicated = InnovationFactory(stage="trial", replication_count=1)
    assert status(tier).by_kipp_tier and status(tier).is_unprotected
    assert status(replicated).by_replication and status(replicated).is_unprotected


def test_protected_needs_both_legal_basis_and_budget_line():
    innovation = InnovationFactory(stage="trial", award_tier="top45", budget_source="apbd")
    LegalBasisFactory(innovation=innovation)
    assert status(innovation).is_unprotected is False
    SustainabilityCheckFactory(innovation=innovation, budget_source="", checked_on=dt.date(2026, 1, 1))
    latest = status(innovation)
    assert latest.is_unprotected and latest.gaps == ["no_budget_line"]
    SustainabilityCheckFactory(innovation=innovation, budget_source="apbd", checked_on=dt.date(2026, 6, 1))
    assert status(innovation).is_unprotected is False


def test_registry_budget_none_counts_as_no_budget_line_without_checklist():
    innovation = InnovationFactory(stage="trial", award_tier="top45", budget_source="none")
    LegalBasisFactory(innovation=innovation)
    assert status(innovation).gaps == ["no_budget_line"]


def test_sustainability_check_in_future_refused(owned):
    upp, innovation = owned
    with pytest.raises(ValidationError):
        services.add_sustainability_check(
            user=upp,
            innovation=innovation,
            checked_on=dt.date(2027, 1, 1),
            budget_source="apbd",
            has_sop=True,
            has_staff=True,
            has_legal_basis=False,
            has_monitoring=False,
            in_unit_duties=False,
            today=TODAY,
        )


def test_owners_to_ask_uses_the_latest_update_year():
    answered = InnovationFactory()
    ContinuityUpdateFactory(innovation=answered, year=2026, reported_on=dt.date(2026, 2, 1))
    late = InnovationFactory()
    ContinuityUpdateFactory(innovation=late, year=2025, reported_on=dt.date(2025, 12, 1))
    never = InnovationFactory()
    InnovationFactory(draft=True)
    assert set(services.owners_to_ask(2026)) == {late, never}
    assert set(services.owners_to_ask(2025)) == {never}
    assert Innovation.objects.count() == 4
