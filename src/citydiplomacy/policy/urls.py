"""Web page of the central-government policy layer."""

from django.urls import path

from citydiplomacy.policy import views

app_name = "policy"

urlpatterns = [
    path("", views.board, name="board"),
]
