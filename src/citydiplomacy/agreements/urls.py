"""Web pages of the agreements registry (thin; the selectors do the work)."""

from django.urls import path

from citydiplomacy.agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
]
