"""KIPP's award tiers since 2014 (see DOMAIN.md): configuration the Ministry can change in the admin."""

from django.db import migrations

# (year, winners' tier size)
WINNERS = {2014: 9, 2015: 25, 2016: 35, 2017: 40, 2018: 40}


def tiers_of(year: int) -> list[dict]:
    size = WINNERS.get(year, 45)
    tiers = [
        dict(code=f"top{size}", name_id=f"Top {size}", name_en=f"Top {size}", rank=2, size=size, kind="winner",
             category="Umum"),
        dict(code="top99", name_id="Top 99 (finalis)", name_en="Top 99 (finalists)", rank=5, size=99,
             kind="finalist", category="Umum"),
    ]  # fmt: skip
    if year >= 2019:
        tiers.append(dict(code="outstanding", name_id="Top 5 Outstanding Achievement",
                          name_en="Top 5 Outstanding Achievement", rank=1, size=5, kind="outstanding",
                          category="Khusus"))  # fmt: skip
    if year >= 2021:
        tiers.append(dict(code="replikasi", name_id="Top 5 Replikasi", name_en="Top 5 Replication", rank=3, size=5,
                          kind="replication_winner", category="Replikasi"))  # fmt: skip
        tiers.append(dict(code="replikasi-finalis", name_id="Finalis Replikasi", name_en="Replication finalists",
                          rank=6, size=None, kind="replication_finalist", category="Replikasi"))  # fmt: skip
    if year >= 2022:
        tiers.append(dict(code="terpuji", name_id="Inovasi Terpuji", name_en="Commended innovations", rank=4,
                          size=None, kind="commended", category="Terpuji"))  # fmt: skip
    return tiers


def forwards(apps, schema_editor):
    AwardTier = apps.get_model("registry", "AwardTier")
    for year in range(2014, 2027):
        for tier in tiers_of(year):
            AwardTier.objects.get_or_create(competition="KIPP", year=year, code=tier.pop("code"), defaults=tier)


def backwards(apps, schema_editor):
    apps.get_model("registry", "AwardTier").objects.filter(competition="KIPP").delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_award_records_and_tiers")]
    operations = [migrations.RunPython(forwards, backwards)]
