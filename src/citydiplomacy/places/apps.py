from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "citydiplomacy.places"
    verbose_name = _("Places and gazetteer")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # review_signals ask for the review candidates when imports or choices change them
        from citydiplomacy.places import review_signals  # noqa: F401
