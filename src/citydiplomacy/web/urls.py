"""URLs of the web shell."""

from django.contrib.auth import views as auth_views
from django.urls import path

from citydiplomacy.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("local-governments/", views.local_government_list, name="local-governments"),
    path("local-governments/new/", views.local_government_create, name="local-government-create"),
    path("local-governments/from-gazetteer/", views.local_government_add_from_gazetteer,
         name="local-government-add-from-gazetteer"),
    path("local-governments/<int:pk>/", views.local_government_detail, name="local-government"),
    path("health/", views.health, name="health"),
]
