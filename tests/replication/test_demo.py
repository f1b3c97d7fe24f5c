import io
import random

import pytest
from django.db.models import F

from jipp.institutionalisation.models import LegalBasis, ProtectionStatus
from jipp.registry.models import Innovation
from jipp.replication.models import Replication, ReplicationSource


@pytest.fixture
def seeded(reference_data, settings, tmp_path):
    settings.REPLICATION_INDEX_DIR = tmp_path
    from jipp.accounts import demo as accounts_demo
    from jipp.institutionalisation import demo as institutionalisation_demo
    from jipp.regions import demo as regions_demo
    from jipp.registry import demo as registry_demo
    from jipp.replication import demo as replication_demo

    out = io.StringIO()
    for label, module in [
        ("regions", regions_demo),
        ("accounts", accounts_demo),
        ("registry", registry_demo),
        ("replication", replication_demo),
        ("institutionalisation", institutionalisation_demo),
    ]:
        module.seed(scale="small", rng=random.Random(f"2026-{label}"), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_is_consistent_with_the_registry(seeded):
    published = Innovation.objects.filter(status="published").count()
    sources = ReplicationSource.objects.values("innovation").distinct().count()
    assert 0.02 * published <= sources <= 0.08 * published
    assert not Replication.objects.filter(source_agency=F("adopter_agency")).exists()
    assert Replication.objects.filter(is_successful=True).exists()
    assert Replication.objects.filter(outcome="abandoned").exists()
    assert Replication.objects.filter(status="requested").exists()
    for innovation in Innovation.objects.filter(replication_count__gt=0):
        adopters = (
            Replication.objects.filter(source_links__innovation=innovation, is_successful=True)
            .values("adopter_agency")
            .distinct()
            .count()
        )
        assert innovation.replication_count == adopters
    with_basis = set(LegalBasis.objects.values_list("innovation_id", flat=True))
    assert with_basis == set(Innovation.objects.filter(has_legal_basis=True).values_list("pk", flat=True))
    assert ProtectionStatus.objects.count() == Innovation.objects.count()
    assert not ProtectionStatus.objects.filter(is_unprotected=True, strength__gt=0, has_budget_line=True).exists()
