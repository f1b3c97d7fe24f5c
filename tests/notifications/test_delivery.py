"""Every workflow tells people through the one notifications path: in-app always, and by e-mail as the
recipient chose (never, immediately, or in the daily digest), in the recipient's language."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from jipp.competition import services as competition
from jipp.hubs.services.work import record_activity
from jipp.institutionalisation.tasks import request_continuity_updates
from jipp.notifications.models import Notification, Preference
from jipp.notifications.services import set_preference
from jipp.registry import revisions
from jipp.registry import services as registry
from jipp.replication import services as replication
from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory
from tests.factories.competition import PDF, ProposalFactory, complete_proposal, juklak_edition
from tests.factories.hubs import HubAdminFactory, HubFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db

ADDRESS = "penerima@example.go.id"


def _letter():
    return SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf")


def _replication_request(source_upp, innovation):
    adopter = UppFactory()
    return replication.request_replication(
        user=adopter,
        innovations=[innovation],
        adopter_unit=None,
        mode="mentoring",
        problem="Antrian panjang",
        request_note="Mohon pendampingan",
        request_letter=_letter(),
    )


# Each workflow: (build the recipient) -> (make the event happen); returns the kind sent to the recipient.
def registry_publication(capture):
    innovation = InnovationFactory(draft=True, title="Layanan Jemput Bola")
    upp = UppFactory(unit=innovation.unit, email=ADDRESS)
    admin = AdminLokalFactory(agency=innovation.agency, email="")
    yield upp
    with capture(execute=True):
        registry.set_status(user=admin, innovation=innovation, status="published")
    yield "registry.published"


def registry_edit_review(capture):
    innovation = InnovationFactory(title="Akta Keliling", version=3)
    upp = UppFactory(unit=innovation.unit, email="")
    admin = AdminLokalFactory(agency=innovation.agency, email=ADDRESS)
    yield admin
    with capture(execute=True):
        revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Akta Desa"}, expected_version=3)
    yield "registry.revision_submitted"


def replication_request(capture):
    innovation = InnovationFactory(title="Si Akrab")
    source = UppFactory(unit=innovation.unit, email=ADDRESS)
    yield source
    with capture(execute=True):
        _replication_request(source, innovation)
    yield "replication.requested"


def replication_answer(capture):
    innovation = InnovationFactory(title="Si Akrab")
    record = _replication_request(UppFactory(unit=innovation.unit, email=""), innovation)
    adopter = record.requested_by
    adopter.email = ADDRESS
    adopter.save(update_fields=["email"])
    source_admin = AdminLokalFactory(agency=innovation.agency, email="")
    yield adopter
    with capture(execute=True):
        replication.respond_to_request(user=source_admin, replication=record, accept=False, note="Belum siap")
    yield "replication.declined"


def continuity_reminder(capture):
    upp = UppFactory(email=ADDRESS)
    InnovationFactory(unit=upp.unit)
    yield upp
    with capture(execute=True):
        request_continuity_updates.call(2026)
    yield "continuity.requested"


def hub_activity(capture):
    hub = HubFactory()
    admin = HubAdminFactory(agency=hub.agency, email=ADDRESS)
    yield admin
    with capture(execute=True):
        record_activity(
            hub=hub,
            recorded_by=MinistryUserFactory(),
            kind="coaching_clinic",
            title="Klinik inovasi",
            starts_on=dt.date(2026, 3, 2),
            ends_on=dt.date(2026, 3, 2),
        )
    yield "hubs.activity"


def kipp_proposal(capture):
    proposal = complete_proposal(ProposalFactory(edition=juklak_edition(2026)))
    upp = UppFactory(unit=proposal.unit, email="")
    admin = AdminLokalFactory(agency=proposal.agency, email=ADDRESS)
    yield admin
    with capture(execute=True):
        competition.submit_to_admin_lokal(user=upp, proposal=proposal)
    yield "kipp.proposal"


def kipp_review_reminder(capture):
    from jipp.competition.evaluation import services as evaluation
    from jipp.competition.evaluation.models import Assignment
    from tests.factories.evaluation import EvaluatorUserFactory

    edition = juklak_edition(2026)
    evaluator = EvaluatorUserFactory(email=ADDRESS)
    for _ in range(2):
        Assignment.objects.create(edition=edition, proposal=ProposalFactory(edition=edition), evaluator=evaluator)
    yield evaluator
    with capture(execute=True):
        assert evaluation.send_reminders(user=MinistryUserFactory(), edition=edition) == 1
    yield "kipp.review_reminder"


WORKFLOWS = [
    registry_publication,
    registry_edit_review,
    replication_request,
    replication_answer,
    continuity_reminder,
    hub_activity,
    kipp_proposal,
    kipp_review_reminder,
]


def _run(workflow, capture, email: str):
    steps = workflow(capture)
    recipient = next(steps)
    set_preference(user=recipient, email=email, language="id")
    kind = next(steps)
    return recipient, kind


def _mails_to_recipient():
    return [m for m in mail.outbox if m.to == [ADDRESS]]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.__name__)
def test_email_off_leaves_only_the_in_app_notification(workflow, django_capture_on_commit_callbacks):
    recipient, kind = _run(workflow, django_capture_on_commit_callbacks, Preference.Email.OFF)
    assert list(Notification.objects.filter(recipient=recipient).values_list("kind", "read_at")) == [(kind, None)]
    assert _mails_to_recipient() == []
    call_command("send_notification_digest", stdout=io.StringIO())
    assert _mails_to_recipient() == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.__name__)
def test_immediate_email_is_one_message_in_the_recipients_language(workflow, django_capture_on_commit_callbacks):
    recipient, kind = _run(workflow, django_capture_on_commit_callbacks, Preference.Email.IMMEDIATE)
    note = Notification.objects.get(recipient=recipient)
    assert note.kind == kind
    [message] = _mails_to_recipient()
    with translation.override("id"):
        assert note.text in message.body
        assert message.subject.startswith(f"[Hub JIPP] {note.area}: ")
    assert note.url in message.body
    assert Notification.objects.get(recipient=recipient).emailed_at is not None


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.__name__)
def test_daily_digest_holds_the_email_until_the_digest_runs(workflow, django_capture_on_commit_callbacks):
    recipient, kind = _run(workflow, django_capture_on_commit_callbacks, Preference.Email.DAILY)
    assert _mails_to_recipient() == []
    call_command("send_notification_digest", stdout=io.StringIO())
    [message] = _mails_to_recipient()
    assert message.subject == "[Hub JIPP] 1 notifikasi baru"
    with translation.override("id"):
        assert Notification.objects.get(recipient=recipient, kind=kind).text in message.body


def test_review_reminder_reads_in_the_evaluators_language(django_capture_on_commit_callbacks):
    steps = kipp_review_reminder(django_capture_on_commit_callbacks)
    evaluator = next(steps)
    next(steps)
    note = Notification.objects.get(recipient=evaluator)
    assert note.url == "/kipp/evaluation/reviews/"
    with translation.override("id"):
        assert note.text == "KIPP 2026: masih ada 2 dari 2 penilaian yang perlu Anda kirim."
    with translation.override("en"):
        assert note.text == "KIPP 2026: you still have 2 of 2 reviews to submit."


def test_replication_mails_only_through_notifications_and_never_the_actor(django_capture_on_commit_callbacks):
    innovation = InnovationFactory(title="Si Akrab")
    source = UppFactory(unit=innovation.unit, email="sumber@example.go.id")
    source_admin = AdminLokalFactory(agency=innovation.agency, email="lokal@example.go.id")
    set_preference(user=source_admin, email=Preference.Email.OFF, language="id")
    with django_capture_on_commit_callbacks(execute=True):
        record = _replication_request(source, innovation)
    record.requested_by.refresh_from_db()
    assert sorted(m.to[0] for m in mail.outbox) == ["sumber@example.go.id"]
    assert Notification.objects.filter(recipient=source_admin).count() == 1
    assert not Notification.objects.filter(recipient=record.requested_by).exists()


# ---- KIPP: read in the reader's language, whatever the actor's ----------------------------------


def test_kipp_notification_from_an_english_actor_reads_in_indonesian(client, django_capture_on_commit_callbacks):
    proposal = complete_proposal(ProposalFactory(edition=juklak_edition(2026), title="Si Akrab"))
    upp = UppFactory(unit=proposal.unit, email="")
    admin = AdminLokalFactory(agency=proposal.agency, email=ADDRESS)
    set_preference(user=admin, email=Preference.Email.IMMEDIATE, language="id")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        competition.submit_to_admin_lokal(user=upp, proposal=proposal)
    sentence = f'{proposal.unit.name} mengirim usulan "Si Akrab" untuk diperiksa.'
    client.force_login(admin)
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert sentence.replace('"', "&quot;") in page
    assert "sent the proposal" not in page
    [message] = _mails_to_recipient()
    assert f"- [KIPP] {sentence}" in message.body
    assert message.subject == f"[Hub JIPP] KIPP: {sentence}"
    with translation.override("en"):
        assert Notification.objects.get(recipient=admin).text == (
            f'{proposal.unit.name} sent the proposal "Si Akrab" for checking.'
        )


def test_kipp_decision_status_is_translated_for_each_reader(django_capture_on_commit_callbacks):
    from tests.factories.competition import forwarded_proposal

    proposal = forwarded_proposal(edition=juklak_edition(2026), title="Si Akrab")
    with translation.override("en"):
        competition.decide(user=MinistryUserFactory(), proposal=proposal, outcome="fail", reason="Judul ganda.")
    upp_note = Notification.objects.filter(recipient__unit=proposal.unit).latest("pk")
    with translation.override("id"):
        assert (
            upp_note.text == 'Seleksi administrasi "Si Akrab": Tidak lolos seleksi administrasi. Alasan: Judul ganda.'
        )
    with translation.override("en"):
        assert (
            upp_note.text
            == 'Administrative selection of "Si Akrab": Failed administrative selection. Reason: Judul ganda.'
        )
