import pytest

from jipp.competition.evaluation import services
from tests.factories import MinistryUserFactory
from tests.factories.evaluation import EvalProposalFactory, EvaluatorMemberFactory, edition_2021


@pytest.fixture(autouse=True)
def fresh_cache():
    """The ranking is cached by edition and proposal ids, which a rolled-back test may reuse."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition(db):
    return edition_2021()


@pytest.fixture
def ministry(db):
    return MinistryUserFactory()


@pytest.fixture
def small_world(edition):
    """8 Umum proposals from 8 agencies, 6 evaluators, k=3, no mix rules: the smallest full path."""
    rules = services.settings_for(edition)
    rules.finalists_umum = 3
    rules.finalists_khusus = 0
    rules.min_3t = 0
    rules.max_category_share = 1
    rules.max_province_share = 1
    rules.passing_grade = 0
    rules.top_umum = 2
    rules.top_outstanding = 0
    rules.save()
    proposals = [EvalProposalFactory(categories=["health"] if i % 2 else ["education"]) for i in range(8)]
    members = [EvaluatorMemberFactory(expertise=["health"] if i % 2 else ["education"]) for i in range(6)]
    return {"edition": edition, "proposals": proposals, "members": members, "rules": rules}
