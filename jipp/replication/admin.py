from django.contrib import admin

from jipp.replication.models import Document, Replication, ReplicationSource, StageRecord, TimelineEntry


class SourceInline(admin.TabularInline):
    model = ReplicationSource
    raw_id_fields = ["innovation"]
    extra = 0


class StageInline(admin.TabularInline):
    model = StageRecord
    extra = 0


@admin.register(Replication)
class ReplicationAdmin(admin.ModelAdmin):
    list_display = [
        "public_id",
        "primary_source",
        "source_agency",
        "adopter_agency",
        "status",
        "stage",
        "outcome",
        "is_successful",
    ]
    list_filter = ["status", "outcome", "is_successful", "mode"]
    search_fields = ["public_id", "primary_source__title", "adopter_agency__name", "source_agency__name"]
    raw_id_fields = [
        "primary_source",
        "source_agency",
        "adopter_agency",
        "adopter_unit",
        "requested_by",
        "responded_by",
    ]
    readonly_fields = ["public_id", "stage", "is_successful", "completed_on"]
    inlines = [SourceInline, StageInline]
    list_select_related = ["primary_source", "source_agency", "adopter_agency"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "side", "replication", "created_at"]
    list_filter = ["kind", "side"]
    raw_id_fields = ["replication", "uploaded_by"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ["replication", "at", "kind", "side", "actor"]
    list_filter = ["kind", "side"]
    raw_id_fields = ["replication", "actor"]
