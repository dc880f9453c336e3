"""Web URLs of the agreements registry (web UI owned by the lead)."""

from django.urls import path

from citydiplomacy.agreements import (
    claim_views,
    directive_views,
    list_views,
    permission_views,
    views,
    views_documents,
    views_partner,
    views_workflow,
)

app_name = "agreements"

urlpatterns = [
    path("", list_views.agreement_list, name="list"),
    path("new/", views_partner.agreement_create, name="create"),
    path("partner-options/", views_partner.partner_options, name="partner-options"),
    path("partner-ties/", views_partner.partner_ties, name="partner-ties"),
    path("queue/", views_workflow.queue, name="queue"),
    path("dormant/", views_workflow.dormant_list, name="dormant"),
    path("reminders/", views.reminder_list, name="reminders"),
    path("reported/", claim_views.reported_ties, name="reported-ties"),
    path("reported/<int:tie_id>/answer/", claim_views.answer_reported_tie, name="reported-tie-answer"),
    path("permission-requests/", permission_views.queue_page, name="permission-requests"),
    path("permission-requests/<int:pk>/", permission_views.request_page, name="permission-request"),
    path("directives/", directive_views.directive_list, name="directives"),
    path("directives/<int:pk>/", directive_views.directive_detail, name="directive"),
    path("directives/tasks/", directive_views.directive_tasks, name="directive-tasks"),
    path("directives/tasks/<int:pk>/keep/", directive_views.keep_after_review, name="directive-task-keep"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/transition/", views_workflow.agreement_transition, name="transition"),
    path("<int:pk>/documents/", views.document_upload, name="document-upload"),
    path("<int:pk>/activities/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/edit/", views_workflow.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/cancel/", views_workflow.activity_cancel, name="activity-cancel"),
    path("documents/<int:pk>/", views_documents.document_detail, name="document"),
    path("documents/<int:pk>/view/", views_documents.document_inline, name="document-inline"),
    path("documents/<int:pk>/download/", views_documents.document_download, name="document-download"),
]
