from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("releases/<int:pk>/", views.release, name="release"),
    path("releases/<int:pk>/statistics.csv", views.release_csv, name="release_csv"),
    path("audit/", views.audit, name="audit"),
    path("audit/<int:pk>/", views.audit_run, name="audit_run"),
    path("audit/<int:pk>/privacy-audit.pdf", views.audit_pdf, name="audit_pdf"),
    path("vendors/", views.vendor_list, name="vendors"),
    path("vendors/new/", views.vendor_edit, name="vendor_new"),
    path("vendors/<uuid:pk>/", views.vendor_edit, name="vendor_edit"),
    path("vendors/<uuid:pk>/delete/", views.vendor_delete, name="vendor_delete"),
]
