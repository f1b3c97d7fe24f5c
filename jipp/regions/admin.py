from django.contrib import admin

from jipp.regions.models import Agency, Region, ServiceUnit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "population", "area_km2", "is_3t"]
    list_filter = ["level", "is_3t"]
    search_fields = ["code", "name"]
    list_editable = ["is_3t"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "type", "region"]
    list_filter = ["type"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region"]


@admin.register(ServiceUnit)
class ServiceUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]
