"""Back office for the Ministry: cohorts, hubs with their admins and mentors, spokes and rounds."""

from django.contrib import admin

from jipp.hubs.models import Activity, Cohort, Hub, MaturityAssessment, SelectionRound, Spoke, WorkPlan


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "decree_number", "decree_date", "is_real"]


class SpokeInline(admin.TabularInline):
    model = Spoke
    extra = 0
    autocomplete_fields = ["agency"]
    fields = ["agency", "kind", "joined_on", "left_on"]


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["agency", "kind", "cohort", "status", "is_real"]
    list_filter = ["kind", "status", "cohort", "is_real"]
    search_fields = ["agency__name"]
    list_select_related = ["agency", "cohort"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["admins", "mentors"]
    inlines = [SpokeInline]


@admin.register(SelectionRound)
class SelectionRoundAdmin(admin.ModelAdmin):
    list_display = ["year", "purpose", "kind", "status"]
    filter_horizontal = ["members"]


admin.site.register([WorkPlan, Activity, MaturityAssessment])
