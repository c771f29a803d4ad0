from django.urls import include, path

urlpatterns = [
    path("", include("quietdesk.core.urls")),
    path("staff/", include("quietdesk.staff.urls")),
    path("patrons/", include("quietdesk.patrons.urls")),
    path("audit/", include("quietdesk.audit.urls")),
]

handler400 = "quietdesk.core.errors.bad_request"
handler403 = "quietdesk.core.errors.forbidden"
handler404 = "quietdesk.core.errors.not_found"
handler500 = "quietdesk.core.errors.server_error"
