"""Notifications: one store for every workflow, read in the reader's language, e-mailed as each person prefers."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from jipp.competition import services as competition
from jipp.institutionalisation.tasks import request_continuity_updates
from jipp.notifications.models import Notification, Preference
from jipp.notifications.services import mark_read, notify, set_preference, unread_count
from jipp.registry import services as registry
from jipp.replication import services as replication
from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory
from tests.factories.competition import PDF, ProposalFactory, complete_proposal, juklak_edition
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


def test_notify_stores_kind_and_params_and_renders_in_each_language(django_capture_on_commit_callbacks):
    upp = UppFactory()
    innovation = InnovationFactory(unit=upp.unit, title="Si Akrab")
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notify([upp], "registry.published", innovation, title=innovation.title)
    assert note.kind == "registry.published"
    assert note.params == {"title": "Si Akrab"}
    with translation.override("id"):
        assert note.text == "Inovasi Anda “Si Akrab” telah diterbitkan di katalog."
    with translation.override("en"):
        assert note.text == "Your innovation “Si Akrab” was published in the catalogue."


def test_notify_skips_the_actor_duplicates_and_inactive_people():
    actor, other = UppFactory(), UppFactory()
    gone = UppFactory(is_active=False)
    created = notify([actor, other, other, None, gone], "generic", None, actor=actor, message="x")
    assert [n.recipient_id for n in created] == [other.pk]


def test_immediate_email_goes_out_after_commit(django_capture_on_commit_callbacks):
    upp = UppFactory(email="dewi@example.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        notify([upp], "generic", None, message="Halo")
    assert [m.to for m in mail.outbox] == [["dewi@example.go.id"]]
    assert Notification.objects.get().emailed_at is not None


def test_email_off_sends_nothing(django_capture_on_commit_callbacks):
    upp = UppFactory()
    set_preference(user=upp, email=Preference.Email.OFF, language="id")
    with django_capture_on_commit_callbacks(execute=True):
        notify([upp], "generic", None, message="Halo")
    assert mail.outbox == []
    assert unread_count(upp) == 1


def test_daily_digest_collects_unsent_notifications_once(django_capture_on_commit_callbacks):
    upp = UppFactory(email="digest@example.go.id")
    set_preference(user=upp, email=Preference.Email.DAILY, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify([upp], "generic", None, message="Satu")
        notify([upp], "generic", None, message="Dua")
    assert mail.outbox == []
    call_command("send_notification_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Hub JIPP] 2 new notifications"
    assert "Satu" in mail.outbox[0].body and "Dua" in mail.outbox[0].body
    call_command("send_notification_digest", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_mark_read_only_touches_own_notifications():
    upp, other = UppFactory(), UppFactory()
    notify([upp, other], "generic", None, message="x")
    assert mark_read(user=upp) == 1
    assert unread_count(upp) == 0
    assert unread_count(other) == 1


# ---- one test per workflow --------------------------------------------------------------


def test_registry_publication_notifies_the_unit(django_capture_on_commit_callbacks):
    upp = UppFactory()
    innovation = InnovationFactory(unit=upp.unit, draft=True, title="Layanan Jemput Bola")
    admin = AdminLokalFactory(agency=innovation.agency)
    with django_capture_on_commit_callbacks(execute=True):
        registry.set_status(user=admin, innovation=innovation, status="published")
    note = Notification.objects.get(recipient=upp)
    assert note.kind == "registry.published"
    assert note.url == reverse("registry:innovation_detail", args=[innovation.pk])
    assert note.actor == admin


def test_replication_request_notifies_the_source(django_capture_on_commit_callbacks):
    source = UppFactory()
    innovation = InnovationFactory(unit=source.unit, title="Si Akrab")
    adopter = UppFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record = replication.request_replication(
            user=adopter,
            innovations=[innovation],
            adopter_unit=None,
            mode="mentoring",
            problem="Antrian panjang",
            request_note="Mohon pendampingan",
            request_letter=SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
        )
    note = Notification.objects.get(recipient=source, kind="replication.requested")
    assert note.url == reverse("replication:detail", args=[record.public_id])
    with translation.override("id"):
        assert note.text == f"{adopter.agency} meminta mereplikasi “Si Akrab” dari {innovation.agency}."
    assert not Notification.objects.filter(recipient=adopter).exists()


def test_replication_answer_notifies_the_adopter(django_capture_on_commit_callbacks):
    source = UppFactory()
    innovation = InnovationFactory(unit=source.unit)
    adopter = UppFactory()
    record = replication.request_replication(
        user=adopter,
        innovations=[innovation],
        adopter_unit=None,
        mode="mentoring",
        problem="Antrian",
        request_note="Mohon",
        request_letter=SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    )
    source_admin = AdminLokalFactory(agency=innovation.agency)
    replication.respond_to_request(user=source_admin, replication=record, accept=False, note="Belum siap")
    assert Notification.objects.filter(recipient=adopter, kind="replication.declined").count() == 1


def test_kipp_proposal_messages_reach_the_platform_notifications(django_capture_on_commit_callbacks):
    edition = juklak_edition(2026)
    proposal = ProposalFactory(edition=edition)
    complete_proposal(proposal)
    upp = UppFactory(unit=proposal.unit)
    admin = AdminLokalFactory(agency=proposal.agency, email="lokal@example.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        competition.submit_to_admin_lokal(user=upp, proposal=proposal)
    note = Notification.objects.get(recipient=admin)
    assert note.kind == "kipp.proposal"
    assert proposal.title in note.text
    assert note.url == reverse("competition:proposal_detail", args=[proposal.pk])
    assert [m.to for m in mail.outbox] == [["lokal@example.go.id"]]


def test_continuity_request_notifies_owners_in_app():
    upp = UppFactory()
    InnovationFactory(unit=upp.unit)
    request_continuity_updates.call(2026)
    note = Notification.objects.get(recipient=upp)
    assert note.kind == "continuity.requested"
    with translation.override("en"):
        assert note.text == "Please send the 2026 continuity update for each of your published innovations."


def test_ministry_receives_nothing_it_did_itself(django_capture_on_commit_callbacks):
    ministry = MinistryUserFactory()
    innovation = InnovationFactory(draft=True)
    registry.set_status(user=ministry, innovation=innovation, status="published")
    assert not Notification.objects.filter(recipient=ministry).exists()
