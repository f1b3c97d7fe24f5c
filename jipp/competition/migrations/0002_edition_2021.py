"""The 2021 edition of KIPP from its guide (juklak): groups, forms, attachments, rubric, quotas, dates."""

import datetime as dt
import zoneinfo

from django.db import migrations

from jipp.competition import juklak


def forwards(apps, schema_editor):
    Edition = apps.get_model("competition", "Edition")
    Stage = apps.get_model("competition", "Stage")
    Group = apps.get_model("competition", "Group")
    Section = apps.get_model("competition", "Section")
    RequiredAttachment = apps.get_model("competition", "RequiredAttachment")
    RubricCriterion = apps.get_model("competition", "RubricCriterion")
    Category = apps.get_model("registry", "Category")
    if Edition.objects.filter(year=2021).exists():
        return
    edition = Edition.objects.create(
        year=2021, name="KIPP 2021", decree_number=juklak.DECREE_2021, deadline_mode="instant",
        reference_timezone="Asia/Jakarta", is_published=True,
    )
    edition.categories.set(Category.objects.filter(code__in=juklak.CATEGORIES_2021))
    wib = zoneinfo.ZoneInfo("Asia/Jakarta")
    for kind, start, end in juklak.STAGES_2021:
        Stage.objects.create(
            edition=edition, kind=kind, starts_at=dt.datetime.fromisoformat(start).replace(tzinfo=wib),
            ends_at=dt.datetime.fromisoformat(end).replace(tzinfo=wib),
        )
    for order, (kind, name, min_age, invitation, quota, sections) in enumerate(juklak.GROUPS):
        group = Group.objects.create(
            edition=edition, kind=kind, name=name, min_age_years=min_age, invitation_only=invitation,
            default_quota=quota, order=order,
        )
        for n, (key, title, title_en, max_words, weight, public) in enumerate(sections):
            section = Section.objects.create(
                group=group, key=key, title=title, title_en=title_en, max_words=max_words, weight=weight,
                weight_is_public=public, order=n,
            )
            RubricCriterion.objects.create(
                group=group, section=section, name=title, name_en=title_en, weight=weight,
                scale_min=juklak.RUBRIC_SCALE[0], scale_max=juklak.RUBRIC_SCALE[1], order=n,
            )
        extra = juklak.REPLIKASI_EXTRA_ATTACHMENTS if kind == "replikasi" else []
        for n, (key, title, title_en, att_kind, required) in enumerate(juklak.ATTACHMENTS + extra):
            RequiredAttachment.objects.create(
                group=group, key=key, title=title, title_en=title_en, kind=att_kind, is_required=required, order=n
            )


def backwards(apps, schema_editor):
    Edition = apps.get_model("competition", "Edition")
    Edition.objects.filter(year=2021, proposals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("competition", "0001_editions_proposals_screening"),
        ("registry", "0003_categories_and_sdgs"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
