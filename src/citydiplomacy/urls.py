"""Root URL configuration: web shell, API (with schema and offline Swagger UI), admin, i18n.

Each app exposes `register(router)` in its api.py; add it to API_APPS to publish its routes.
A module that publishes routes beside its app's api.py is listed in API_MODULES.
"""

from importlib import import_module

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from citydiplomacy.accounts.api import MeView, ObtainTokenView, OwnPasswordView, RevokeAllTokensView
from citydiplomacy.core.api_contract import ApiRouter

API_APPS = [
    "citydiplomacy.accounts",
    "citydiplomacy.governments",
    "citydiplomacy.policy",
    "citydiplomacy.agreements",
    "citydiplomacy.places",
    "citydiplomacy.analytics",
    "citydiplomacy.recommend",
]

# the policy impact analysis lists agreements, so it lives in agreements (policy imports
# nothing of agreements); its route stays /api/policy/impact/
API_MODULES = [f"{app}.api" for app in API_APPS] + ["citydiplomacy.agreements.policy_impact_api"]

router = ApiRouter()
for module in API_MODULES:
    import_module(module).register(router)

api_urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/tokens/", RevokeAllTokensView.as_view(), name="api-tokens"),
    path("me/", MeView.as_view(), name="api-me"),
    path("me/password/", OwnPasswordView.as_view(), name="api-me-password"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(api_urlpatterns)),
    path("agreements/", include("citydiplomacy.agreements.urls")),
    path("policy/", include("citydiplomacy.agreements.policy_urls")),  # the policy board
    path("places/", include("citydiplomacy.places.urls")),
    path("notifications/", include("citydiplomacy.accounts.notification_urls")),
    path("local-governments/", include("citydiplomacy.governments.urls")),
    path("", include("citydiplomacy.accounts.urls")),
    path("", include("citydiplomacy.recommend.urls")),
    path("", include("citydiplomacy.analytics.urls")),
    path("", include("citydiplomacy.web.urls")),
]

handler403 = "citydiplomacy.web.views.error_403"
handler404 = "citydiplomacy.web.views.error_404"
handler500 = "citydiplomacy.web.views.error_500"
