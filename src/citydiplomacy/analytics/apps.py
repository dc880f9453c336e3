from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "citydiplomacy.analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # dashboard registers a dashboard section; signals ask for network results
        from citydiplomacy.analytics import dashboard, signals  # noqa: F401
