from django.urls import path

from . import views

# Served under /stats/ (quietdesk/urls.py), the addresses these pages had before the
# privacy app was split from the statistics: bookmarks and the operator's guide still work.
app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("audit/<int:pk>/", views.audit_run, name="audit_run"),
    path("audit/<int:pk>/privacy-audit.pdf", views.audit_pdf, name="audit_pdf"),
    path("audit/<int:pk>/privacy-audit.html", views.audit_html, name="audit_html"),
    path("vendors/", views.vendor_list, name="vendors"),
    path("vendors/new/", views.vendor_edit, name="vendor_new"),
    path("vendors/<uuid:pk>/", views.vendor_edit, name="vendor_edit"),
    path("vendors/<uuid:pk>/delete/", views.vendor_delete, name="vendor_delete"),
]
