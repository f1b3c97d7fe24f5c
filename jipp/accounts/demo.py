"""Demo accounts of every role, all with the password DEMO_PASSWORD."""

from jipp.accounts.models import Role, User
from jipp.regions.models import Agency, Region, ServiceUnit

DEMO_PASSWORD = "jipp-demo-2026"  # noqa: S105 (public demo accounts)  # nosec B105 # the public demo accounts' password, demo data only

FIRST_NAMES = ["Siti", "Budi", "Dewi", "Agus", "Rina", "Ahmad", "Wahyu", "Nur", "Putu", "Yohanes", "Made", "Fitri"]
LAST_NAMES = ["Rahayu", "Santoso", "Lestari", "Pratama", "Hidayat", "Saputra", "Wulandari", "Nugroho", "Sinaga"]
UNIVERSITIES = [
    "Universitas Indonesia",
    "Universitas Gadjah Mada",
    "Universitas Airlangga",
    "Universitas Hasanuddin",
    "Universitas Padjadjaran",
    "Institut Teknologi Bandung",
    "Universitas Diponegoro",
    "Universitas Sriwijaya",
]


def _name(rng) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def seed(*, scale: str, rng, stdout) -> None:
    jatim = Agency.objects.get(type=Agency.Type.PROVINCE, region__code="35")
    sidoarjo = Agency.objects.get(region__code="35.15")
    panrb = Agency.objects.get(short_name="Kementerian PANRB")
    unit, _created = ServiceUnit.objects.get_or_create(agency=sidoarjo, name="Dinas Kependudukan dan Pencatatan Sipil")
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE))
    accounts = [
        User(
            username="kementerian",
            role=Role.ADMIN_KEMENTERIAN,
            agency=panrb,
            is_staff=True,
            is_superuser=True,
            first_name="Sekretariat",
            last_name="KIPP",
        ),
        User(username="lokal.jatim", role=Role.ADMIN_LOKAL, agency=jatim, first_name="Rina", last_name="Wulandari"),
        User(username="lokal.sidoarjo", role=Role.ADMIN_LOKAL, agency=sidoarjo, first_name="Agus", last_name="Pratama"),
        User(
            username="upp.sidoarjo", role=Role.UPP, agency=sidoarjo, unit=unit, first_name="Dewi", last_name="Lestari"
        ),
        User(username="hub.jatim", role=Role.HUB_ADMIN, agency=jatim, first_name="Budi", last_name="Santoso"),
        User(
            username="mentor1",
            role=Role.MENTOR,
            affiliation="Universitas Airlangga",
            first_name="Ahmad",
            last_name="Hidayat",
            home_province=jatim.region,
        ),
    ]
    evaluators = 120 if scale == "national" else 12
    panelists = 12 if scale == "national" else 5
    for i in range(1, evaluators + 1):
        first, last = _name(rng)
        accounts.append(
            User(
                username=f"evaluator{i}",
                role=Role.EVALUATOR,
                first_name=first,
                last_name=last,
                affiliation=rng.choice(UNIVERSITIES),
                home_province=rng.choice(provinces),
            )
        )
    for i in range(1, panelists + 1):
        first, last = _name(rng)
        accounts.append(
            User(
                username=f"panelis{i}",
                role=Role.PANELIS,
                first_name=first,
                last_name=last,
                affiliation=rng.choice(UNIVERSITIES),
                home_province=rng.choice(provinces),
            )
        )
    probe = User()
    probe.set_password(DEMO_PASSWORD)
    for account in accounts:
        account.password = probe.password  # one hash for all: hashing 130 times is slow
        account.email = f"{account.username}@demo.jipp.go.id"
    User.objects.bulk_create(accounts)
    stdout.write(f"  {len(accounts)} demo accounts, password {DEMO_PASSWORD!r}")
