from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "citydiplomacy.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from citydiplomacy.accounts import checks  # noqa: F401 - registers the deploy check
