from django.urls import path

from . import network_views, views

app_name = "alerts"
urlpatterns = [
    path("", views.reports, name="reports"),
    path("report/", views.file_report, name="file"),
    path("codebook/", views.codebook, name="codebook"),
    path("r/<uuid:report_id>/", views.detail, name="detail"),
    path("r/<uuid:report_id>/status/", views.status, name="status"),
    path("r/<uuid:report_id>/confirm/", views.confirm, name="confirm"),
    path("r/<uuid:report_id>/false/", views.mark_false, name="false"),
    path("r/<uuid:report_id>/urgent/", views.urgent, name="urgent"),
    path("r/<uuid:report_id>/follow-up/", views.follow_up, name="follow_up"),
    path("ack/<str:token>/", views.acknowledge, name="ack"),
    path("inbound/", views.inbound_report, name="inbound"),
    path("network/", network_views.members, name="network"),
    path("network/add/", network_views.add, name="add_member"),
    path("network/import/", network_views.import_csv, name="import"),
    path("network/export/", network_views.export_csv, name="export"),
    path("network/<uuid:member_id>/remove/", network_views.remove, name="remove_member"),
]
