"""Guidance text for the evaluators on the 2021 rubric (one criterion per weighted form section).

The competition's data migration created the criteria with their weights and the 1-10 scale but no
guidance; this fills it where it is still empty (never overwriting what the secretariat wrote)."""

from django.db import migrations

from jipp.competition.evaluation.rubric import GUIDANCE



def forwards(apps, schema_editor):
    RubricCriterion = apps.get_model("competition", "RubricCriterion")
    for criterion in RubricCriterion.objects.filter(group__edition__year=2021, guidance="").select_related("section"):
        key = criterion.section.key if criterion.section_id else ""
        if key in GUIDANCE:
            criterion.guidance = GUIDANCE[key]
            criterion.save(update_fields=["guidance"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_evaluation_spine"),
        ("competition", "0002_edition_2021"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
