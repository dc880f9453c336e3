from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendConfig(AppConfig):
    name = "citydiplomacy.recommend"
    verbose_name = _("Partner recommender")
    default_auto_field = "django.db.models.BigAutoField"
