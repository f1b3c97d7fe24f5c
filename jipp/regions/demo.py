"""Demo service units for every agency (national) or a selection (small), and demo 3T flags."""

from jipp.regions.models import Agency, Region, ServiceUnit

REGIONAL_UNITS = [
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Sosial",
    "Dinas Pertanian dan Ketahanan Pangan",
    "Rumah Sakit Umum Daerah",
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Komunikasi dan Informatika",
    "Dinas Perhubungan",
    "Badan Pendapatan Daerah",
    "Dinas Lingkungan Hidup",
]
CENTRAL_UNITS = [
    "Biro Organisasi dan Tata Laksana",
    "Pusat Data dan Informasi",
    "Direktorat Jenderal Pelayanan",
    "Unit Layanan Terpadu",
]
# Demo approximation of the 3T regencies: the regencies of Papua, Maluku and Nusa Tenggara Timur.
# The Ministry sets the real list (Perpres on disadvantaged regions) in the back office.
DEMO_3T_PROVINCES = {"53", "81", "82", "91", "92", "93", "94", "95", "96"}

SMALL_PROVINCES = {"35", "33", "73", "16", "75", "31", "94"}


def seed(*, scale: str, rng, stdout) -> None:
    Region.objects.filter(level=Region.Level.REGENCY, parent__code__in=DEMO_3T_PROVINCES).update(is_3t=True)
    agencies = list(Agency.objects.select_related("region").order_by("pk"))
    if scale == "small":
        agencies = [a for a in agencies if a.region is None or a.region.province_code in SMALL_PROVINCES]
    units = []
    for agency in agencies:
        names = CENTRAL_UNITS if agency.region is None else REGIONAL_UNITS
        count = rng.randint(2, 4) if scale == "small" else rng.randint(4, len(names))
        for name in rng.sample(names, count):
            units.append(ServiceUnit(agency=agency, name=name))
    ServiceUnit.objects.bulk_create(units, ignore_conflicts=True)
    stdout.write(f"  {len(units)} service units for {len(agencies)} agencies")
