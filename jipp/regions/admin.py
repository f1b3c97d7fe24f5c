from django.contrib import admin

from jipp.regions.models import Agency, AgencyAlias, Region, ServiceUnit


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
    list_display = ["name", "agency", "region", "is_unspecified"]
    list_filter = ["is_unspecified"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency", "region"]


@admin.register(AgencyAlias)
class AgencyAliasAdmin(admin.ModelAdmin):
    """The Ministry's list of other spellings of agency names, used when importing."""

    list_display = ["alias", "agency", "source", "created_by", "created_at"]
    list_filter = ["source"]
    search_fields = ["alias", "key", "agency__name"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["key", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
