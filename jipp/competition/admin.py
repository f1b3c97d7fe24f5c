"""Editing an edition's configuration (groups, form, attachments, rubric, quotas, dates) in the admin.

Editions whose decree stage has ended are read-only, so past years stay exactly as they were.
"""

from django.contrib import admin
from django.utils import timezone

from jipp.competition.models import (
    Edition,
    Group,
    Proposal,
    Quota,
    RequiredAttachment,
    RubricCriterion,
    ScreeningFlag,
    ScreeningRun,
    Section,
    Stage,
)


def _is_past(edition) -> bool:
    if edition is None or edition.pk is None:
        return False
    decree = edition.stages.filter(kind=Stage.Kind.DECREE).first()
    return decree is not None and decree.ends_at < timezone.now()


class PastEditionReadOnly:
    def _edition(self, obj):
        return obj if isinstance(obj, Edition) else getattr(obj, "edition", None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _is_past(self._edition(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _is_past(self._edition(obj))


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0
    show_change_link = True
    fields = ["kind", "name", "min_age_years", "invitation_only", "default_quota", "order"]


@admin.register(Edition)
class EditionAdmin(PastEditionReadOnly, admin.ModelAdmin):
    list_display = ["year", "name", "decree_number", "is_published", "deadline_mode"]
    filter_horizontal = ["categories"]
    inlines = [StageInline, GroupInline]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


class RequiredAttachmentInline(admin.TabularInline):
    model = RequiredAttachment
    extra = 0


class RubricInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Group)
class GroupAdmin(PastEditionReadOnly, admin.ModelAdmin):
    list_display = ["name", "edition", "min_age_years", "invitation_only", "default_quota"]
    list_filter = ["edition"]
    autocomplete_fields = ["invited_agencies"]
    inlines = [SectionInline, RequiredAttachmentInline, RubricInline, QuotaInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "edition", "group", "agency", "status", "flag_count"]
    list_filter = ["edition", "status", "group__kind"]
    search_fields = ["title", "agency__name"]
    raw_id_fields = [
        "innovation",
        "unit",
        "agency",
        "province",
        "created_by",
        "last_saved_by",
        "forwarded_by",
        "source_innovations",
    ]
    filter_horizontal = ["categories", "sdgs"]
    readonly_fields = ["version", "flag_count", "screened_at"]


@admin.register(ScreeningRun)
class ScreeningRunAdmin(admin.ModelAdmin):
    list_display = ["edition", "status", "progress", "proposals", "flags", "seconds", "created_at"]


@admin.register(ScreeningFlag)
class ScreeningFlagAdmin(admin.ModelAdmin):
    list_display = ["proposal", "kind", "score", "message"]
    list_filter = ["kind"]
    raw_id_fields = ["proposal", "other_proposal", "run"]
