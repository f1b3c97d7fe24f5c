"""Regression tests for the findings of issue #14 (one section per finding)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.urls import reverse

from jipp.competition.models import UnsavedDraft
from tests.factories import AdminLokalFactory, UppFactory
from tests.factories.competition import ProposalFactory, juklak_edition

pytestmark = pytest.mark.django_db


def _edit_data(proposal, **overrides):
    data = {"version": proposal.version, "title": proposal.title, "video_url": "", "sdgs": ["3"]}
    for answer in proposal.answers.select_related("section"):
        data[f"section_{answer.section.key}"] = "x" * 50_000
    data.update(overrides)
    return data


# --- 1. anonymous POST to a proposal's edit or autosave URL writes nothing ---------------------


@pytest.fixture
def draft():
    return ProposalFactory(edition=juklak_edition(2026))


@pytest.mark.parametrize("name", ["competition:proposal_edit", "competition:proposal_autosave"])
def test_anonymous_post_to_draft_writes_nothing(client, draft, name):
    audit_before = LogEntry.objects.count()
    response = client.post(reverse(name, args=[draft.pk]), _edit_data(draft))
    assert UnsavedDraft.objects.count() == 0
    assert LogEntry.objects.count() == audit_before
    assert Session.objects.count() == 0
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name", ["competition:proposal_edit", "competition:proposal_autosave"])
def test_anonymous_reply_same_for_existing_and_missing_ids(client, draft, name):
    existing = client.post(reverse(name, args=[draft.pk]), _edit_data(draft))
    missing = client.post(reverse(name, args=[draft.pk + 1000]), _edit_data(draft))
    assert existing.status_code == missing.status_code
    strip = lambda r: r.content.decode().replace(str(draft.pk + 1000), "N").replace(str(draft.pk), "N")  # noqa: E731
    assert strip(existing) == strip(missing)
    if existing.status_code == 302:
        assert existing.url.replace(str(draft.pk), "N") == missing.url.replace(str(draft.pk + 1000), "N")


def test_anonymous_post_with_forged_editor_cookie_writes_nothing(client, draft):
    client.cookies["kipp_editor"] = str(draft.pk)
    client.post(reverse("competition:proposal_autosave", args=[draft.pk]), _edit_data(draft))
    assert UnsavedDraft.objects.count() == 0


def test_expired_editor_text_kept_capped_to_own_fields(client, draft):
    upp = UppFactory(unit=draft.unit)
    client.force_login(upp)
    client.get(reverse("competition:proposal_edit", args=[draft.pk]))
    Session.objects.all().delete()
    data = _edit_data(draft, section_ringkasan="y" * 400_000, evil="z" * 1000)
    response = client.post(reverse("competition:proposal_autosave", args=[draft.pk]), data)
    assert response.status_code == 200
    kept = UnsavedDraft.objects.get(proposal=draft).data
    assert "evil" not in kept
    assert len(kept["section_ringkasan"]) < 50_000


def test_section_longer_than_cap_refused_and_stored_text_not_blanked(client, draft):
    from jipp.competition import services

    upp = UppFactory(unit=draft.unit)
    services.save_draft(user=upp, proposal=draft, expected_version=draft.version, answers={"ringkasan": "Asli."})
    draft.refresh_from_db()
    client.force_login(upp)
    data = _edit_data(draft, section_ringkasan="y" * 400_000)
    data.update({k: "" for k in data if k.startswith("section_") and k != "section_ringkasan"})
    response = client.post(reverse("competition:proposal_autosave", args=[draft.pk]), data)
    assert response.status_code == 200
    assert draft.answers.get(section__key="ringkasan").text == "Asli."


def test_other_agency_autosave_is_404_like_a_missing_id(client, draft):
    client.force_login(AdminLokalFactory())
    assert client.post(reverse("competition:proposal_autosave", args=[draft.pk]), {}).status_code == 404
    assert client.post(reverse("competition:proposal_autosave", args=[draft.pk + 1000]), {}).status_code == 404
