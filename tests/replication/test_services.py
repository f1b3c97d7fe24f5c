import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jipp.registry.models import Innovation
from jipp.replication import services
from jipp.replication.models import Replication, TimelineEntry
from tests.factories import AdminLokalFactory, MinistryUserFactory, ServiceUnitFactory, UppFactory
from tests.factories.registry import InnovationFactory
from tests.factories.replication import PDF

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def pdf(name="surat.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def parties():
    source_upp = UppFactory(email="source@example.go.id")
    innovation = InnovationFactory(unit=source_upp.unit)
    adopter = UppFactory(email="adopter@example.go.id")
    return source_upp, innovation, adopter


ASKED = dt.datetime(2025, 12, 1, 3, 0, tzinfo=dt.UTC)  # before every stage date below


def request(adopter, innovation, **kwargs):
    replication = services.request_replication(
        user=adopter,
        innovations=[innovation],
        adopter_unit=None,
        mode="mentoring",
        problem="Antrian panjang",
        request_note="Mohon pendampingan",
        **kwargs,
    )
    # Stages cannot start before the request: date it before the stages these tests record.
    Replication.objects.filter(pk=replication.pk).update(created_at=ASKED)
    replication.created_at = ASKED
    return replication


def complete(adopter, replication):
    day = dt.date(2026, 1, 5)
    for stage in ("preparation", "agreement", "adaptation", "implementation"):
        services.record_stage(
            user=adopter,
            replication=replication,
            stage=stage,
            started_on=day,
            completed_on=day + dt.timedelta(days=10),
            today=TODAY,
        )
        day += dt.timedelta(days=20)
    services.add_document(user=adopter, replication=replication, kind="implementation_statement", uploaded=pdf())
    return services.set_outcome(user=adopter, replication=replication, outcome="succeeded_continuing")


def test_request_replication_creates_shared_record_and_notifies_both_sides(parties, django_capture_on_commit_callbacks):
    source_upp, innovation, adopter = parties
    with django_capture_on_commit_callbacks(execute=True):
        replication = request(adopter, innovation, request_letter=pdf())
    assert replication.status == Replication.Status.REQUESTED
    assert replication.source_agency == innovation.agency
    assert replication.adopter_agency == adopter.agency
    assert replication.adopter_unit == adopter.unit
    assert list(replication.sources.all()) == [innovation]
    assert replication.documents.get().kind == "request_letter"
    assert [e.kind for e in replication.timeline.all()] == ["requested", "document"]
    # Through the platform's notifications: the source side is told, the adopter did it itself.
    assert sorted(m.to[0] for m in mail.outbox) == ["source@example.go.id"]


def test_request_replication_of_own_agency_is_refused(parties):
    source_upp, innovation, _adopter = parties
    colleague = UppFactory(unit=ServiceUnitFactory(agency=innovation.agency))
    with pytest.raises(ValidationError) as error:
        request(colleague, innovation)
    assert "own agency" in str(error.value)
    assert not Replication.objects.exists()


def test_request_replication_of_draft_is_refused(parties):
    _source, _innovation, adopter = parties
    draft = InnovationFactory(draft=True)
    with pytest.raises(ValidationError):
        request(adopter, draft)


def test_request_replication_by_evaluator_is_forbidden(parties):
    from tests.factories import UserFactory

    _source, innovation, _adopter = parties
    with pytest.raises(PermissionDenied):
        request(UserFactory(), innovation)


def test_request_replication_with_fake_pdf_saves_nothing(parties):
    _source, innovation, adopter = parties
    fake = SimpleUploadedFile("surat.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        request(adopter, innovation, request_letter=fake)
    assert "file" in error.value.message_dict
    assert not Replication.objects.exists()


def test_respond_by_adopter_is_forbidden_and_decline_needs_note(parties):
    source_upp, innovation, adopter = parties
    replication = request(adopter, innovation)
    with pytest.raises(PermissionDenied):
        services.respond_to_request(user=adopter, replication=replication, accept=True, note="")
    with pytest.raises(ValidationError):
        services.respond_to_request(user=source_upp, replication=replication, accept=False, note=" ")
    services.respond_to_request(user=source_upp, replication=replication, accept=True, note="Siap")
    replication.refresh_from_db()
    assert replication.status == Replication.Status.ACCEPTED
    assert replication.responded_by == source_upp


def test_source_cannot_edit_adopter_parts_and_reverse(parties):
    source_upp, innovation, adopter = parties
    replication = request(adopter, innovation)
    services.respond_to_request(user=source_upp, replication=replication, accept=True, note="")
    with pytest.raises(PermissionDenied):
        services.record_stage(
            user=source_upp, replication=replication, stage="preparation", started_on=dt.date(2026, 1, 1), today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.set_outcome(user=source_upp, replication=replication, outcome="abandoned", reason="x")
    with pytest.raises(PermissionDenied):
        services.update_support(user=adopter, replication=replication, support_notes="bukan bagian saya")
    services.update_support(user=source_upp, replication=replication, support_notes="Pendampingan daring")
    with pytest.raises(ValidationError):  # the source cannot upload the adopter's statement
        services.add_document(user=source_upp, replication=replication, kind="implementation_statement", uploaded=pdf())


def test_stages_require_acceptance(parties):
    _source, innovation, adopter = parties
    replication = request(adopter, innovation)
    with pytest.raises(PermissionDenied):
        services.record_stage(
            user=adopter, replication=replication, stage="preparation", started_on=dt.date(2026, 1, 1), today=TODAY
        )


def test_stage_dates_out_of_order_are_refused_naming_the_stage(parties):
    source_upp, innovation, adopter = parties
    replication = request(adopter, innovation)
    services.respond_to_request(user=source_upp, replication=replication, accept=True, note="")
    with pytest.raises(ValidationError) as error:
        services.record_stage(
            user=adopter,
            replication=replication,
            stage="agreement",
            started_on=dt.date(2026, 3, 1),
            completed_on=dt.date(2026, 2, 1),
            today=TODAY,
        )
    assert "Agreement" in error.value.message_dict["completed_on"][0]
    services.record_stage(
        user=adopter, replication=replication, stage="adaptation", started_on=dt.date(2026, 3, 1), today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        services.record_stage(
            user=adopter, replication=replication, stage="implementation", started_on=dt.date(2026, 2, 1), today=TODAY
        )
    assert "Implementation" in error.value.message_dict["started_on"][0]
    assert "Adaptation" in error.value.message_dict["started_on"][0]
    with pytest.raises(ValidationError):
        services.record_stage(
            user=adopter, replication=replication, stage="preparation", started_on=dt.date(2027, 1, 1), today=TODAY
        )
    assert list(replication.stages.values_list("stage", flat=True)) == ["adaptation"]


def test_success_needs_implementation_stage_and_statement(parties):
    source_upp, innovation, adopter = parties
    replication = request(adopter, innovation)
    services.respond_to_request(user=source_upp, replication=replication, accept=True, note="")
    with pytest.raises(ValidationError) as error:
        services.set_outcome(user=adopter, replication=replication, outcome="succeeded_continuing")
    assert "implementation stage" in str(error.value)
    services.record_stage(
        user=adopter, replication=replication, stage="implementation", started_on=dt.date(2026, 2, 1), today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        services.set_outcome(user=adopter, replication=replication, outcome="succeeded_continuing")
    assert "statement" in str(error.value)


def test_completed_replication_counts_once_per_adopting_agency(parties):
    source_upp, innovation, adopter = parties
    first = request(adopter, innovation)
    services.respond_to_request(user=source_upp, replication=first, accept=True, note="")
    complete(adopter, first)
    innovation.refresh_from_db()
    assert innovation.replication_count == 1
    first.refresh_from_db()
    assert first.is_successful and first.stage == "implementation" and first.completed_on == dt.date(2026, 3, 16)
    # A second unit of the same adopting agency: still one adopting agency.
    sibling = UppFactory(unit=ServiceUnitFactory(agency=adopter.agency))
    second = request(sibling, innovation)
    services.respond_to_request(user=source_upp, replication=second, accept=True, note="")
    complete(sibling, second)
    innovation.refresh_from_db()
    assert innovation.replication_count == 1
    # Another agency: two.
    other = UppFactory()
    third = request(other, innovation)
    services.respond_to_request(user=source_upp, replication=third, accept=True, note="")
    complete(other, third)
    innovation.refresh_from_db()
    assert innovation.replication_count == 2
    assert innovation.adopter_band == "2"


def test_abandoning_after_success_removes_the_adopter_from_the_count(parties):
    source_upp, innovation, adopter = parties
    replication = request(adopter, innovation)
    services.respond_to_request(user=source_upp, replication=replication, accept=True, note="")
    complete(adopter, replication)
    with pytest.raises(ValidationError):
        services.set_outcome(user=adopter, replication=replication, outcome="abandoned", reason="")
    services.set_outcome(user=adopter, replication=replication, outcome="abandoned", reason="Anggaran habis")
    innovation.refresh_from_db()
    assert innovation.replication_count == 0
    assert replication.timeline.filter(kind=TimelineEntry.Kind.OUTCOME).count() == 2


def test_request_by_admin_lokal_for_a_unit_of_another_agency_is_refused(parties):
    _source, innovation, _adopter = parties
    admin = AdminLokalFactory()
    with pytest.raises(ValidationError):
        services.request_replication(
            user=admin, innovations=[innovation], adopter_unit=ServiceUnitFactory(), mode="mentoring"
        )


def test_ministry_sees_but_cannot_answer(parties):
    _source, innovation, adopter = parties
    replication = request(adopter, innovation)
    ministry = MinistryUserFactory()
    assert ministry.has_perm("replication.view_replication", replication)
    with pytest.raises(PermissionDenied):
        services.respond_to_request(user=ministry, replication=replication, accept=True, note="")


def test_withdraw_only_while_requested(parties):
    source_upp, innovation, adopter = parties
    replication = request(adopter, innovation)
    services.withdraw_request(user=adopter, replication=replication)
    assert Replication.objects.get().status == "withdrawn"
    # The source agency sees the request, so it is told why (issue #14: the loser hears "already ...").
    with pytest.raises(ValidationError) as refused:
        services.respond_to_request(user=source_upp, replication=replication, accept=True, note="")
    assert refused.value.code == "already"
    assert Replication.objects.get().status == "withdrawn"


def test_withdrawn_innovation_cannot_be_requested(parties):
    _source, innovation, adopter = parties
    Innovation.objects.filter(pk=innovation.pk).update(status="withdrawn")
    innovation.refresh_from_db()
    with pytest.raises(ValidationError):
        request(adopter, innovation)
