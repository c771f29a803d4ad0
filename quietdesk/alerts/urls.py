from django.urls import path

from .views import network, reports

app_name = "alerts"
urlpatterns = [
    path("", reports.reports, name="reports"),
    path("report/", reports.file_report, name="file"),
    path("codebook/", reports.codebook, name="codebook"),
    path("r/<uuid:report_id>/", reports.detail, name="detail"),
    path("r/<uuid:report_id>/status/", reports.status, name="status"),
    path("r/<uuid:report_id>/confirm/", reports.confirm, name="confirm"),
    path("r/<uuid:report_id>/false/", reports.mark_false, name="false"),
    path("r/<uuid:report_id>/urgent/", reports.urgent, name="urgent"),
    path("r/<uuid:report_id>/follow-up/", reports.follow_up, name="follow_up"),
    path("ack/<str:token>/", reports.acknowledge, name="ack"),
    path("inbound/", reports.inbound_report, name="inbound"),
    path("network/", network.members, name="network"),
    path("network/add/", network.add, name="add_member"),
    path("network/import/", network.import_csv, name="import"),
    path("network/export/", network.export_csv, name="export"),
    path("network/<uuid:member_id>/remove/", network.remove, name="remove_member"),
]
