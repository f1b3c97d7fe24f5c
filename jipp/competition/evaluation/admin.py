from django.contrib import admin

from jipp.competition.evaluation.common import is_frozen
from jipp.competition.evaluation.models import (
    Assignment,
    AssignmentRun,
    DeskScore,
    EvaluationSettings,
    Finalist,
    Member,
    Nomination,
    Objection,
    PanelScore,
    ResultChange,
    ResultsRevision,
    Review,
    Slot,
    Winner,
)


class FrozenAwareAdmin(admin.ModelAdmin):
    """Read-only once the edition's results are published (unless a revision is open): the admin is one
    more path that must respect the freeze."""

    def _frozen(self, obj) -> bool:
        if obj is None:
            return False
        edition = getattr(obj, "edition", None) or getattr(getattr(obj, "finalist", None), "edition", None)
        return edition is not None and is_frozen(edition)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(FrozenAwareAdmin):
    list_display = ["edition", "reviews_per_proposal", "deciding_method", "blind_desk", "results_published_at"]


@admin.register(Member)
class MemberAdmin(FrozenAwareAdmin):
    list_display = ["user", "edition", "kind", "capacity"]
    list_filter = ["edition", "kind"]
    raw_id_fields = ["user"]
    filter_horizontal = ["expertise"]


@admin.register(Assignment)
class AssignmentAdmin(FrozenAwareAdmin):
    list_display = ["proposal", "evaluator", "source", "version"]
    list_filter = ["edition", "source"]
    raw_id_fields = ["proposal", "evaluator"]


@admin.register(Review)
class ReviewAdmin(FrozenAwareAdmin):
    list_display = ["proposal", "evaluator", "status", "total"]
    list_filter = ["edition", "status"]
    raw_id_fields = ["assignment", "proposal", "evaluator"]
    readonly_fields = ["total", "submitted_at"]


@admin.register(Finalist)
class FinalistAdmin(FrozenAwareAdmin):
    list_display = ["proposal", "status", "desk_score", "presentation_score", "final_score", "verification_passed"]
    list_filter = ["edition", "status"]
    raw_id_fields = ["proposal", "nomination", "verified_by"]


@admin.register(Objection)
class ObjectionAdmin(FrozenAwareAdmin):
    list_display = ["finalist", "name", "status", "created_at"]
    list_filter = ["edition", "status"]
    raw_id_fields = ["finalist", "resolved_by"]


@admin.register(Winner)
class WinnerAdmin(FrozenAwareAdmin):
    list_display = ["finalist", "tier", "rank", "final_score", "verification_code"]
    list_filter = ["edition", "tier"]
    raw_id_fields = ["finalist"]


admin.site.register(AssignmentRun)
admin.site.register(Nomination, FrozenAwareAdmin)
admin.site.register(Slot, FrozenAwareAdmin)
admin.site.register(PanelScore, FrozenAwareAdmin)
admin.site.register(DeskScore, FrozenAwareAdmin)
admin.site.register(ResultChange)
admin.site.register(ResultsRevision)
