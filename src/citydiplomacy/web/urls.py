"""URLs of the web shell: the dashboard, sign-in and out, /health/, and the registry's pages
(governments.registry_views), which keep their names in this namespace (`web:local-governments`,
`web:local-government`, `web:local-government-create`, `web:local-government-add-from-gazetteer`)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from citydiplomacy.governments import registry_views
from citydiplomacy.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("local-governments/", registry_views.local_government_list, name="local-governments"),
    path("local-governments/new/", registry_views.local_government_create, name="local-government-create"),
    path("local-governments/from-gazetteer/", registry_views.local_government_add_from_gazetteer,
         name="local-government-add-from-gazetteer"),
    path("local-governments/<int:pk>/", registry_views.local_government_detail, name="local-government"),
    path("health/", views.health, name="health"),
]
