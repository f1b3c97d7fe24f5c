import factory
from django.contrib.auth.hashers import make_password

from jipp.accounts.models import Role, User
from jipp.regions.models import Agency, Region, ServiceUnit

PASSWORD = "correct-horse-battery-9"
# Default provinces are in WIB, so that times shown in tests do not depend on the sequence;
# a test about WITA or WIT names its province's code.
WIB_PROVINCE_CODES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "31", "32", "33", "34", "35", "36"]


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: WIB_PROVINCE_CODES[n % len(WIB_PROVINCE_CODES)])
    name = factory.LazyAttribute(lambda o: f"Provinsi {o.code}")
    level = Region.Level.PROVINCE
    population = 5_000_000
    area_km2 = 40_000


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    parent = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}.{n + 1:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Contoh {n}")
    level = Region.Level.REGENCY
    population = 500_000
    area_km2 = 1_500


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Pemerintah Kabupaten Contoh {n}")
    slug = factory.Sequence(lambda n: f"pemkab-contoh-{n}")
    type = Agency.Type.REGENCY
    region = factory.SubFactory(RegencyFactory)


class ServiceUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceUnit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Dinas Layanan {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.id")
    first_name = "Siti"
    last_name = "Rahayu"
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    role = Role.EVALUATOR


class MinistryUserFactory(UserFactory):
    role = Role.ADMIN_KEMENTERIAN
    is_staff = True


class AdminLokalFactory(UserFactory):
    role = Role.ADMIN_LOKAL
    agency = factory.SubFactory(AgencyFactory)


class UppFactory(UserFactory):
    role = Role.UPP
    unit = factory.SubFactory(ServiceUnitFactory)
    agency = factory.SelfAttribute("unit.agency")
