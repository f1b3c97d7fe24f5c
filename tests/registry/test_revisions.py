"""Edits that pass their gatekeeper: a UPP's change to a published innovation waits for its Admin Lokal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from jipp.registry import revisions, services
from jipp.registry.models import Category, Innovation, InnovationRevision
from tests.factories import AdminLokalFactory, MinistryUserFactory, UppFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def published():
    innovation = InnovationFactory(title="Akta Keliling", summary="Petugas datang ke desa.", version=3)
    return innovation, UppFactory(unit=innovation.unit), AdminLokalFactory(agency=innovation.agency)


def _form_data(innovation, **overrides):
    data = {
        "version": innovation.version, "title": innovation.title, "summary": innovation.summary,
        "problem": innovation.problem, "solution": innovation.solution, "results": innovation.results,
        "innovator_type": innovation.innovator_type, "innovators": innovation.innovators,
        "start_date": innovation.start_date.isoformat() if innovation.start_date else "",
        "rollout_date": "", "stage": innovation.stage, "phase": innovation.phase, "form": innovation.form,
        "initiator": innovation.initiator, "sector": innovation.sector, "beneficiaries": innovation.beneficiaries,
        "budget_source": innovation.budget_source, "contact_name": "", "contact_email": "", "contact_phone": "",
        "website": "", "video_url": "", "readiness": innovation.readiness, "prerequisites": "",
    }  # fmt: skip
    data.update(overrides)
    return data


# --- services -----------------------------------------------------------------------------------


def test_upp_edit_of_published_innovation_cannot_go_live_directly(published):
    innovation, upp, _admin = published
    with pytest.raises(ValidationError) as caught:
        services.update_innovation(user=upp, innovation=innovation, data={"title": "Baru"}, expected_version=3)
    assert caught.value.code == "needs_review"
    innovation.refresh_from_db()
    assert innovation.title == "Akta Keliling"


def test_proposed_change_keeps_only_changed_fields_and_leaves_published_version(published):
    innovation, upp, _admin = published
    revision = revisions.propose_revision(
        user=upp, innovation=innovation, expected_version=3,
        data={"title": "Akta Keliling Desa", "summary": innovation.summary, "start_date": dt.date(2021, 5, 1)},
    )  # fmt: skip
    assert revision.changes == {"title": "Akta Keliling Desa", "start_date": "2021-05-01"}
    assert revision.status == InnovationRevision.Status.PENDING
    assert revision.base_version == 3
    innovation.refresh_from_db()
    assert (innovation.title, innovation.version) == ("Akta Keliling", 3)


def test_upp_keeps_editing_its_one_pending_revision(published):
    innovation, upp, _admin = published
    first = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Satu"}, expected_version=3)
    second = revisions.propose_revision(
        user=upp, innovation=innovation, data={"title": "Dua", "results": "Naik"}, expected_version=3
    )
    assert second.pk == first.pk
    assert InnovationRevision.objects.get().changes == {"title": "Dua", "results": "Naik"}


def test_reverting_every_change_withdraws_the_pending_revision(published):
    innovation, upp, _admin = published
    revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Satu"}, expected_version=3)
    result = revisions.propose_revision(
        user=upp, innovation=innovation, data={"title": "Akta Keliling"}, expected_version=3
    )
    assert result is None
    assert InnovationRevision.objects.count() == 0


def test_invalid_proposal_saves_nothing(published):
    innovation, upp, _admin = published
    with pytest.raises(ValidationError):
        revisions.propose_revision(user=upp, innovation=innovation, data={"title": ""}, expected_version=3)
    assert InnovationRevision.objects.count() == 0


def test_proposal_against_an_old_version_is_stale(published):
    innovation, upp, _admin = published
    with pytest.raises(services.StaleVersionError):
        revisions.propose_revision(user=upp, innovation=innovation, data={"title": "X"}, expected_version=2)


def test_upp_of_another_unit_cannot_propose(published):
    innovation, _upp, _admin = published
    with pytest.raises(PermissionDenied):
        revisions.propose_revision(user=UppFactory(), innovation=innovation, data={"title": "X"}, expected_version=3)


def test_approval_applies_the_changes_and_bumps_the_version(published, django_capture_on_commit_callbacks):
    innovation, upp, admin = published
    health = Category.objects.get(code="health")
    revision = revisions.propose_revision(
        user=upp, innovation=innovation, data={"title": "Akta Keliling Desa"}, categories=[health],
        expected_version=3,
    )  # fmt: skip
    saved = revisions.approve_revision(user=admin, revision=revision)
    innovation.refresh_from_db()
    assert (innovation.title, innovation.version) == ("Akta Keliling Desa", 4)
    assert list(innovation.categories.all()) == [health]
    assert innovation.category_mask == 1 << health.bit
    assert saved.search_title != ""
    revision.refresh_from_db()
    assert (revision.status, revision.reviewed_by) == (InnovationRevision.Status.APPROVED, admin)


def test_approval_keeps_what_the_admin_lokal_changed_meanwhile(published):
    innovation, upp, admin = published
    revision = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Judul UPP"},
                                          expected_version=3)  # fmt: skip
    services.update_innovation(user=admin, innovation=innovation, data={"results": "Versi admin"}, expected_version=3)
    revisions.approve_revision(user=admin, revision=revision)
    innovation.refresh_from_db()
    assert (innovation.title, innovation.results, innovation.version) == ("Judul UPP", "Versi admin", 5)


def test_only_the_agencys_admin_lokal_or_ministry_decides(published):
    innovation, upp, _admin = published
    revision = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "X"}, expected_version=3)
    for outsider in (upp, AdminLokalFactory()):
        with pytest.raises(PermissionDenied):
            revisions.approve_revision(user=outsider, revision=revision)
    revisions.approve_revision(user=MinistryUserFactory(), revision=revision)
    with pytest.raises(ValidationError):
        revisions.reject_revision(user=MinistryUserFactory(), revision=revision, reason="terlambat")


def test_rejection_needs_a_reason_and_keeps_the_published_version(published):
    innovation, upp, admin = published
    revision = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "X"}, expected_version=3)
    with pytest.raises(ValidationError):
        revisions.reject_revision(user=admin, revision=revision, reason="  ")
    revisions.reject_revision(user=admin, revision=revision, reason="Judul terlalu singkat")
    revision.refresh_from_db()
    assert (revision.status, revision.reason) == (InnovationRevision.Status.REJECTED, "Judul terlalu singkat")
    innovation.refresh_from_db()
    assert innovation.title == "Akta Keliling"


def test_admin_lokal_edits_go_live_directly(published):
    innovation, _upp, admin = published
    assert revisions.needs_review(admin, innovation) is False
    services.update_innovation(user=admin, innovation=innovation, data={"title": "Langsung"}, expected_version=3)
    innovation.refresh_from_db()
    assert innovation.title == "Langsung"


def test_draft_edits_by_the_upp_are_not_reviewed():
    draft = InnovationFactory(draft=True)
    upp = UppFactory(unit=draft.unit)
    assert revisions.needs_review(upp, draft) is False


def test_diff_names_each_field_with_its_label_and_words(published):
    innovation, upp, _admin = published
    revision = revisions.propose_revision(
        user=upp, innovation=innovation, expected_version=3,
        data={"summary": "Petugas datang ke rumah warga.", "is_digital": True, "stage": "trial"},
    )  # fmt: skip
    rows = revisions.revision_diff(revision)
    assert [(r.label, r.before, r.after) for r in rows] == [
        ("Summary", "Petugas datang ke desa.", "Petugas datang ke rumah warga."),
        ("Stage", "In operation", "Trial"),
        ("Digital", "No", "Yes"),
    ]
    assert rows[0].words == (("equal", "Petugas datang ke "), ("delete", "desa."), ("insert", "rumah warga."))


# --- pages --------------------------------------------------------------------------------------


def test_upp_saving_the_edit_form_creates_a_pending_revision(client, published):
    innovation, upp, _admin = published
    client.force_login(upp)
    page = client.get(reverse("registry:innovation_edit", args=[innovation.pk]))
    assert page.context["reviewed"] is True
    response = client.post(
        reverse("registry:innovation_edit", args=[innovation.pk]), _form_data(innovation, title="Akta Desa")
    )
    revision = InnovationRevision.objects.get()
    assert response["Location"] == reverse("registry:revision_detail", args=[revision.pk])
    assert revision.changes == {"title": "Akta Desa"}
    assert client.get(reverse("registry:innovation_detail", args=[innovation.pk])).context["innovation"].title == (
        "Akta Keliling"
    )


def test_upp_sees_its_pending_state_and_the_edit_form_holds_its_change(client, published):
    innovation, upp, _admin = published
    revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Akta Desa"}, expected_version=3)
    client.force_login(upp)
    detail = client.get(reverse("registry:innovation_detail", args=[innovation.pk]))
    assert detail.context["pending_revision"].changes == {"title": "Akta Desa"}
    assert 'id="pending-revision"' in detail.content.decode()
    form = client.get(reverse("registry:innovation_edit", args=[innovation.pk])).context["form"]
    assert form["title"].value() == "Akta Desa"


def test_public_sees_only_the_published_version(client, published):
    innovation, upp, _admin = published
    revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Akta Desa"}, expected_version=3)
    content = client.get(reverse("registry:innovation_detail", args=[innovation.pk])).content.decode()
    assert "Akta Desa" not in content
    assert 'id="pending-revision"' not in content


def test_admin_lokal_reviews_the_diff_and_approves(client, published):
    innovation, upp, admin = published
    revision = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Akta Desa"},
                                          expected_version=3)  # fmt: skip
    client.force_login(admin)
    listing = client.get(reverse("registry:revision_list"))
    assert list(listing.context["page"]) == [revision]
    page = client.get(reverse("registry:revision_detail", args=[revision.pk]))
    assert page.context["can_review"] is True
    assert [(c.before, c.after) for c in page.context["changes"]] == [("Akta Keliling", "Akta Desa")]
    client.post(reverse("registry:revision_approve", args=[revision.pk]))
    innovation.refresh_from_db()
    assert innovation.title == "Akta Desa"


def test_reject_without_reason_keeps_the_page_and_says_why(client, published):
    innovation, upp, admin = published
    revision = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "X"}, expected_version=3)
    client.force_login(admin)
    response = client.post(reverse("registry:revision_reject", args=[revision.pk]), {"reason": ""})
    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"]
    response = client.post(reverse("registry:revision_reject", args=[revision.pk]), {"reason": "Kurang jelas"})
    assert response.status_code == 302
    client.force_login(upp)
    detail = client.get(reverse("registry:innovation_detail", args=[innovation.pk]))
    assert detail.context["last_rejected"].reason == "Kurang jelas"


def test_another_agency_cannot_see_or_decide_a_revision(client, published):
    innovation, upp, _admin = published
    revision = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "X"}, expected_version=3)
    client.force_login(AdminLokalFactory())
    assert client.get(reverse("registry:revision_detail", args=[revision.pk])).status_code == 404
    assert client.post(reverse("registry:revision_approve", args=[revision.pk])).status_code == 404
    assert list(client.get(reverse("registry:revision_list")).context["page"]) == []


def test_upp_cannot_approve_its_own_change(client, published):
    innovation, upp, _admin = published
    revision = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "X"}, expected_version=3)
    client.force_login(upp)
    assert client.get(reverse("registry:revision_detail", args=[revision.pk])).context["can_review"] is False
    assert client.post(reverse("registry:revision_approve", args=[revision.pk])).status_code == 403
    assert Innovation.objects.get().title == "Akta Keliling"


def test_revision_list_has_constant_queries(client):
    """The same number of queries for 1 and 3 rows (the site's chrome may add its own, equally to both)."""
    admin = AdminLokalFactory()

    def propose():
        innovation = InnovationFactory(unit__agency=admin.agency)
        revisions.propose_revision(
            user=UppFactory(unit=innovation.unit), innovation=innovation, data={"title": "Baru"},
            expected_version=innovation.version,
        )  # fmt: skip

    client.force_login(admin)
    counts = []
    for batch in (1, 2):
        for _ in range(batch):
            propose()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("registry:revision_list"))
        counts.append((len(response.context["page"]), len(queries)))
    assert counts[0][0] == 1 and counts[1][0] == 3
    assert counts[0][1] == counts[1][1]


def test_api_patch_by_the_upp_of_a_published_innovation_waits_for_approval(published):
    from rest_framework.test import APIClient

    innovation, upp, _admin = published
    api = APIClient()
    api.force_authenticate(upp)
    response = api.patch(f"/api/v1/innovations/{innovation.pk}/", {"title": "Lewat API", "version": 3}, format="json")
    assert response.status_code == 202
    assert response.json()["changes"] == {"title": "Lewat API"}
    assert Innovation.objects.get(pk=innovation.pk).title == "Akta Keliling"


def test_word_diff_marks_only_the_added_word():
    assert revisions.word_diff("Akta Keliling", "Akta Keliling Desa") == (
        ("equal", "Akta Keliling"),
        ("insert", " Desa"),
    )


def test_gatekeeper_is_notified_once_and_the_unit_hears_the_decision(published):
    from jipp.notifications.models import Notification

    innovation, upp, admin = published
    revision = revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Satu"}, expected_version=3)
    revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Dua"}, expected_version=3)
    to_admin = Notification.objects.filter(recipient=admin)
    assert [(n.kind, n.url) for n in to_admin] == [
        ("registry.revision_submitted", reverse("registry:revision_detail", args=[revision.pk]))
    ]
    revisions.reject_revision(user=admin, revision=revision, reason="Kurang jelas")
    to_upp = Notification.objects.filter(recipient=upp)
    assert [(n.kind, n.params["note"]) for n in to_upp] == [("registry.revision_rejected", "Kurang jelas")]


def test_admin_lokal_home_counts_its_edits_to_approve_and_links_to_the_review_page(client, published):
    innovation, upp, admin = published
    other = InnovationFactory(version=1)  # another agency's pending edit is not this Admin Lokal's
    revisions.propose_revision(user=upp, innovation=innovation, data={"title": "Akta Desa"}, expected_version=3)
    revisions.propose_revision(
        user=UppFactory(unit=other.unit), innovation=other, data={"title": "Lain"}, expected_version=1
    )
    client.force_login(admin)
    home = client.get(reverse("core:my_home"), HTTP_ACCEPT_LANGUAGE="en")
    items = {str(i.label): i for section in home.context["sections"].values() for i in section}
    item = items["Changes to published innovations to approve"]
    assert (item.count, item.url, item.tone) == (1, reverse("registry:revision_list"), "todo")
    assert f'href="{item.url}"' in home.content.decode()
    review = client.get(item.url)
    assert [r.innovation.title for r in review.context["page"]] == ["Akta Keliling"]
    assert item.count == revisions.revisions_to_review(admin).count()
