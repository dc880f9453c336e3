"""URLs of the analytics pages, exports and the public transparency page."""

from django.urls import path

from citydiplomacy.analytics import (
    public_views,
    register_views,
    report_views,
    views,
    wikidata_views,
)

app_name = "analytics"

urlpatterns = [
    path("analytics/map/", views.map_page, name="map"),
    path("analytics/world/", views.world_page, name="world"),
    path("analytics/world/data.json", views.world_data, name="world-data"),
    path("analytics/network/", views.network_page, name="network"),
    path("analytics/timelines/", views.timelines_page, name="timelines"),
    path("analytics/proximity/", views.proximity_page, name="proximity"),
    path("analytics/compare/", views.compare_page, name="compare"),
    path("analytics/compliance/", views.compliance_page, name="compliance"),
    path("analytics/agreements/<int:pk>/health/", views.agreement_health, name="agreement-health"),
    path("analytics/report/<int:year>/", report_views.report_page, name="report"),
    path("analytics/report/<int:year>.pdf", report_views.report_pdf_download, name="report-pdf"),
    path("analytics/report/<int:year>/pdf/", report_views.report_pdf_status, name="report-pdf-status"),
    path("analytics/export/partners.geojson", views.export_geojson, name="export-geojson"),
    path("analytics/export/reminders.ics", views.export_ics, name="export-ics"),
    path("analytics/export/quickstatements.txt", views.export_quickstatements, name="export-quickstatements"),
    path("analytics/export/<str:dataset>.<str:fmt>", views.export_table, name="export-table"),
    path("analytics/reconcile/", views.reconcile_page, name="reconcile"),
    path("analytics/reconcile/wikidata-ids/", wikidata_views.import_ids, name="reconcile-import"),
    path("analytics/reconcile/wikidata-matches/<int:pk>/", wikidata_views.decide_match, name="reconcile-decide"),
    path("public/", public_views.public_index, name="public"),
    path("public/register/", register_views.register_page, name="public-register"),
    path("public/register/ties.csv", register_views.register_csv, name="public-register-csv"),
    path("public/register/ties.geojson", register_views.register_geojson, name="public-register-geojson"),
    path("public/register/map.json", register_views.register_map_data, name="public-register-map"),
    path("public/datasets.json", public_views.public_catalogue, name="public-catalogue"),
    path("public/<int:pk>/", public_views.public_organisation, name="public-organisation"),
    path("public/<int:pk>/partners.geojson", public_views.public_geojson, name="public-geojson"),
    path("public/<int:pk>/ties.csv", public_views.public_csv, name="public-csv"),
]
