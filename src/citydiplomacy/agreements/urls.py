"""Web URLs of the agreements registry (web UI owned by the lead)."""

from django.urls import path

from citydiplomacy.agreements import claim_views, list_views, views

app_name = "agreements"

urlpatterns = [
    path("", list_views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("partner-options/", views.partner_options, name="partner-options"),
    path("dormant/", views.dormant_list, name="dormant"),
    path("reminders/", views.reminder_list, name="reminders"),
    path("reported/", claim_views.reported_ties, name="reported-ties"),
    path("reported/<int:tie_id>/answer/", claim_views.answer_reported_tie, name="reported-tie-answer"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/transition/", views.agreement_transition, name="transition"),
    path("<int:pk>/documents/", views.document_upload, name="document-upload"),
    path("<int:pk>/activities/", views.activity_create, name="activity-create"),
]
