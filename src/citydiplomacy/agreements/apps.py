from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "citydiplomacy.agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from citydiplomacy.agreements import (
            dashboard,  # noqa: F401  (registers dashboard sections)
            identity_recheck,  # noqa: F401  (registers the check of ties after an identity correction)
            legal_profiles,  # noqa: F401  (registers its system check)
        )
