from django.contrib import admin

from jipp.institutionalisation.models import LegalBasis, ProtectionStatus, SustainabilityCheck


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ["innovation", "type", "number", "issued_on", "issued_by"]
    list_filter = ["type"]
    search_fields = ["number", "title", "issued_by", "innovation__title"]
    raw_id_fields = ["innovation", "created_by"]


@admin.register(SustainabilityCheck)
class SustainabilityCheckAdmin(admin.ModelAdmin):
    list_display = ["innovation", "checked_on", "budget_source", "has_sop", "has_staff", "has_legal_basis"]
    raw_id_fields = ["innovation", "checked_by"]


@admin.register(ProtectionStatus)
class ProtectionStatusAdmin(admin.ModelAdmin):
    list_display = ["innovation", "agency", "province", "is_proven", "is_unprotected", "strength", "has_budget_line"]
    list_filter = ["is_proven", "is_unprotected"]
    raw_id_fields = ["innovation", "agency", "region", "province"]

    def has_add_permission(self, request):
        return False  # written only by services.refresh_protection
