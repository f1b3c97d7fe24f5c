from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "agency", "unit", "is_active"]
    list_filter = ["role", "is_active", "agency__type"]
    search_fields = ["username", "first_name", "last_name", "email", "agency__name"]
    autocomplete_fields = ["agency", "unit", "home_province"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Role in the network"),
            {"fields": ["role", "agency", "unit", "affiliation", "home_province", "must_change_password", "timezone"]},
        ),
    )
