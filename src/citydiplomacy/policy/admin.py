from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from citydiplomacy.policy.models import CountryRelation, PermittingAuthority


@admin.register(CountryRelation)
class CountryRelationAdmin(SimpleHistoryAdmin):
    list_display = ("country_code", "status", "valid_from", "valid_to", "reference")
    list_filter = ("status",)
    search_fields = ("country_code", "basis", "reference")


@admin.register(PermittingAuthority)
class PermittingAuthorityAdmin(SimpleHistoryAdmin):
    list_display = ("name_en", "valid_from", "valid_to")
