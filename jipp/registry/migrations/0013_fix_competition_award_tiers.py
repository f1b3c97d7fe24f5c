"""Awards the competition wrote before its tiers came from the configuration: put them on the year's tier.

Until now the competition wrote every winner as `top45` with no category, Replikasi winners included
(their title says "Replikasi"). Each such record gets the year's tier of its kind (`replikasi` for a
Replikasi winner, the year's winner tier, e.g. `top40` in 2017, for the others) and the tier's category.
Imported awards are left as they are. The innovations' summaries do not change (a Replikasi winner
and any winner both count as `top45`).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Award = apps.get_model("registry", "Award")
    AwardTier = apps.get_model("registry", "AwardTier")
    tiers = list(AwardTier.objects.all())
    by_code = {(t.competition, t.year, t.code): t for t in tiers}

    def of_kind(competition, year, kind):
        found = sorted((t for t in tiers if (t.competition, t.year, t.kind) == (competition, year, kind)),
                       key=lambda t: t.rank)  # fmt: skip
        return found[0] if found else None

    for award in Award.objects.filter(is_imported=False):
        tier = by_code.get((award.competition, award.year, award.tier))
        if award.tier == "top45" and "replikasi" in award.title.lower():
            tier = of_kind(award.competition, award.year, "replication_winner") or tier
        elif tier is None and award.tier == "top45":
            tier = of_kind(award.competition, award.year, "winner")
        if tier is None:
            continue
        changed = {}
        if award.tier != tier.code:
            changed["tier"] = tier.code
        if award.tier != tier.code or not award.category:
            changed["category"] = tier.category
        if changed:
            Award.objects.filter(pk=award.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_search_table")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
