"""Regression tests for workflow defects found while trying the product as each role (issue 13)."""

import pytest
from django.urls import reverse

from jipp.competition.models import Proposal
from tests.factories import MinistryUserFactory
from tests.factories.competition import forwarded_proposal, juklak_edition

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
