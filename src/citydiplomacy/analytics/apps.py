from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "citydiplomacy.analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from citydiplomacy.analytics import dashboard  # noqa: F401  (registers a dashboard section)
        from citydiplomacy.analytics import signals  # noqa: F401  (asks for network results)
