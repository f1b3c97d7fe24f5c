import factory

from jipp.replication.models import Replication, ReplicationSource
from tests.factories import ServiceUnitFactory
from tests.factories.registry import InnovationFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class ReplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Replication
        skip_postgeneration_save = True

    primary_source = factory.SubFactory(InnovationFactory)
    source_agency = factory.SelfAttribute("primary_source.agency")
    adopter_unit = factory.SubFactory(ServiceUnitFactory)
    adopter_agency = factory.SelfAttribute("adopter_unit.agency")
    mode = Replication.Mode.MENTORING
    status = Replication.Status.REQUESTED

    @factory.post_generation
    def link_source(self, create, extracted, **kwargs):
        if create:
            ReplicationSource.objects.get_or_create(replication=self, innovation=self.primary_source)
