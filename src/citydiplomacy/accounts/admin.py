from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from citydiplomacy.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "organisation", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (("citydiplomacy", {"fields": ("organisation", "role")}),)
    # the add form asks for them too: every user except oversight belongs to an organisation
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("citydiplomacy", {"fields": ("organisation", "role")}),)
    autocomplete_fields = ("organisation",)
