from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("quietdesk.core.urls")),
    path("staff/", include("quietdesk.staff.urls")),
    path("patrons/", include("quietdesk.patrons.urls")),
    path("audit/", include("quietdesk.audit.urls")),
    path("circulation/", include("quietdesk.circulation.urls")),
    path("records/", include("quietdesk.records.urls")),
    path("retention/", include("quietdesk.retention.urls")),
    path("requests/", include("quietdesk.legal.urls")),
    path("alerts/", include("quietdesk.alerts.urls")),
    path("guide/", include("quietdesk.guide.urls")),
    path("stats/", include("quietdesk.stats.urls")),
    path("stats/", include("quietdesk.privacy.urls")),
]
# Patron pages, no sign-in, one prefix per language: /en/..., /es/...
urlpatterns += i18n_patterns(path("", include("quietdesk.guide.public_urls")))

handler400 = "quietdesk.core.error_pages.bad_request"
handler403 = "quietdesk.core.error_pages.forbidden"
handler404 = "quietdesk.core.error_pages.not_found"
handler500 = "quietdesk.core.error_pages.server_error"
