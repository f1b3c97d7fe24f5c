from django.contrib import admin

from jipp.competition.evaluation.models import (
    Assignment,
    AssignmentRun,
    EvaluationSettings,
    Finalist,
    Member,
    Nomination,
    Objection,
    PanelScore,
    ResultChange,
    Review,
    Slot,
    Winner,
)


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(admin.ModelAdmin):
    list_display = ["edition", "reviews_per_proposal", "deciding_method", "blind_desk", "results_published_at"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["user", "edition", "kind", "capacity"]
    list_filter = ["edition", "kind"]
    raw_id_fields = ["user"]
    filter_horizontal = ["expertise"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "evaluator", "source", "version"]
    list_filter = ["edition", "source"]
    raw_id_fields = ["proposal", "evaluator"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "evaluator", "status", "total"]
    list_filter = ["edition", "status"]
    raw_id_fields = ["assignment", "proposal", "evaluator"]
    readonly_fields = ["total", "submitted_at"]


@admin.register(Finalist)
class FinalistAdmin(admin.ModelAdmin):
    list_display = ["proposal", "status", "desk_score", "presentation_score", "final_score", "verification_passed"]
    list_filter = ["edition", "status"]
    raw_id_fields = ["proposal", "nomination", "verified_by"]


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["finalist", "name", "status", "created_at"]
    list_filter = ["edition", "status"]
    raw_id_fields = ["finalist", "resolved_by"]


@admin.register(Winner)
class WinnerAdmin(admin.ModelAdmin):
    list_display = ["finalist", "tier", "rank", "final_score", "verification_code"]
    list_filter = ["edition", "tier"]
    raw_id_fields = ["finalist"]


admin.site.register(AssignmentRun)
admin.site.register(Nomination)
admin.site.register(Slot)
admin.site.register(PanelScore)
admin.site.register(ResultChange)
