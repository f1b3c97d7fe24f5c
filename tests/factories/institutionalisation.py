import datetime as dt

import factory

from jipp.institutionalisation.models import LegalBasis, SustainabilityCheck
from tests.factories.registry import InnovationFactory


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    innovation = factory.SubFactory(InnovationFactory)
    type = "perkada"
    strength = 4
    number = factory.Sequence(lambda n: f"{n + 1}")
    issued_on = dt.date(2023, 5, 2)
    year = 2023
    title = "Peraturan Bupati tentang inovasi"
    issued_by = "Bupati Contoh"


class SustainabilityCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SustainabilityCheck

    innovation = factory.SubFactory(InnovationFactory)
    checked_on = dt.date(2025, 1, 10)
    budget_source = "apbd"
