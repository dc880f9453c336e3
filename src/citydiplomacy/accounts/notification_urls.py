"""URLs of a user's notifications."""

from django.urls import path

from citydiplomacy.accounts import notification_views

app_name = "notifications"

urlpatterns = [
    path("", notification_views.notification_list, name="list"),
    path("settings/", notification_views.notification_settings, name="settings"),
]
