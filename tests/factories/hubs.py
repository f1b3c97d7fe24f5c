"""Factories for hubs. A province hub over a real province needs `reference_data`; these build a small one.

HubFactory()                       # a province hub with a fresh province agency, cohort 2020
SpokeFactory(hub=hub)              # a regency government of the hub's province as a spoke
"""

import datetime as dt

import factory

from jipp.accounts.models import Role
from jipp.hubs.models import Activity, Cohort, Hub, HubKind, Spoke, WorkPlan
from jipp.regions.models import Agency
from tests.factories import AgencyFactory, ProvinceFactory, RegencyFactory, UserFactory


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        django_get_or_create = ["year"]

    year = 2020
    name = factory.LazyAttribute(lambda o: f"Cohort {o.year}")
    decree_number = factory.LazyAttribute(lambda o: f"KepmenPANRB {o.year}/TEST")


class ProvinceAgencyFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Pemerintah Provinsi Contoh {n}")
    slug = factory.Sequence(lambda n: f"pemprov-contoh-{n}")
    type = Agency.Type.PROVINCE
    region = factory.SubFactory(ProvinceFactory)


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    agency = factory.SubFactory(ProvinceAgencyFactory)
    kind = HubKind.PROVINCE
    region = factory.SelfAttribute("agency.region")
    cohort = factory.SubFactory(CohortFactory)
    status = Hub.Status.ACTIVE
    status_since = dt.date(2020, 6, 1)
    designated_on = dt.date(2020, 6, 1)
    mentor_university = "Universitas Airlangga"


class SpokeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Spoke

    hub = factory.SubFactory(HubFactory)
    agency = factory.LazyAttribute(lambda o: AgencyFactory(region=RegencyFactory(parent=o.hub.region)))
    kind = factory.SelfAttribute("hub.kind")
    joined_on = dt.date(2020, 6, 1)


class HubAdminFactory(UserFactory):
    role = Role.HUB_ADMIN
    agency = factory.SubFactory(ProvinceAgencyFactory)


class MentorFactory(UserFactory):
    role = Role.MENTOR
    affiliation = "Universitas Airlangga"


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlan

    hub = factory.SubFactory(HubFactory)
    year = 2026


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    hub = factory.SubFactory(HubFactory)
    kind = Activity.Kind.COACHING_CLINIC
    title = factory.Sequence(lambda n: f"Klinik inovasi {n}")
    starts_on = dt.date(2026, 3, 10)
    ends_on = dt.date(2026, 3, 11)
    attendance = 25
