from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from citydiplomacy.governments.models import LocalGovernment


@admin.register(LocalGovernment)
class LocalGovernmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "country_code", "geonameid", "is_unresolved")
    list_filter = ("kind", "is_unresolved")
    search_fields = ("name", "official_name", "raw_name")
    raw_id_fields = ("parent",)
