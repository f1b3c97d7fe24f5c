from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jipp.hubs.selectors import maturity_view
from jipp.hubs.services.maturity import save_self_assessment, verify_assessment
from jipp.institutionalisation.services import refresh_protection
from tests.factories import MinistryUserFactory
from tests.factories.hubs import SpokeFactory
from tests.factories.institutionalisation import LegalBasisFactory
from tests.factories.registry import InnovationFactory

pytestmark = pytest.mark.django_db
ASPECTS = ("planning", "institutionalisation", "dissemination", "evaluation")


def full(evidence=""):
    return dict.fromkeys(ASPECTS, (5, evidence))


def test_declared_full_institutionalisation_flagged_from_platform_data():
    spoke = SpokeFactory()
    innovations = InnovationFactory.create_batch(10, unit__agency=spoke.agency, award_tier="top99")
    for innovation in innovations[:3]:
        LegalBasisFactory(innovation=innovation)
    refresh_protection()
    assessment = save_self_assessment(hub=spoke.hub, year=2026, levels=full("bukti"), submit=True)
    view = maturity_view(assessment=assessment)
    assert (view.facts.proven, view.facts.proven_without_legal_basis) == (10, 7)
    assert view.flags["institutionalisation"].share == Decimal("0.70")
    assert set(view.flags) == {"planning", "institutionalisation", "dissemination", "evaluation"}


def test_with_legal_bases_the_institutionalisation_flag_goes():
    spoke = SpokeFactory()
    for innovation in InnovationFactory.create_batch(4, unit__agency=spoke.agency, award_tier="top99")[:2]:
        LegalBasisFactory(innovation=innovation)
    refresh_protection()
    assessment = save_self_assessment(hub=spoke.hub, year=2026, levels=full(), submit=True)
    assert "institutionalisation" not in maturity_view(assessment=assessment).flags


def test_level_outside_1_to_5_refused_and_nothing_saved():
    spoke = SpokeFactory()
    levels = full()
    levels["evaluation"] = (6, "")
    with pytest.raises(ValidationError):
        save_self_assessment(hub=spoke.hub, year=2026, levels=levels)
    assert spoke.hub.assessments.count() == 0


def test_submitted_assessment_is_frozen_and_verified_once():
    spoke = SpokeFactory()
    assessment = save_self_assessment(hub=spoke.hub, year=2026, levels=full(), submit=True)
    with pytest.raises(ValidationError):
        save_self_assessment(hub=spoke.hub, year=2026, levels=full())
    ministry = MinistryUserFactory()
    verified = dict.fromkeys(ASPECTS, (5, "")) | {"evaluation": (2, "Belum ada evaluasi berkala")}
    verify_assessment(assessment=assessment, verified=verified, by=ministry)
    assert assessment.status == "verified"
    assert assessment.aspects.get(aspect="evaluation").adjust_reason == "Belum ada evaluasi berkala"
    with pytest.raises(ValidationError):
        verify_assessment(assessment=assessment, verified=verified, by=ministry)
