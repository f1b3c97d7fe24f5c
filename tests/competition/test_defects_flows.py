"""Regression tests for workflow defects found while trying the product as each role (issue 13)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from jipp.competition import services
from jipp.competition.models import Proposal
from jipp.competition.templatetags.competition import in_zone
from tests.factories import MinistryUserFactory, UppFactory
from tests.factories.competition import ProposalFactory, complete_proposal, forwarded_proposal, juklak_edition
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    # The demo's Ministry account is also a superuser (it runs the admin site).
    return MinistryUserFactory(is_superuser=True)


def test_ministry_superuser_is_not_offered_send_to_admin_lokal_on_a_forwarded_proposal(client, ministry):
    proposal = forwarded_proposal(edition=juklak_edition(2026))
    client.force_login(ministry)
    response = client.get(reverse("competition:proposal_detail", args=[proposal.pk]))
    assert response.context["can"] == {
        "edit": False, "submit": False, "forward": False, "return": False, "decide": True,
    }  # fmt: skip
    assert reverse("competition:proposal_submit", args=[proposal.pk]) not in response.content.decode()


def test_ministry_superuser_cannot_send_a_forwarded_proposal_back_out_of_screening(client, ministry):
    proposal = forwarded_proposal(edition=juklak_edition(2026))
    client.force_login(ministry)
    client.post(reverse("competition:proposal_submit", args=[proposal.pk]))
    client.post(reverse("competition:proposal_forward", args=[proposal.pk]))
    client.post(reverse("competition:proposal_return", args=[proposal.pk]), {"note": "ulang"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.FORWARDED


def test_superuser_keeps_model_level_admin_permissions(ministry):
    assert ministry.has_perm("competition.change_proposal") is True
    assert ministry.has_perm("registry.change_innovation") is True


# --- a closed edition says so before the form -------------------------------------------------

CLOSED = dt.datetime(2025, 3, 15, 16, 59, tzinfo=dt.UTC)


def test_closed_edition_offers_no_new_proposal_and_says_when_it_closed(client):
    juklak_edition(2025, deadline=CLOSED)
    upp = UppFactory()
    client.force_login(upp)
    response = client.get(reverse("competition:proposal_list"), {"edition": 2025})
    assert response.context["can_start"] is False
    assert reverse("competition:proposal_start") not in response.content.decode()
    assert response.context["submission"].is_closed is True
    with translation.override("id"):
        when = in_zone(CLOSED, "Asia/Jakarta")
    assert f"Pengajuan usulan KIPP 2025 ditutup pada {when}." in response.content.decode()


def test_closed_edition_start_page_says_so_instead_of_the_form(client):
    edition = juklak_edition(2025, deadline=CLOSED)
    upp = UppFactory()
    InnovationFactory(unit=upp.unit, status="published")
    client.force_login(upp)
    response = client.get(reverse("competition:proposal_start"), {"edition": 2025})
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "<form" not in response.content.decode().split('id="main"')[-1]
    response = client.post(
        reverse("competition:proposal_start") + "?edition=2025",
        {"group": edition.groups.first().pk, "innovation": "1"},
    )
    assert response.context["form"] is None
    assert Proposal.objects.count() == 0


def test_draft_of_a_closed_edition_is_not_offered_for_sending(client):
    edition = juklak_edition(2025, deadline=CLOSED)
    proposal = complete_proposal(ProposalFactory(edition=edition))
    client.force_login(UppFactory(unit=proposal.unit))
    response = client.get(reverse("competition:proposal_detail", args=[proposal.pk]))
    assert response.context["can"]["submit"] is False
    assert response.context["submission"].is_closed is True
    assert reverse("competition:proposal_submit", args=[proposal.pk]) not in response.content.decode()


# --- a proposal starts only from a published innovation ----------------------------------------


def test_draft_innovation_cannot_be_entered(client):
    edition = juklak_edition(2026)
    upp = UppFactory()
    draft = InnovationFactory(unit=upp.unit, draft=True, title="Masih draf")
    published = InnovationFactory(unit=upp.unit, title="Sudah terbit")
    client.force_login(upp)
    form = client.get(reverse("competition:proposal_start"), {"edition": 2026}).context["form"]
    assert [i.title for i in form.fields["innovation"].queryset] == ["Sudah terbit"]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.start_proposal(user=upp, edition=edition, group=edition.groups.first(), innovation=draft)
    assert caught.value.message_dict["innovation"] == [
        "Only a published innovation can be entered: ask your Admin Lokal to publish it first."
    ]
    assert (
        services.start_proposal(
            user=upp, edition=edition, group=edition.groups.get(kind="umum"), innovation=published
        ).innovation
        == published
    )
