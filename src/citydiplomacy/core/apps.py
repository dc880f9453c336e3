"""The shared kernel every app may use: the API base (pagination, one JSON error shape, the
router and contract), throttling and client addresses, the embedded shared cache, change keys
and stored results of background work, spreadsheet-safe exports, database-outage detection
and the dashboard's section registry. It imports no other app of the project."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "citydiplomacy.core"
    verbose_name = _("Core")
